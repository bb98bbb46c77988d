"""The background sync round against the real reference server: probe, outbox, updates,
decisions, blocks; and what the admin status says when the centre is away."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.reference import id_hash
from kiosk.core.reference_store import SqliteReference
from kiosk.core.sync_worker import SyncWorker
from kiosk.core.updates import centre_key_path
from kiosk.services import KioskServices
from sync.client import CentralClient
from sync.credentials import save_secret
from tests.central import CentralServer
from tests.test_issuing import commit
from tests.test_office_decisions import REGISTRATION
from tests.waiting import wait_until

LISTED = "370302198001010011"


@pytest.fixture
def central(
    tmp_path: Path, services: KioskServices, central_database: str | None
) -> Iterator[CentralServer]:
    server = CentralServer(tmp_path / "central", database=central_database)
    server.db.parent.mkdir(parents=True)
    server.secret = server.enrol(services.config.terminal_id)
    server.key = tmp_path / "central" / "centre.pem"
    server.start()
    yield server
    server.stop()


def worker_for(services: KioskServices, central: CentralServer) -> SyncWorker:
    return SyncWorker(
        services, interval=3600, client_factory=lambda _, t, s: CentralClient(central.url, t, s, 2)
    )


def enrol_terminal(services: KioskServices, central: CentralServer) -> None:
    run = [sys.executable, "-m", "sync.server.main"]
    data_dir = services.config.data_dir
    save_secret(data_dir, central.secret)
    pem = subprocess.run(
        [*run, "public-key", "--key", str(central.key)], capture_output=True, check=True
    ).stdout
    centre_key_path(data_dir).parent.mkdir(parents=True, exist_ok=True)
    centre_key_path(data_dir).write_bytes(pem)


def test_a_terminal_not_enrolled_says_so(services: KioskServices, central: CentralServer) -> None:
    status = worker_for(services, central).run_round()
    assert not status.enrolled and status.last_error == "not enrolled"


def test_one_round_sends_the_cases_and_brings_back_updates(
    services: KioskServices, central: CentralServer, tmp_path: Path
) -> None:
    enrol_terminal(services, central)
    commit(services, "individual-business-registration", "adult", REGISTRATION)
    content = tmp_path / "list.json"
    content.write_text(
        json.dumps({"entries": [{"id_hash": id_hash(LISTED), "reason": "名单"}]}), encoding="utf-8"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sync.server.main",
            "publish",
            "dishonesty_list",
            str(content),
            "--key",
            str(central.key),
            "--db",
            central.database,
        ],
        check=True,
    )
    status = worker_for(services, central).run_round()
    assert status.online and status.enrolled and status.pending == 0 and status.failures_in_a_row == 0
    assert status.updates["dishonesty_list"] == "applied v1" and status.blocks == "enough"
    assert central.store().case_count(services.config.terminal_id) == 1
    assert SqliteReference(services.store).dishonesty_entry(LISTED) == "名单"
    assert services.journey.network_online


def test_with_the_centre_away_the_round_fails_softly_and_backs_off(
    services: KioskServices, central: CentralServer
) -> None:
    enrol_terminal(services, central)
    commit(services, "individual-business-registration", "adult", REGISTRATION)
    central.stop()
    worker = worker_for(services, central)
    first, second = worker.run_round(), worker.run_round()
    assert not second.online and second.failures_in_a_row == 2 and second.pending == 1
    assert second.last_error == "centre unreachable" and not services.journey.network_online
    central.start()
    worker.start()
    try:
        worker.sync_now()
        assert wait_until(lambda: worker.status().online and worker.status().pending == 0, 20)
        assert worker.status().next_round_in == 3600
    finally:
        worker.stop()
    assert first.rounds == 1
