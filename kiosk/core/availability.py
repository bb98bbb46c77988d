"""Whether the terminal takes new sessions now, and if not, why: the out-of-service state.

Checks that run while the kiosk runs (free disk space, the nightly integrity check) report a
fault here and clear it when the cause is gone; the terminal is in service when no fault is
open. The resident sees one plain sentence (RESIDENT_MESSAGE), staff see each fault's Chinese
text, and the log gets each change with the check and the exact finding.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.core.refusal import RESIDENT_MESSAGE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fault:
    """One open reason not to serve."""

    check: str  # disk_space, store_integrity, …
    detail: str  # precise, for the log and the diagnostics bundle
    staff: str  # Chinese, for hall staff and technicians
    since: str  # the terminal's clock, for people only
    screen: str = RESIDENT_MESSAGE  # what the resident sees


class Availability:
    """The open faults; thread-safe, listeners told of every change."""

    def __init__(self) -> None:
        self._faults: dict[str, Fault] = {}
        self._lock = threading.Lock()
        self._listeners: list[Callable[[Fault | None], None]] = []

    def report(self, check: str, detail: str, staff: str) -> Fault:
        """Open (or keep open) a fault of `check`; logged when it opens."""
        with self._lock:
            fault = self._faults.get(check)
            if fault is None:
                fault = Fault(check, detail, staff, dt.datetime.now().isoformat(timespec="seconds"))
                self._faults[check] = fault
                opened = True
            else:
                fault = Fault(check, detail, staff, fault.since)
                self._faults[check] = fault
                opened = False
        if opened:
            log.error("out of service: no new sessions", extra={"check": check, "detail": detail})
            self._tell()
        return fault

    def clear(self, check: str) -> None:
        """The cause of `check`'s fault is gone; logged when one was open."""
        with self._lock:
            fault = self._faults.pop(check, None)
        if fault is not None:
            log.warning("back in service", extra={"check": check, "since": fault.since})
            self._tell()

    def current(self) -> Fault | None:
        """The first open fault, or None when the terminal is in service."""
        with self._lock:
            return next(iter(self._faults.values()), None)

    def faults(self) -> list[Fault]:
        """Every open fault."""
        with self._lock:
            return list(self._faults.values())

    @property
    def in_service(self) -> bool:
        """True when new sessions may start."""
        return self.current() is None

    def on_change(self, listener: Callable[[Fault | None], None]) -> None:
        """Call `listener` with the current fault (None: in service) after every change, on the
        thread that made it."""
        self._listeners.append(listener)

    def _tell(self) -> None:
        current = self.current()
        for listener in list(self._listeners):
            try:
                listener(current)
            except Exception:
                log.exception("availability listener failed")
