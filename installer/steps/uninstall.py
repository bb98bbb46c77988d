"""Uninstall: the service and the system files go; the cases, keys, backups and configuration
stay unless the technician asks for a purge, and a purge refuses while cases wait for the centre."""

from __future__ import annotations

import sqlite3

from installer.actions import StepFailedError
from installer.layout import SERVICE, USER
from installer.run import Run
from installer.steps.services import systemd_running, unit_files


def unsent_entries(run: Run) -> int:
    """Outbox entries the centre has not acknowledged (pending or parked)."""
    path = run.layout.host(run.layout.store)
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM outbox WHERE state != 'acknowledged'").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def uninstall(run: Run, purge: bool = False, force: bool = False) -> str:
    """Remove the kiosk; with `purge`, its data and user too."""
    ctx, layout = run.ctx, run.layout
    if purge:
        waiting = unsent_entries(run)
        if waiting and not force:
            raise StepFailedError(
                f"还有 {waiting} 条办件记录没有上传到中心：不删除数据。请先联网同步（kiosk sync），"
                "或在管理模式导出滞留办件；确需删除请加 --force"
            )
    if systemd_running(layout):
        ctx.command(["systemctl", "disable", "--now", SERVICE], check=False)
    for path in unit_files(layout):
        ctx.remove(path)
    ctx.remove(layout.current)
    if not purge:
        ctx.say(f"  保留   {layout.config}、{layout.data}（办件、密钥、备份、报告）；彻底删除请加 --purge")
    else:
        for folder in (layout.etc, layout.data, layout.opt):
            ctx.remove(folder)
        if ctx.kiosk_owner() is not None:
            prefix = [] if layout.on_terminal else ["--prefix", str(layout.prefix)]
            ctx.command(["userdel", *prefix, USER])
        ctx.manifest.clear()
    if systemd_running(layout):
        ctx.command(["systemctl", "daemon-reload"])
    return "changed"
