"""Preflight: is this machine one the kiosk can run on? Reports every check, stops only on what
no later step can fix (Python, disk)."""

from __future__ import annotations

import glob
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from installer.actions import StepFailedError
from installer.run import Run
from installer.steps.packages import RUNTIME_PACKAGES, missing_packages

MIN_FREE_BYTES = 2 * 1024**3
HANDLED_LATER = {"软件包"}  # the packages step reports what it could not install
CJK_FONT_FAMILIES = ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei")


@dataclass(frozen=True)
class Check:
    """One preflight finding: ok, warn (a later step or the technician fixes it) or fail."""

    name: str
    level: str
    detail: str


def checks(run: Run) -> list[Check]:
    """Every preflight check of this machine and the target folder."""
    return [
        _os_release(run),
        _python(),
        _disk(run),
        _display(),
        _packages(),
        _fonts(),
        _pcscd(),
        _cups(),
    ]


def preflight(run: Run) -> str:
    """Print the checks; StepFailedError when one cannot be fixed by the installer."""
    found = checks(run)
    words = {"ok": "通过", "warn": "注意", "fail": "不通过"}
    for check in found:
        run.ctx.say(f"  {words[check.level]:<4} {check.name}：{check.detail}")
        if check.level == "warn" and check.name not in HANDLED_LATER:
            run.warnings.append(f"{check.name}：{check.detail}")
    failed = [c for c in found if c.level == "fail"]
    if failed:
        raise StepFailedError("；".join(f"{c.name}：{c.detail}" for c in failed))
    return "checked"


def _os_release(run: Run) -> Check:
    path = run.layout.host("/etc/os-release")
    text = (path if path.exists() else Path("/etc/os-release")).read_text(encoding="utf-8", errors="replace")
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    name = values.get("PRETTY_NAME", "?").strip('"')
    if values.get("ID") == "debian" and values.get("VERSION_ID", "").strip('"') == "12":
        return Check("操作系统", "ok", name)
    return Check("操作系统", "warn", f"{name}：本软件在 Debian 12 上验证")


def _python() -> Check:
    """The system's python3, which the kiosk's environment is made from (not the one running us)."""
    try:
        out = subprocess.run(
            ["python3", "-c", "import sys; print(*sys.version_info[:3])"], capture_output=True, text=True
        ).stdout.split()
    except FileNotFoundError:
        return Check("Python", "fail", "没有 python3")
    version = tuple(int(n) for n in out) if out else (0,)
    shown = ".".join(out) or "?"
    if version >= (3, 11):
        return Check("Python", "ok", shown)
    return Check("Python", "fail", f"{shown}：需要 3.11 或更新")


def _disk(run: Run) -> Check:
    folder = run.layout.host(run.layout.data)
    while not folder.exists():
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    text = f"{free / 1024**3:.1f} GiB 可用（{folder}）"
    if free >= MIN_FREE_BYTES:
        return Check("磁盘", "ok", text)
    if free >= MIN_FREE_BYTES // 4:
        return Check("磁盘", "warn", text + "：建议至少 2 GiB，办件和备份会逐渐增长")
    return Check("磁盘", "fail", text + "：空间不足，无法保存办件")


def _display() -> Check:
    cards = sorted(glob.glob("/dev/dri/card*"))
    if cards:
        return Check("显示", "ok", f"显卡设备 {', '.join(cards)}")
    return Check("显示", "warn", "未发现显卡设备 /dev/dri/card*：cage 在本机无法显示界面")


def _packages() -> Check:
    missing = missing_packages(RUNTIME_PACKAGES)
    if not missing:
        return Check("软件包", "ok", f"{len(RUNTIME_PACKAGES)} 个运行所需的软件包都已安装")
    return Check("软件包", "warn", f"缺少 {' '.join(missing)}（packages 步骤安装）")


def _fonts() -> Check:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return Check("中文字体", "warn", "没有 fc-list（fontconfig）：无法检查")
    found = [family for family in CJK_FONT_FAMILIES if family in listed]
    if found:
        return Check("中文字体", "ok", "、".join(found))
    return Check("中文字体", "warn", "未安装文泉驿字体：界面和证照会显示方框（packages 步骤安装）")


def _pcscd() -> Check:
    if not (shutil.which("pcscd") or Path("/usr/sbin/pcscd").exists()):
        return Check("pcscd", "warn", "未安装（社保卡、工作人员卡需要；packages 步骤安装）")
    if Path("/run/pcscd/pcscd.comm").exists():
        return Check("pcscd", "ok", "已安装，正在运行")
    return Check("pcscd", "ok", "已安装（按需启动）")


def _cups() -> Check:
    if not shutil.which("lpstat"):
        return Check("CUPS", "warn", "未安装（A4打印机需要；packages 步骤安装）")
    status = subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout
    if "is running" in status or "正在运行" in status:
        return Check("CUPS", "ok", "调度程序正在运行")
    return Check("CUPS", "warn", "调度程序未运行：systemctl start cups")
