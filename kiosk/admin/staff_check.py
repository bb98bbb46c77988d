"""The hall-staff alternative to the face check: staff unlock as for admin mode and confirm they
compared the resident's card with the resident (the record itself is kiosk.core.identity_check's)."""

from __future__ import annotations

from typing import Any

from kiosk.admin.gate import AdminGate
from kiosk.admin.gate import Refused as Locked
from kiosk.core.identity import Refused
from kiosk.core.identity_check import staff_check


def confirm_by_staff(gate: AdminGate, pin: str, item_id: str, why: str) -> dict[str, Any] | Refused:
    """Hall staff unlock as for admin mode (their card on the reader and its PIN, under the same
    lockout, every attempt audited) and confirm they compared the card with the person: the
    record for the case, with the confirmation in the audit log; or why the unlock was refused."""
    member = gate.unlock(pin)
    if isinstance(member, Locked):
        return Refused(member.reason, member.message)
    record = staff_check(member.staff_id, why)
    gate.record(member, "identity_checked_by_staff", {"item": item_id, "why": why, "at": record["at"]})
    return record
