"""Waiting for something another thread or process does, without asserting how long it took."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(predicate: Callable[[], object], seconds: float = 10.0, step: float = 0.02) -> bool:
    """True as soon as `predicate()` is true; False if it never was within `seconds` (a hang guard)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False
