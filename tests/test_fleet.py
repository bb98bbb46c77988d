"""The county's fleet view: terminals send a heartbeat at every sync round, the centre keeps the
latest (and a bounded history), and `kiosk-central fleet` names what needs a person first, on the
real server on loopback (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from devices.interfaces import PrinterSimulator, simulator
from devices.receipt_printer import ReceiptPrinterStatus
from kiosk.admin.heartbeat import HeartbeatSource
from kiosk.core.staff_calls import record_call
from kiosk.core.sync_worker import SyncWorker
from kiosk.services import KioskServices
from sync.client import CentralClient
from sync.server import fleet as fleet_module
from sync.server.db import CentralStore
from sync.server.fleet import TerminalView, Thresholds, problems_of, record_heartbeat
from tests.central import CentralServer
from tests.test_sync_worker import enrol_terminal


def fleet_cli(central: CentralServer, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "sync.server.main", "fleet", "--db", central.database, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def healthy(**changes: Any) -> dict[str, Any]:
    """A heartbeat of a terminal with nothing wrong, changed as given."""
    beat: dict[str, Any] = {
        "version": "0.1.0",
        "sent_at": dt.datetime.now().isoformat(timespec="seconds"),
        "in_service": True,
        "faults": [],
        "devices": [
            {"key": "id_card", "state": "waiting", "ok": True},
            {"key": "ss_card", "state": "waiting", "ok": True},
            {"key": "camera", "state": "idle", "ok": True},
            {"key": "receipt", "state": "online", "ok": True},
            {"key": "a4", "state": "idle", "ok": True},
        ],
        "paper": [
            {"device": "receipt", "left": 250, "capacity": 300},
            {"device": "a4", "left": 200, "capacity": 250},
        ],
        "outbox_pending": 0,
        "outbox_parked": 0,
        "outbox_oldest": "",
        "last_sync": "2026-12-07 10:00:00",
        "free_disk_mb": 20_000,
        "errors": 0,
        "help_calls": 0,
        "update": "",
    }
    beat.update(changes)
    return beat


def with_device(key: str, state: str) -> list[dict[str, Any]]:
    return [
        {**d, "state": state, "ok": False} if d["key"] == key else d for d in healthy()["devices"]
    ]


FAULTS: dict[str, tuple[dict[str, Any], str, str]] = {
    # terminal: (its heartbeat, the problem code, words the list must show)
    "ZC-370302-0101": (healthy(devices=with_device("receipt", "no_paper")), "no_paper", "回执打印机缺纸"),
    "ZC-370302-0102": (
        healthy(devices=with_device("a4", "cover_open")), "printer_fault", "A4打印机故障：cover_open"
    ),
    "ZC-370302-0103": (healthy(devices=with_device("id_card", "no_reader")), "reader_fault", "身份证阅读器故障"),
    "ZC-370302-0104": (
        healthy(outbox_pending=3, outbox_oldest=(dt.datetime.now() - dt.timedelta(hours=10)).isoformat()),
        "cases_stuck",
        "3 件未上传",
    ),
    "ZC-370302-0105": (healthy(free_disk_mb=300), "disk_low", "存储空间只剩 300 MB"),
    "ZC-370302-0106": (
        healthy(update="rolled_back 0.2.0: the new release did not start"), "update_failed", "软件更新失败"
    ),
    "ZC-370302-0107": (
        healthy(in_service=False, faults=["磁盘空间不足，已暂停服务"]), "out_of_service", "磁盘空间不足"
    ),
    "ZC-370302-0108": (
        healthy(paper=[{"device": "a4", "left": 0, "capacity": 250}]), "no_paper", "A4打印机缺纸"
    ),
}


def test_the_fleet_list_names_every_fault_and_puts_them_first(central: CentralServer) -> None:
    for terminal_id, (beat, _, _) in FAULTS.items():
        secret = central.enrol(terminal_id)
        client = CentralClient(central.url, terminal_id, secret, 5)
        try:
            assert client.send_heartbeat(beat)
        finally:
            client.close()
    central.enrol("ZC-370302-0199")  # enrolled, never heard from
    done = fleet_cli(central)
    assert done.returncode == 1, done.stderr  # something needs a person
    blocks = _blocks(done.stdout)
    for terminal_id, (_, code, words) in FAULTS.items():
        block = blocks[terminal_id]
        assert f"[{code}]" in block and words in block, (terminal_id, block)
    assert "[offline] 从未报告状态" in blocks["ZC-370302-0199"]
    # The healthy terminal enrolled by the fixture (it sent nothing either) and the list's order:
    # every terminal with a problem before any without.
    rows = json.loads(fleet_cli(central, "--json").stdout)
    flags = [bool(row["problems"]) for row in rows]
    assert flags == sorted(flags, reverse=True)


def _blocks(text: str) -> dict[str, str]:
    """The list's lines grouped by terminal."""
    blocks: dict[str, str] = {}
    current = ""
    for line in text.splitlines()[1:]:  # after the count
        if line.startswith("      ["):
            blocks[current] += line + "\n"
        else:
            current = line.lstrip("！ ").split("  ")[0]
            blocks[current] = ""
    return blocks


def test_an_out_of_paper_terminal_is_named_within_one_sync(
    services: KioskServices, enrolled_central: CentralServer, tmp_path: Path
) -> None:
    central = enrolled_central
    enrol_terminal(services, central)
    record_call(services.store, services.config.terminal_id, "", "home")
    printer = simulator(services.devices.receipt_printer, PrinterSimulator)
    assert printer is not None
    printer.set_status(ReceiptPrinterStatus.NO_PAPER)
    worker = SyncWorker(
        services,
        interval=3600,
        client_factory=lambda _, t, s: CentralClient(central.url, t, s, 5),
        heartbeat=HeartbeatSource(services),
    )
    assert worker.run_round().last_error == ""
    done = fleet_cli(central)
    block = _blocks(done.stdout)[services.config.terminal_id]
    assert "[no_paper] 回执打印机缺纸" in block
    assert latest(central, services.config.terminal_id)["help_calls"] == 1  # the call made before it
    # The next round counts help calls from there: none new.
    worker.run_round()
    assert latest(central, services.config.terminal_id)["help_calls"] == 0
    printer.set_status(ReceiptPrinterStatus.ONLINE)
    worker.run_round()
    assert "[no_paper]" not in _blocks(fleet_cli(central).stdout).get(services.config.terminal_id, "")


def latest(central: CentralServer, terminal_id: str) -> dict[str, Any]:
    """The terminal's latest heartbeat, from `kiosk-central fleet --json`."""
    rows = json.loads(fleet_cli(central, "--json").stdout)
    return next(row["heartbeat"] for row in rows if row["terminal_id"] == terminal_id)


def test_a_heartbeat_that_is_not_one_is_refused(central: CentralServer) -> None:
    secret = central.enrol("ZC-370302-0201")
    client = CentralClient(central.url, "ZC-370302-0201", secret, 5)
    try:
        for bad in (
            healthy(errors=-1),
            healthy(version=""),
            healthy(devices=[{"key": "receipt", "state": "<script>", "ok": True}]),
            healthy(outbox_pending="7"),  # strict: a number is a JSON number
            healthy(devices="all fine"),
        ):
            assert client.request("POST", "/v1/heartbeats", bad).status_code == 422
    finally:
        client.close()
    unsigned = httpx.post(f"{central.url}/v1/heartbeats", json=healthy(), timeout=5)
    assert unsigned.status_code == 401


def test_the_history_is_bounded_and_the_latest_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fleet_module, "HISTORY_PER_TERMINAL", 3)
    store = CentralStore(tmp_path / "central.db")
    try:
        store.enrol("ZC-370302-0301", "370302")
        for n in range(5):
            record_heartbeat(store, "ZC-370302-0301", healthy(errors=n))
        history = fleet_module.heartbeat_history(store, "ZC-370302-0301")
        assert [beat["errors"] for beat in history] == [4, 3, 2]
        [view] = fleet_module.fleet(store)
        assert view.heartbeat["errors"] == 4 and view.problems == []
    finally:
        store.close()


def test_a_terminal_silent_too_long_is_offline() -> None:
    now = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    view = TerminalView("ZC-370302-0401", "370302", "2026-12-07T11:00:00+00:00", healthy())
    assert [p.code for p in problems_of(view, now, Thresholds(offline_minutes=30))] == ["offline"]
    assert problems_of(view, now, Thresholds(offline_minutes=90)) == []
