"""The durable outbox: what the terminal still owes the central platform.

Entries are written in the same transaction as the case they carry, so a case never exists
without its entry and an entry never exists without its case.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass

STATES = ("pending", "acknowledged", "parked")


@dataclass(frozen=True)
class OutboxEntry:
    """One thing to send: its client-made UUID, the case, the kind and the sealed payload."""

    entry_uuid: str
    case_id: str
    kind: str
    payload: bytes
    state: str
    attempts: int
    seq: int


def enqueue(conn: sqlite3.Connection, case_id: str, kind: str, payload: bytes, seq: int) -> str:
    """Add an entry inside the caller's transaction; returns its UUID (the idempotency key)."""
    entry_uuid = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO outbox(entry_uuid, case_id, kind, payload, created_at, seq) VALUES (?,?,?,?,?,?)",
        (entry_uuid, case_id, kind, payload, dt.datetime.now().isoformat(timespec="seconds"), seq),
    )
    return entry_uuid


def pending(conn: sqlite3.Connection, limit: int = 100) -> list[OutboxEntry]:
    """Entries still to send, oldest first by counter (never by clock)."""
    rows = conn.execute(
        "SELECT entry_uuid, case_id, kind, payload, state, attempts, seq FROM outbox "
        "WHERE state = 'pending' ORDER BY seq, id LIMIT ?",
        (limit,),
    )
    return [OutboxEntry(*row) for row in rows]


def entries_for_case(conn: sqlite3.Connection, case_id: str) -> list[OutboxEntry]:
    """Every outbox entry of one case."""
    rows = conn.execute(
        "SELECT entry_uuid, case_id, kind, payload, state, attempts, seq FROM outbox "
        "WHERE case_id = ? ORDER BY seq, id",
        (case_id,),
    )
    return [OutboxEntry(*row) for row in rows]


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many entries are in each state."""
    found = dict(conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
    return {state: found.get(state, 0) for state in STATES}


def oldest_pending(conn: sqlite3.Connection) -> str:
    """When the oldest entry still to send was made (the terminal's clock); '' when none waits."""
    row = conn.execute("SELECT MIN(created_at) FROM outbox WHERE state = 'pending'").fetchone()
    return str(row[0]) if row and row[0] else ""


def acknowledge(conn: sqlite3.Connection, entry_uuid: str, ack: str) -> None:
    """The centre acknowledged the entry: keep its acknowledgement; the entry is done."""
    conn.execute(
        "UPDATE outbox SET state = 'acknowledged', ack = ?, sent_at = ?, last_error = NULL"
        " WHERE entry_uuid = ?",
        (ack, dt.datetime.now().isoformat(timespec="seconds"), entry_uuid),
    )


def record_failure(conn: sqlite3.Connection, entry_uuid: str, error: str) -> None:
    """A try that did not end in an acknowledgement: count it; the entry stays pending."""
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE entry_uuid = ?", (error, entry_uuid)
    )


def park(conn: sqlite3.Connection, entry_uuid: str, reason: str) -> None:
    """The centre refused the entry (4xx): it waits in "needs attention" with the reason; never dropped."""
    conn.execute(
        "UPDATE outbox SET state = 'parked', attempts = attempts + 1, last_error = ? WHERE entry_uuid = ?",
        (reason, entry_uuid),
    )


def release_parked(conn: sqlite3.Connection, entry_uuid: str) -> bool:
    """Staff send a parked entry again (after the cause is fixed)."""
    cursor = conn.execute(
        "UPDATE outbox SET state = 'pending' WHERE entry_uuid = ? AND state = 'parked'", (entry_uuid,)
    )
    return cursor.rowcount == 1


def parked(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """The "needs attention" list: (entry UUID, case id, reason)."""
    rows = conn.execute(
        "SELECT entry_uuid, case_id, COALESCE(last_error, '') FROM outbox WHERE state = 'parked'"
        " ORDER BY seq, id"
    )
    return [tuple(row) for row in rows]


def parked_entries(conn: sqlite3.Connection) -> list[OutboxEntry]:
    """The parked entries themselves (for carrying them to the centre by hand)."""
    rows = conn.execute(
        "SELECT entry_uuid, case_id, kind, payload, state, attempts, seq FROM outbox "
        "WHERE state = 'parked' ORDER BY seq, id"
    )
    return [OutboxEntry(*row) for row in rows]
