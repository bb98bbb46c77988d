"""The terminal's share of its division's licence-number space: the blocks of serials the centre
allocated (kiosk/core/licence_blocks.py asks for them), a serial taken for each new business
inside the transaction that stores its case, and what the resident is told when none is left.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from forms.catalogue import Remedy
from forms.outcomes import Outcome
from forms.rules import Decision, RuleFailure
from kiosk.core.case_summary import CaseSummary, Notice
from kiosk.core.store import Store


def add_licence_block(store: Store, block_id: str, first_serial: int, last_serial: int) -> bool:
    """Store a block of licence serials the centre allocated; False if it was known already."""
    with store.durable() as conn:
        return insert_licence_block(conn, block_id, first_serial, last_serial)


def insert_licence_block(
    conn: sqlite3.Connection, block_id: str, first_serial: int, last_serial: int
) -> bool:
    """Store a block inside the caller's transaction; False if it was known already."""
    cursor = conn.execute(
        "INSERT INTO licence_blocks(block_id, first_serial, last_serial, next_serial) VALUES (?,?,?,?)"
        " ON CONFLICT(block_id) DO NOTHING",
        (block_id, first_serial, last_serial, first_serial),
    )
    return cursor.rowcount == 1


LICENCE_WAIT = "licence_numbers_exhausted"
LICENCE_WAIT_NOTICE: Notice = {
    "message": "本机的营业执照编号暂时用完，申请已受理，审核结果不变。",
    "remedy": "执照编号下发后即可凭身份证在本机“办件查询”中打印营业执照，一般不超过1个工作日。",
    "place": "",
    "within_days": 1,
}


def take_licence_serial(conn: sqlite3.Connection) -> int | None:
    """Take the next serial from the oldest block with one left, inside the caller's transaction."""
    row = conn.execute(
        "SELECT id, next_serial FROM licence_blocks WHERE next_serial <= last_serial ORDER BY id LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE licence_blocks SET next_serial = next_serial + 1 WHERE id = ?", (row[0],))
    return int(row[1])


def licence_serials_left(store: Store) -> int:
    """How many licence serials remain across all blocks."""
    with store.lock:
        row = store.conn.execute("SELECT COALESCE(SUM(last_serial - next_serial + 1), 0) FROM licence_blocks")
        return int(row.fetchone()[0])


def awaiting_licence_number(decision: Decision) -> Decision:
    """The decision as it stands when no serial is left: what the rules decided is kept, the case
    is accepted, and the licence prints once numbers arrive (never a duplicate or provisional one)."""
    notice = RuleFailure(
        LICENCE_WAIT,
        Outcome.ACCEPTED_PENDING,
        str(LICENCE_WAIT_NOTICE["message"]),
        Remedy("print_later", str(LICENCE_WAIT_NOTICE["remedy"]), within_days=1),
    )
    return replace(
        decision,
        outcome=Outcome.ACCEPTED_PENDING,
        failures=(*decision.failures, notice),
        documents=("acceptance_notice", "receipt"),
    )


def pending_summary(summary: CaseSummary, decided: Decision) -> CaseSummary:
    """The case summary of a case waiting for a licence number: the outcome the rules decided and
    the documents it will issue are kept for when the number arrives."""
    return {
        **summary,
        "pending_reason": LICENCE_WAIT,
        "decided_outcome": decided.outcome,
        "documents_if_approved": summary.get("documents", []),
        "documents": ["acceptance_notice", "receipt"],
        "notices": [*summary.get("notices", []), LICENCE_WAIT_NOTICE],
    }
