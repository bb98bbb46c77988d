"""The staff of a terminal: hall staff (staff) and technicians, each with a PIN hash and,
where the hall uses staff cards, the key their card proves it holds."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kiosk.admin.pins import hash_pin, pin_matches, pin_problem
from kiosk.core.audit import append_audit
from kiosk.core.store import Store

ROLES = ("staff", "technician")
ROLE_NAMES = {"staff": "窗口工作人员", "technician": "运维技术员"}
_STAFF_ID = re.compile(r"[A-Za-z0-9-]{2,20}")


class StaffError(ValueError):
    """A staff member that cannot be added as given; the message says why."""


@dataclass(frozen=True)
class StaffMember:
    """Who unlocked admin mode, and what they may do there."""

    staff_id: str
    name: str
    role: str

    @property
    def is_technician(self) -> bool:
        """Technicians also see the technician-only actions."""
        return self.role == "technician"


class StaffRegistry:
    """Staff members in the terminal's store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self, staff_id: str, name: str, role: str, pin: str, card_key: bytes | None = None
    ) -> StaffMember:
        """Add (or replace) a staff member; the PIN is kept only as its hash, the card key sealed."""
        if not _STAFF_ID.fullmatch(staff_id):
            raise StaffError("staff id: 2 to 20 letters, digits or '-'")
        if role not in ROLES:
            raise StaffError(f"role must be one of {', '.join(ROLES)}")
        if problem := pin_problem(pin):
            raise StaffError(problem)
        sealed = self.store.cipher.seal_bytes(card_key, f"staff-card:{staff_id}") if card_key else None
        now = dt.datetime.now().isoformat(timespec="seconds")
        with self.store.durable() as conn:
            conn.execute(
                "INSERT INTO staff(staff_id, name, role, pin_hash, card_key, created_at) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT(staff_id) DO UPDATE SET name = excluded.name, role = excluded.role,"
                " pin_hash = excluded.pin_hash, card_key = excluded.card_key, active = 1",
                (staff_id, name, role, hash_pin(pin), sealed, now),
            )
            append_audit(conn, "installer", "staff_added", {"staff_id": staff_id, "role": role})
        return StaffMember(staff_id, name, role)

    def member(self, staff_id: str) -> StaffMember | None:
        """An active staff member by id."""
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT staff_id, name, role FROM staff WHERE staff_id = ? AND active = 1", (staff_id,)
            ).fetchone()
        return StaffMember(*row) if row else None

    def members(self) -> list[StaffMember]:
        """Every active staff member."""
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT staff_id, name, role FROM staff WHERE active = 1 ORDER BY staff_id"
            ).fetchall()
        return [StaffMember(*row) for row in rows]

    def pin_is(self, staff_id: str, pin: str) -> bool:
        """Whether `pin` is this member's PIN."""
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT pin_hash FROM staff WHERE staff_id = ? AND active = 1", (staff_id,)
            ).fetchone()
        return bool(row) and pin_matches(pin, row[0])

    def whose_pin(self, pin: str) -> StaffMember | None:
        """The member with this PIN (PIN-only terminals; every hash is tried, so none is faster)."""
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT staff_id, name, role, pin_hash FROM staff WHERE active = 1"
            ).fetchall()
        found = [StaffMember(*row[:3]) for row in rows if pin_matches(pin, row[3])]
        return found[0] if len(found) == 1 else None

    def card_key(self, staff_id: str) -> bytes | None:
        """The key this member's staff card holds, if they have a card."""
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT card_key FROM staff WHERE staff_id = ? AND active = 1", (staff_id,)
            ).fetchone()
        if not row or row[0] is None:
            return None
        return self.store.cipher.open_bytes(row[0], f"staff-card:{staff_id}")
