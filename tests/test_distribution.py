"""What gets installed where: a terminal's runtime wheel carries the product and none of the
developer tooling (kiosk/devtools: walkthrough, atlas, UI driver, probes, benchmarks, proofs),
its `kiosk` command offers only what a terminal needs, and the central platform installs on a
county gateway alone (sync/pyproject.toml), without the terminal's Qt, OpenCV, PC/SC or CUPS."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from kiosk.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
TOOLING = (
    "atlas",
    "walkthrough",
    "driver",
    "ui_benchmark",
    "card_benchmark",
    "frame_probe",
    "startup_probe",
    "touch_targets",
    "screen_text",
    "escpos_preview",
    "samples",
    "demo_central",
)
PACKAGES = ("kiosk", "devices", "forms", "sync", "installer")
IGNORED = shutil.ignore_patterns("__pycache__", "build", "*.egg-info")
DEVELOPER_COMMANDS = {"demo", "screens", "documents", "prove", "bench"}


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The files of the wheel pip builds from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    # From a clean copy of what the wheel is made of: an in-place build reuses build/lib, where a
    # module from an earlier build would still sit.
    source = tmp_path_factory.mktemp("source")
    for part in ("pyproject.toml", "README.md", *PACKAGES):
        copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy2
        copy(ROOT / part, source / part, **({"ignore": IGNORED} if (ROOT / part).is_dir() else {}))
    build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out)]
    subprocess.run([*build, str(source)], check=True, capture_output=True, timeout=300)
    [wheel] = out.glob("township_kiosk-*.whl")
    return zipfile.ZipFile(wheel).namelist()


@pytest.fixture(scope="module")
def wheel_modules(wheel_files: list[str]) -> list[str]:
    """The wheel's Python modules, as dotted names."""
    return [n.removesuffix(".py").replace("/", ".") for n in wheel_files if n.endswith(".py")]


def test_the_runtime_wheel_has_the_product(wheel_modules: list[str]) -> None:
    for module in (
        "kiosk.cli",
        "kiosk.ui.app",
        "kiosk.ui.controllers.journey",
        "kiosk.core.journey",
        "forms.rules",
        "devices.factory",
        "sync.client",
        "installer.cli",
    ):
        assert module in wheel_modules


def test_the_runtime_wheel_has_every_file_the_screens_load(wheel_files: list[str]) -> None:
    # The icons were once left out: a terminal installed from the wheel showed the tiles bare.
    screens = ROOT / "kiosk" / "ui" / "qml"
    wanted = sorted(p.relative_to(ROOT).as_posix() for p in screens.rglob("*") if p.is_file())
    assert [f for f in wanted if f not in wheel_files] == []
    assert any(f.endswith(".svg") for f in wanted)


def test_the_runtime_wheel_leaves_out_every_developer_tool(
    wheel_files: list[str], wheel_modules: list[str]
) -> None:
    assert "sync/pyproject.toml" not in wheel_files  # nor the centre's own distribution file
    tools = [
        m
        for m in wheel_modules
        if ".devtools" in m or ".proof" in m or ".benchmarks" in m or m.rsplit(".", 1)[-1] in TOOLING
    ]
    assert tools == []


def test_the_terminal_command_offers_no_developer_command() -> None:
    parser = build_parser()
    [commands] = [a.choices for a in parser._actions if a.dest == "command"]  # argparse's subparsers
    assert commands and DEVELOPER_COMMANDS.isdisjoint(commands)


def test_the_developer_commands_run_from_a_checkout() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "kiosk.devtools", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert shown.returncode == 0
    assert all(command in shown.stdout for command in DEVELOPER_COMMANDS)


TERMINAL_LIBRARIES = ("PySide6", "shiboken6", "cv2", "smartcard", "cups", "escpos", "dlib", "reportlab")


def test_the_centre_installs_and_serves_alone(tmp_path: Path) -> None:
    venv = tmp_path / "gateway"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python, pip = venv / "bin" / "python", [str(venv / "bin" / "python"), "-m", "pip"]
    # From a copy: setuptools builds in the source folder, and the checkout stays as it was.
    source = shutil.copytree(ROOT / "sync", tmp_path / "sync", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([*pip, "install", "-q", str(source)], check=True, capture_output=True, timeout=600)
    found = subprocess.run(
        [
            str(python),
            "-c",
            f"import importlib.util as u; print([m for m in {TERMINAL_LIBRARIES!r} if u.find_spec(m)])",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert found.stdout.strip() == "[]"
    port = free_port()
    serve = [
        str(venv / "bin" / "kiosk-central"),
        "serve",
        "--db",
        str(tmp_path / "central.db"),
        "--port",
        str(port),
    ]
    server = subprocess.Popen(serve, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        health = wait_for_health(f"http://127.0.0.1:{port}/v1/health", server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert health.get("status") == "ok", health


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_health(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> dict[str, object]:
    """The centre's health answer once it is up; fails with its error output if it exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(
                f"the centre exited: {server.stderr.read().decode()[-2000:] if server.stderr else ''}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return dict(json.loads(answer.read()))
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url} in {seconds} s")
