"""Upgrade to a new release: back up the store, migrate it with the new release's code, check
the new release starts, then move the `current` link. Any failure puts the backup back, leaves
the link on the old release, and checks that the old release still starts."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from installer.actions import StepFailedError
from installer.layout import SERVICE
from installer.run import Run
from installer.steps.configure import hand_over
from installer.steps.services import systemd_running

KEEP_BACKUPS = 5


def release_python(release: Path) -> str:
    """The Python a release runs with: its own environment, else the installer's."""
    own = release / ".venv" / "bin" / "python"
    return str(own) if own.exists() else sys.executable


def kiosk_command(run: Run, release: Path, *args: str) -> subprocess.CompletedProcess:
    """`kiosk …` of `release` (its code first on the path) on this terminal's config and data."""
    env = dict(os.environ, PYTHONPATH=str(release), QT_QPA_PLATFORM="offscreen")
    argv = [
        release_python(release), "-m", "kiosk.cli", *args,
        "--config", str(run.layout.host(run.layout.config)),
        "--data-dir", str(run.layout.host(run.layout.data)),
    ]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=release, timeout=300)


def current_release(run: Run) -> Path | None:
    """The release the `current` link points at."""
    link = run.layout.host(run.layout.current)
    return Path(os.readlink(link)) if link.is_symlink() else None


def upgrade(run: Run, new_release: Path) -> str:
    """Move the terminal to `new_release`, or leave it exactly as it was."""
    ctx, layout = run.ctx, run.layout
    new_release = new_release.resolve()
    if not (new_release / "kiosk" / "__init__.py").exists():
        raise StepFailedError(f"{new_release} 不是本软件的发布目录（没有 kiosk/）")
    old_release = current_release(run)
    if old_release is None:
        raise StepFailedError("本机还没有安装（没有 /opt/township-kiosk/current）：请先运行 install")
    if old_release.resolve() == new_release:
        ctx.say(f"  未变   已是 {new_release}")
        return "ok"
    ctx.say(f"  升级   {old_release} → {new_release}")
    if ctx.dry_run:
        ctx.say("  [演练] 将停止服务、备份办件库、用新版本迁移并检查启动，成功后切换版本")
        return "changed"
    if systemd_running(layout):
        ctx.command(["systemctl", "stop", SERVICE])
    backup = backup_store(run)
    try:
        _step(run, new_release, "迁移", "migrate")
        _step(run, new_release, "启动检查", "run", "--check")
    except StepFailedError as failure:
        restore_store(run, backup)
        ctx.say(f"  回滚   办件库已恢复，版本仍是 {old_release}")
        started = kiosk_command(run, old_release, "run", "--check")
        hand_over(run)
        _start(run)
        still = "旧版本可以正常启动" if started.returncode == 0 else f"旧版本也无法启动：{_tail(started)}"
        raise StepFailedError(f"升级失败（{failure}）；已回滚，{still}") from None
    ctx.symlink(layout.current, str(new_release))
    hand_over(run)
    _start(run)
    return "changed"


def _step(run: Run, release: Path, what: str, *args: str) -> None:
    result = kiosk_command(run, release, *args)
    if result.returncode != 0:
        raise StepFailedError(f"新版本{what}失败：{_tail(result)}")
    run.ctx.say(f"  {what}   {_tail(result)}")


def _tail(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else (result.stderr.strip().splitlines() or ["(无输出)"])[-1]


def _start(run: Run) -> None:
    if systemd_running(run.layout):
        run.ctx.command(["systemctl", "start", SERVICE])


def backup_store(run: Run) -> Path | None:
    """A consistent copy of the store (SQLite's backup API, safe beside a live writer), checked;
    the oldest beyond the last few are removed. None when there is no store yet."""
    store = run.layout.host(run.layout.store)
    if not store.exists():
        run.ctx.say("  说明   还没有办件库，无需备份")
        return None
    folder = run.layout.host(run.layout.backups)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    source = sqlite3.connect(store)
    try:
        version = source.execute("PRAGMA user_version").fetchone()[0]
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"kiosk-{stamp}-schema{version}.sqlite3"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
    finally:
        source.close()
    if verdict != "ok":
        target.unlink()
        raise StepFailedError(f"办件库备份未通过完整性检查（{verdict}）：未升级，请联系中心")
    run.ctx.say(f"  备份   {target.name}（结构版本 {version}）")
    for old in sorted(folder.glob("kiosk-*.sqlite3"))[:-KEEP_BACKUPS]:
        old.unlink()
        run.ctx.say(f"  删除   旧备份 {old.name}")
    return target


def restore_store(run: Run, backup: Path | None) -> None:
    """Put the backup back in place of the store (and its WAL), or remove a store that the
    failed upgrade created where there was none."""
    store = run.layout.host(run.layout.store)
    for suffix in ("-wal", "-shm"):
        side = store.with_name(store.name + suffix)
        if side.exists():
            side.unlink()
    if backup is None:
        if store.exists():
            store.unlink()
        from kiosk.core.store_identity import forget_identity

        forget_identity(store.parent)  # else the next start would refuse a "deleted" store
        return
    temporary = store.with_name(store.name + ".restore")
    source, copy = sqlite3.connect(backup), sqlite3.connect(temporary)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    os.chmod(temporary, 0o600)
    os.replace(temporary, store)
