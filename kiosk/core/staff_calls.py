"""呼叫工作人员: a resident asks for help from any screen. The call goes into the audit log (which
terminal, which item, which screen, when; nothing about the resident), where the hall's admin
page lists today's calls."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from kiosk.core.audit import append_audit
from kiosk.core.store import Store

ACTION = "staff_called"
ACTOR = "resident"


@dataclass(frozen=True)
class StaffCall:
    """One call for help: when, and where in the journey the resident was."""

    at: str  # ISO time, to the second
    terminal: str
    item: str  # the item's name, "" before one was chosen
    screen: str


def record_call(store: Store, terminal: str, item: str, screen: str) -> StaffCall:
    """Write the call to the audit log and return it."""
    with store.transaction() as conn:
        append_audit(conn, ACTOR, ACTION, {"terminal": terminal, "item": item, "screen": screen})
        at = conn.execute("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    return StaffCall(str(at), terminal, item, screen)


def calls_on(store: Store, day: dt.date) -> list[StaffCall]:
    """The calls made on `day`, latest first."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT at, detail FROM audit_log WHERE action = ? AND at >= ? AND at < ? ORDER BY id DESC",
            (ACTION, day.isoformat(), (day + dt.timedelta(days=1)).isoformat()),
        ).fetchall()
    calls = []
    for at, detail in rows:
        where = json.loads(detail)
        calls.append(
            StaffCall(str(at), where.get("terminal", ""), where.get("item", ""), where.get("screen", ""))
        )
    return calls
