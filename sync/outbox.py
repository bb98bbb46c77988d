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
