"""The demo terminal's staff (demo mode only): a hall worker and a technician, with staff
cards the dev dock can put on the reader. Their PINs are in the README's demo section."""

from __future__ import annotations

import hashlib

from kiosk.admin.staff import StaffRegistry
from kiosk.core.store import Store

# staff id, name, role, PIN
DEMO_STAFF = (
    ("ZC-07", "李娜", "staff", "246813"),
    ("TECH-01", "赵工", "technician", "135792"),
)


def demo_card_key(staff_id: str) -> bytes:
    """The demo card's key (derived, so the dev dock's card and the registry agree)."""
    return hashlib.sha256(f"kiosk demo staff card {staff_id}".encode()).digest()


def seed_demo_staff(store: Store) -> None:
    """Enrol the demo staff once, on a terminal with nobody enrolled."""
    registry = StaffRegistry(store)
    if registry.members():
        return
    for staff_id, name, role, pin in DEMO_STAFF:
        registry.add(staff_id, name, role, pin, demo_card_key(staff_id))
