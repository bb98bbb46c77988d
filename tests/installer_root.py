"""A bare terminal in a folder, for the installer's tests: the user and group files of a fresh
Debian 12 (root, daemon and the device groups), and the installer run on it as a technician runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GROUPS = ("root", "daemon", "video", "render", "input", "audio", "dialout", "lp", "plugdev", "nogroup")
USER_DATABASE = tuple(f"etc/{n}{b}" for n in ("passwd", "group", "shadow", "gshadow") for b in ("", "-"))  # useradd's files and its backups


def bare_root(prefix: Path) -> Path:
    """A prefix holding only what a bare machine's /etc has about users, from this machine's files."""
    etc = prefix / "etc"
    etc.mkdir(parents=True)
    for name, keep in (("passwd", ("root", "daemon")), ("shadow", ("root", "daemon")), ("group", GROUPS), ("gshadow", GROUPS)):
        lines = [line for line in Path("/etc", name).read_text().splitlines() if line.split(":")[0] in keep]
        (etc / name).write_text("\n".join(lines) + "\n")
    os.chmod(etc / "shadow", 0o640)
    os.chmod(etc / "gshadow", 0o640)
    (etc / "os-release").write_text(Path("/etc/os-release").read_text())
    return prefix


def write_answers(path: Path, central_url: str, code: str | None, **sections: dict) -> Path:
    """An answers file for terminal ZC-370302-0007 on simulated devices (unless `sections` say otherwise)."""
    devices = {kind: "simulated" for kind in ("id_card", "social_security_card", "camera", "receipt_printer", "document_printer")}
    devices.update(sections.pop("devices", {}))
    installer = dict(sections.pop("installer", {}))
    if code:
        installer["enrolment_code"] = code
    lines = [
        'terminal_id = "ZC-370302-0007"',
        'hall_name = "淄川区般阳路街道便民服务中心"',
        'division_code = "370302"',
        'registration_authority = "淄博市淄川区市场监督管理局"',
        f'central_url = "{central_url}"',
    ]
    for name, table in (("devices", devices), *sections.items(), ("installer", installer)):
        lines.append(f"[{name}]")
        lines.extend(f"{key} = {_toml(value)}" for key, value in table.items())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_installer(prefix: Path, *args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m installer --prefix PREFIX …` in its own process, as the technician runs it."""
    return subprocess.run(
        [sys.executable, "-m", "installer", "--prefix", str(prefix), *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        timeout=600,
    )


def kiosk_uid(prefix: Path) -> tuple[int, int]:
    """The kiosk user's uid and gid in the prefix's passwd file."""
    for line in (prefix / "etc" / "passwd").read_text().splitlines():
        parts = line.split(":")
        if parts[0] == "kiosk":
            return int(parts[2]), int(parts[3])
    raise AssertionError("no kiosk user in the prefix")
