"""Retention: once the centre holds a finished case and its retention period has passed, the
case's personal data leaves the terminal; what is not yet at the centre, or not finished, stays."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from devices.demo_residents import demo_residents
from kiosk.config import KioskConfig
from kiosk.core.cases import PurgedError
from kiosk.core.retention import purge_expired
from kiosk.core.sync_worker import SyncWorker
from kiosk.devtools.proof.journeys import registration
from kiosk.services import KioskServices, build_services
from sync.credentials import save_secret
from tests.central import CentralServer

LATER = dt.datetime.now() + dt.timedelta(days=31)


@pytest.fixture
def synced(tmp_path: Path, bare_centre: CentralServer) -> Iterator[KioskServices]:
    config = replace(KioskConfig(), demo=True, data_dir=tmp_path / "data", central_url=bare_centre.url)
    save_secret(config.data_dir, bare_centre.enrol(config.terminal_id))
    services = build_services(config, spool_dir=tmp_path / "spool")
    yield services
    services.close()


def test_finished_cases_the_centre_holds_lose_their_personal_data_after_retention(synced: KioskServices) -> None:
    rng = random.Random(5)
    seen = [registration(synced, rng) for _ in range(6)]
    issued = [s for s in seen if s.documents]
    in_review = [s for s in seen if s.outcome == "manual_review"]
    assert issued and in_review
    assert SyncWorker(synced).run_round().pending == 0  # the centre acknowledged every entry
    assert purge_expired(synced.store, 30) == []  # not yet: the retention period has not passed
    late = registration(synced, rng)  # decided after the sync: the centre does not have it yet

    purged = purge_expired(synced.store, 30, now=LATER)

    assert sorted(purged) == sorted(s.case_id for s in issued)
    conn = synced.store.conn
    for case in issued:
        row = conn.execute("SELECT personal, applicant_tag, state FROM cases WHERE id = ?", (case.case_id,)).fetchone()
        assert tuple(row) == (None, None, "purged")
        assert conn.execute("SELECT COUNT(*) FROM attachments WHERE case_id = ?", (case.case_id,)).fetchone()[0] == 0
        payloads = conn.execute("SELECT payload, state FROM outbox WHERE case_id = ?", (case.case_id,)).fetchall()
        assert payloads and all(bytes(p) == b"" and s == "acknowledged" for p, s in payloads)
        with pytest.raises(PurgedError):
            synced.cases.personal(case.case_id)
    for kept in (*in_review, late):
        assert synced.cases.personal(kept.case_id)["applicant"]["name"]
    # 办件查询 by case number still finds a purged case; by ID card it is no longer linkable.
    assert synced.cases.get(issued[0].case_id).number == issued[0].number
    adult = demo_residents()["adult"][1]
    assert not {c.id for c in synced.cases.for_applicant(adult.id_number)} & set(purged)
    # Staff cannot reprint what the terminal no longer holds: they are sent to the window.
    code = conn.execute(
        "SELECT number FROM issued_documents WHERE kind = 'business_licence' AND case_id = ?", (issued[0].case_id,)
    ).fetchone()[0]
    printed, message = synced.journey.reprint_licence(code, "ZC-07", "污损")
    assert not printed and "请到窗口补打" in message
    assert purge_expired(synced.store, 30, now=LATER) == []  # once only
    assert synced.cases.tag_untagged_cases() == 0  # what runs at the next start leaves them alone


def test_nothing_is_purged_while_an_attachment_waits_for_upload(synced: KioskServices) -> None:
    rng = random.Random(6)
    seen = registration(synced, rng)
    while not seen.documents:
        seen = registration(synced, rng)
    conn = synced.store.conn
    with synced.store.transaction() as tx:
        tx.execute("UPDATE outbox SET state = 'acknowledged'")  # as if sent, but the signature was not
    assert conn.execute("SELECT COUNT(*) FROM attachments WHERE case_id = ? AND uploaded = 0", (seen.case_id,)).fetchone()[0]
    assert seen.case_id not in purge_expired(synced.store, 30, now=LATER)


def test_the_purge_looks_entries_and_attachments_up_by_case_never_by_scanning(synced: KioskServices) -> None:
    # A terminal purges months of cases at once the first time; a scan per case made that O(n²).
    rng = random.Random(7)
    for _ in range(3):
        registration(synced, rng)
    assert SyncWorker(synced).run_round().pending == 0
    conn = synced.store.conn
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        assert purge_expired(synced.store, 30, now=LATER)
    finally:
        conn.set_trace_callback(None)
    touching = [s for s in statements if "outbox" in s or "attachments" in s]
    assert touching
    for statement in touching:
        plan = " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}"))
        assert "SCAN o" not in plan and "SCAN a" not in plan and "SCAN outbox" not in plan, (statement, plan)
        assert "SCAN attachments" not in plan, (statement, plan)
