"""Retention: a case's personal data leaves the terminal once the centre has acknowledged every
entry of the case, its attachments are uploaded, it is finished here (issued, or closed), and the
retention period has passed. What stays is what 办件查询 by case number and the figures need:
the number, item, outcome, state, summary, events and the documents journal.

The period is measured on the terminal's clock, which may be wrong; a wrong clock can only purge
early what the centre already holds, never lose a case.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3

from kiosk.core.lifecycle import CaseState
from kiosk.core.store import Store

log = logging.getLogger(__name__)
FINISHED = (CaseState.ISSUED.value, CaseState.CLOSED.value, CaseState.RETURNED_BY_OFFICE.value)


def purgeable(conn: sqlite3.Connection, before: str) -> list[str]:
    """Ids of the cases whose personal data may go now (last changed before `before`)."""
    marks = ",".join("?" * len(FINISHED))
    rows = conn.execute(
        f"SELECT id FROM cases c WHERE state IN ({marks}) AND updated_at < ?"
        " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = c.id AND o.state != 'acknowledged')"
        " AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.case_id = c.id AND a.uploaded = 0)"
        " ORDER BY seq",
        (*FINISHED, before),
    )
    return [row[0] for row in rows]


def purge_expired(store: Store, retention_days: int, now: dt.datetime | None = None) -> list[str]:
    """Purge every case past retention, each in its own transaction; the ids purged."""
    moment = now or dt.datetime.now()
    before = (moment - dt.timedelta(days=retention_days)).isoformat(timespec="seconds")
    with store.lock:
        ids = purgeable(store.conn, before)
    for case_id in ids:
        with store.transaction() as conn:
            _purge(conn, case_id, moment.isoformat(timespec="seconds"))
    if ids:
        log.info("personal data purged after retention", extra={"cases": len(ids), "days": retention_days})
    return ids


def _purge(conn: sqlite3.Connection, case_id: str, at: str) -> None:
    state = conn.execute("SELECT state FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
    steps = (
        [CaseState.PURGED.value]
        if state == CaseState.CLOSED.value
        else [CaseState.CLOSED.value, CaseState.PURGED.value]
    )
    conn.execute(
        "UPDATE cases SET personal = NULL, applicant_tag = NULL, state = ?, updated_at = ? WHERE id = ?",
        (CaseState.PURGED.value, at, case_id),
    )
    # The acknowledged entries' sealed bodies carried the same personal data; the acknowledgement stays.
    conn.execute("UPDATE outbox SET payload = x'' WHERE case_id = ?", (case_id,))
    conn.execute("DELETE FROM attachments WHERE case_id = ?", (case_id,))
    for step in steps:
        conn.execute(
            "INSERT INTO case_events(case_id, kind, detail, at) VALUES (?,?,?,?)",
            (case_id, f"state:{step}", json.dumps({"reason": "retention"}), at),
        )
