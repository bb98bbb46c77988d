"""The kiosk's system user: no login shell, no password, its home the data folder, in the groups
its devices need (those the system has)."""

from __future__ import annotations

from installer.layout import USER
from installer.run import Run

DEVICE_GROUPS = ("video", "render", "input", "audio", "dialout", "lp", "plugdev")


def user(run: Run) -> str:
    """Create the user, or add the groups it lacks."""
    ctx = run.ctx
    prefix = [] if run.layout.on_terminal else ["--prefix", str(run.layout.prefix)]
    groups = _groups(run)
    wanted = [name for name in DEVICE_GROUPS if name in groups]
    if ctx.kiosk_owner() is None:
        ctx.command(
            [
                "useradd",
                *prefix,
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                str(run.layout.data),
                "--shell",
                "/usr/sbin/nologin",
                "--comment",
                "township self-service kiosk",
                *(["--groups", ",".join(wanted)] if wanted else []),
                USER,
            ]
        )
        return "changed"
    lacking = [name for name in wanted if USER not in groups[name]]
    if not lacking:
        ctx.say(f"  未变   用户 {USER}（组：{', '.join(wanted) or '无'}）")
        return "ok"
    ctx.command(["usermod", *prefix, "--append", "--groups", ",".join(lacking), USER])
    return "changed"


def _groups(run: Run) -> dict[str, set[str]]:
    """Group name → members, from the prefix's /etc/group."""
    path = run.layout.host("/etc/group")
    out: dict[str, set[str]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split(":")
            if len(parts) >= 4:
                out[parts[0]] = {m for m in parts[3].split(",") if m}
    return out
