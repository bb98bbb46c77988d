"""The kiosk's system integration: the systemd unit (cage, watchdog, restart), its PAM session,
the journal's limits, device permissions, and enabling it at boot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path, PurePosixPath

from installer.actions import StepFailedError
from installer.layout import SERVICE, USER, Layout
from installer.run import Run

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
WATCHDOG_SECONDS = 30
PAM_NAME = "township-kiosk"


def kiosk_command(layout: Layout, release: Path, venv_bin: Path) -> str:
    """The kiosk executable the unit starts: through the `current` link when the environment is
    inside the release (so an upgrade switches it too), else where it is."""
    try:
        inside = venv_bin.resolve().relative_to(release.resolve())
    except ValueError:
        return str(venv_bin / "kiosk")
    return str(layout.current / inside / "kiosk")


def render(name: str, **values: object) -> str:
    """A template of installer/templates with its placeholders filled."""
    return (TEMPLATES / f"{name}.in").read_text(encoding="utf-8").format(**values)


def unit_text(layout: Layout, release: Path, venv_bin: Path) -> str:
    """The kiosk's unit file."""
    return render(
        "township-kiosk.service",
        release=layout.current,
        kiosk=kiosk_command(layout, release, venv_bin),
        config=layout.config,
        data=layout.data,
        user=USER,
        pam_name=PAM_NAME,
        watchdog_seconds=WATCHDOG_SECONDS,
    )


def udev_rules(devices: dict) -> str:
    """Device permissions: the USB receipt printer to the kiosk group (serial ports come with
    the dialout group, cameras with video)."""
    lines = ["# Written by the installer: devices the kiosk user opens directly."]
    if devices.get("receipt_printer") == "usb":
        vendor, product = str(devices.get("receipt_printer_usb", "0416:5011")).lower().split(":")
        lines.append(
            f'SUBSYSTEM=="usb", ATTR{{idVendor}}=="{vendor}", ATTR{{idProduct}}=="{product}", '
            f'GROUP="{USER}", MODE="0660"'
        )
    return "\n".join(lines) + "\n"


def services(run: Run) -> str:
    """Write the files, enable the unit for boot, check it with systemd-analyze, and (re)start
    it when this machine runs systemd."""
    import sys

    layout, ctx = run.layout, run.ctx
    before = ctx.changed
    config = run.config()
    ctx.write(layout.unit, unit_text(layout, run.release, Path(sys.executable).parent))
    ctx.write(layout.pam, render("township-kiosk.pam"))
    ctx.write(layout.journald, render("journald.conf", data=layout.data))
    ctx.write(layout.udev, udev_rules(config.get("devices", {})))
    ctx.write(layout.polkit, render("polkit.rules", user=USER))
    _enable(run)
    verify_unit(run)
    if systemd_running(layout):
        ctx.command(["systemctl", "daemon-reload"])
        ctx.command(["udevadm", "control", "--reload"], check=False)
        ctx.command(["systemctl", "restart", SERVICE])
    else:
        ctx.say("  说明   本机没有运行 systemd：服务已启用，终端开机后自动启动")
    return "changed" if ctx.changed > before else "ok"


def _enable(run: Run) -> None:
    """What `systemctl enable` does, done offline so it works under a prefix too: the unit
    linked into graphical.target's wants (Debian boots to graphical.target by default)."""
    link = run.layout.systemd / "graphical.target.wants" / SERVICE
    run.ctx.symlink(link, str(run.layout.unit))


def verify_unit(run: Run) -> None:
    """systemd-analyze verify on the written unit; any complaint fails the step."""
    if run.ctx.dry_run:
        run.ctx.say("  [演练] 将用 systemd-analyze verify 检查服务文件")
        return
    if not shutil.which("systemd-analyze"):
        run.warn("没有 systemd-analyze：服务文件未经检查")
        return
    problems = analyze(run.layout.host(run.layout.unit))
    if problems:
        raise StepFailedError("systemd-analyze verify 报告服务文件有问题：\n    " + "\n    ".join(problems))
    run.ctx.say(f"  检查   systemd-analyze verify {run.layout.unit}：无问题")


def analyze(unit: Path) -> list[str]:
    """What systemd-analyze verify says about a unit file (empty: nothing). Units it names that
    exist only on a full system (getty, plymouth) are not problems of ours."""
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True
    )
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    if result.returncode != 0 and not lines:
        lines = [f"exit status {result.returncode}"]
    return lines


def systemd_running(layout: Layout) -> bool:
    """True when installing onto this machine and systemd is its init."""
    return layout.on_terminal and Path("/run/systemd/system").is_dir()


def unit_files(layout: Layout) -> list[PurePosixPath]:
    """Every system file the services step writes (uninstall removes them)."""
    return [
        layout.unit,
        layout.pam,
        layout.journald,
        layout.udev,
        layout.polkit,
        layout.systemd / "graphical.target.wants" / SERVICE,
    ]
