"""What a terminal installs: the runtime wheel carries the product and none of the developer
tooling (kiosk/devtools: walkthrough, atlas, UI driver, probes, benchmarks, proofs), and the
terminal's `kiosk` command offers only what a terminal needs."""

from __future__ import annotations

import subprocess
import sys
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
DEVELOPER_COMMANDS = {"demo", "screens", "documents", "prove", "bench"}


@pytest.fixture(scope="module")
def wheel_modules(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The Python modules of the wheel pip builds from this checkout, as dotted names."""
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out)]
    subprocess.run([*build, str(ROOT)], check=True, capture_output=True, timeout=300)
    [wheel] = out.glob("township_kiosk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    return [n.removesuffix(".py").replace("/", ".") for n in names if n.endswith(".py")]


def test_the_runtime_wheel_has_the_product(wheel_modules: list[str]) -> None:
    for module in (
        "kiosk.cli",
        "kiosk.ui.app",
        "kiosk.ui.controller",
        "kiosk.core.journey",
        "forms.rules",
        "devices.factory",
        "sync.client",
        "installer.cli",
    ):
        assert module in wheel_modules


def test_the_runtime_wheel_leaves_out_every_developer_tool(wheel_modules: list[str]) -> None:
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
