"""Back-office decisions coming back from the centre: a case a person approved can then be
printed at the terminal (自助打证); a returned one tells the resident what to do.

The terminal remembers the sequence number of the last decision it applied (a counter, not a
clock) and asks only for those after it. A decision and the counter move in that order: a crash
between them means the decision is asked for again, and applying it again changes nothing
(the case is no longer awaiting review).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import httpx

from kiosk.core.back_office import apply_office_decision
from kiosk.core.store import Store
from sync.protocol import OfficeDecision

if TYPE_CHECKING:
    from kiosk.core.journey import JourneyService

log = logging.getLogger(__name__)
COUNTER = "office_decision_seq"


def last_applied(store: Store) -> int:
    """The sequence number of the last decision applied here."""
    with store.lock:
        row = store.conn.execute("SELECT value FROM counters WHERE name = ?", (COUNTER,)).fetchone()
    return row[0] if row else 0


def _remember(store: Store, seq: int) -> None:
    with store.durable() as conn:
        conn.execute(
            "INSERT INTO counters(name, value) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)",
            (COUNTER, seq),
        )


def fetch_decisions(client: Any, journey: JourneyService, store: Store) -> list[str]:
    """Apply the decisions the centre has for this terminal; the case numbers changed."""
    changed: list[str] = []
    while True:
        try:
            response = client.request("GET", f"/v1/decisions?after={last_applied(store)}")
            page = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("decisions not fetched", extra={"error": str(exc)})
            return changed
        if not isinstance(page, dict) or not isinstance(page.get("decisions"), list):
            log.warning("decisions not fetched", extra={"status": response.status_code})
            return changed
        if not page["decisions"]:
            return changed
        for raw in page["decisions"]:
            try:
                decision = OfficeDecision.model_validate(raw)  # the protocol's model of one
            except ValueError:
                log.error("a decision the terminal cannot read", extra={"decision": str(raw)[:200]})
                return changed
            record = apply_office_decision(
                journey, decision.case_id, decision.approved, decision.note, decision.reference
            )
            if record is not None:
                changed.append(record.number)
            _remember(store, decision.seq)
