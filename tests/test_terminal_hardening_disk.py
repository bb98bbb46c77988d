"""Issue 18, items 8 and 16 on a real small disk: a tmpfs of a few megabytes mounted for the test
(needs root; skipped elsewhere). A full disk takes the terminal out of service instead of asking
residents to retry commits, and it serves again by itself when space returns; a read-only store
gets one clear line from the `kiosk` command."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.admin.devices_report import system_states
from kiosk.admin.diagnostics import write_bundle
from kiosk.cli import main
from kiosk.config import KioskConfig
from kiosk.core.disk_watch import DiskWatch
from kiosk.core.refusal import RESIDENT_MESSAGE
from kiosk.services import KioskServices, build_services
from tests.test_terminal_hardening import one_case


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` for the block."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (root needed): {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Write a filler file until about `leave` bytes are free."""
    filler = disk / "filler"
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with filler.open("wb") as handle:
        with contextlib.suppress(OSError):
            handle.write(b"\0" * max(0, free - leave))
    return filler


@pytest.fixture
def on_small_disk(tmp_path: Path) -> Iterator[KioskServices]:
    """A demo terminal whose data folder is on an 8 MB disk, out of service under 1 MB free."""
    with small_disk(tmp_path / "disk", "8m") as disk:
        config = replace(KioskConfig(), demo=True, data_dir=disk / "data", voice_prompts=False, min_free_mb=1)
        services = build_services(config, spool_dir=tmp_path / "spool")
        try:
            yield services
        finally:
            services.close()


def test_a_full_disk_stops_new_sessions_and_service_returns_with_the_space(
    on_small_disk: KioskServices, tmp_path: Path
) -> None:
    services = on_small_disk
    one_case(services, 1)
    assert services.out_of_service() is None
    data = services.config.data_dir
    filler = fill(data.parent, leave=64 * 1024)
    services.health.check_now()
    fault = services.out_of_service()
    assert fault is not None and fault.check == "disk_space" and fault.screen == RESIDENT_MESSAGE
    assert str(data) in fault.detail and "bytes free" in fault.detail and "磁盘空间不足" in fault.staff
    # Staff see it in admin mode (the device page) and in the diagnostics bundle.
    rows = {row.key: row for row in system_states(services)}
    assert not rows["service"].ok and "磁盘空间不足" in rows["service"].words
    assert not rows["disk"].ok and "已暂停服务" in rows["disk"].words
    bundle = write_bundle(services, tmp_path / "usb")
    report = json.loads(zipfile.ZipFile(bundle).read("report.json"))
    assert report["in_service"] is False and report["out_of_service"][0]["check"] == "disk_space"
    assert report["disk"]["low"] is True
    # Nothing is lost: the case committed before is there, whole.
    assert len(services.cases.all()) == 1 and services.store.integrity_ok()
    filler.unlink()
    services.health.check_now()
    assert services.out_of_service() is None  # back in service by itself
    one_case(services, 2)
    assert len(services.cases.all()) == 2


def test_a_commit_that_finds_the_disk_full_wakes_the_watch_and_leaves_the_store_usable(
    on_small_disk: KioskServices,
) -> None:
    services = on_small_disk
    store = services.store
    woken: list[bool] = []
    store.on_disk_full = lambda: woken.append(True)
    filler = fill(services.config.data_dir.parent, leave=0)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        with store.durable() as conn:
            conn.execute("INSERT INTO store_meta(name, value) VALUES ('big', ?)", ("x" * 2_000_000,))
    assert woken == [True]
    filler.unlink()
    store.set_meta("after", "ok")  # no transaction left open: the next commit works at once
    assert store.meta("after") == "ok"


def test_the_store_growth_is_measured_on_the_watch_clock(tmp_path: Path) -> None:
    from kiosk.core.availability import Availability

    store = tmp_path / "kiosk.sqlite3"
    store.write_bytes(b"\0" * 1000)
    now = [0.0]
    watch = DiskWatch(tmp_path, store, 1, Availability(), clock=lambda: now[0])
    assert watch.check().growth_bytes_per_day is None
    store.write_bytes(b"\0" * 2000)
    now[0] = 43_200.0  # half a day later, 1000 bytes more
    reading = watch.check()
    assert reading.growth_bytes_per_day == pytest.approx(2000.0) and reading.days_left is not None


def test_kiosk_commands_on_a_read_only_store_say_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with small_disk(tmp_path / "disk", "4m") as disk:
        config = replace(KioskConfig(), demo=True, data_dir=disk / "data", voice_prompts=False, min_free_mb=1)
        services = build_services(config, spool_dir=tmp_path / "spool")
        one_case(services, 1)
        services.close()
        root = logging.getLogger()
        for handler in list(root.handlers):  # the log file is on that disk too
            root.removeHandler(handler)
            handler.close()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        capsys.readouterr()
        for command in (["cases"], ["staff", "list"]):
            assert main([*command, "--data-dir", str(disk / "data")]) == 3
            captured = capsys.readouterr()
            lines = [line for line in (captured.out + captured.err).splitlines() if line.strip()]
            assert len(lines) == 1 and "Traceback" not in lines[0], lines
            assert "store_unwritable" in lines[0] or "只读" in lines[0]


def test_a_key_open_to_others_that_cannot_be_repaired_refuses_the_start(tmp_path: Path) -> None:
    from kiosk.core.refusal import TerminalRefusedError
    from kiosk.core.store import Store

    with small_disk(tmp_path / "disk", "4m") as disk:
        Store.open(disk / "data").close()
        key = disk / "data" / "keys" / "store.key"
        os.chmod(key, 0o644)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        with pytest.raises(TerminalRefusedError) as caught:
            Store.open(disk / "data")
        assert caught.value.check == "file_modes" and caught.value.path == str(key)
        assert key.stat().st_mode & 0o777 == 0o644  # and nothing else was tried
