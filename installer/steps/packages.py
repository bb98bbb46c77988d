"""The Debian packages a running terminal needs (not the test tools)."""

from __future__ import annotations

import subprocess

from installer.run import Run

RUNTIME_PACKAGES = (
    "cage",  # the kiosk compositor: one full-screen application, no desktop behind it
    "pcscd",
    "cups",
    "fonts-noto-cjk",  # the screen font: Noto Sans CJK SC has a real bold face for titles
    "fonts-wqy-zenhei",
    "fonts-wqy-microhei",
    "fonts-hanazono",  # the rare characters WenQuanYi lacks: CJK Extensions A to F
    "fonts-babelstone-han",  # most of Extensions G and H, which Hanazono lacks
    "libpulse0",  # the Qt Virtual Keyboard loads it
    "libzinnia0",  # the writing pad's recogniser (手写)
    "tegaki-zinnia-simplified-chinese",  # its Simplified Chinese model
    "libegl1",
    "libgl1",
    "libxkbcommon0",
    "libfontconfig1",
    "libdbus-1-3",
    "libglib2.0-0",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    "python3-venv",
)


def missing_packages(names: tuple[str, ...]) -> list[str]:
    """Those of `names` dpkg does not list as installed."""
    missing = []
    for name in names:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True
        ).stdout
        if "install ok installed" not in status:
            missing.append(name)
    return missing


def packages(run: Run) -> str:
    """Install what is missing (apt-get); into a test folder nothing can be installed, so say so."""
    missing = missing_packages(RUNTIME_PACKAGES)
    if not missing:
        run.ctx.say(f"  未变   {len(RUNTIME_PACKAGES)} 个软件包都已安装")
        return "ok"
    if not run.layout.on_terminal:
        run.warn(f"目标不是本机根目录，不安装软件包；终端上还需要：{' '.join(missing)}")
        return "warning"
    env = ["env", "DEBIAN_FRONTEND=noninteractive"]
    run.ctx.command([*env, "apt-get", "update", "-qq"])
    run.ctx.command([*env, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing])
    return "changed"
