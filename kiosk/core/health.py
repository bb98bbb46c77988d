"""The terminal's own health while it runs: one background thread (never the UI's) that looks at
the free disk space every half minute and runs the daily integrity check when it is due. What it
finds opens or clears faults in `Availability`; a commit that finds the disk full wakes it at once.
"""

from __future__ import annotations

import logging
import threading

from kiosk.core.disk_watch import DiskWatch
from kiosk.core.integrity import NightlyIntegrity

log = logging.getLogger(__name__)


class HealthWatch:
    """Runs the checks now (`check_now`) or every `interval` seconds on its own thread."""

    def __init__(self, disk: DiskWatch, integrity: NightlyIntegrity, interval: float = 30.0) -> None:
        self.disk = disk
        self.integrity = integrity
        self._interval = interval
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def check_now(self) -> None:
        """Run every check on the calling thread; a failing check is logged, never raised."""
        for name, check in (("disk", self.disk.check), ("integrity", self.integrity.run_if_due)):
            try:
                check()
            except Exception:
                log.exception("health check failed", extra={"check": name})

    def wake(self) -> None:
        """Check as soon as possible (a commit just found the disk full)."""
        self._wake.set()

    def start(self) -> None:
        """Start the background checks."""
        if self._thread is None:
            self._stopped.clear()
            self._thread = threading.Thread(target=self._loop, name="health", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the check in progress."""
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stopped.is_set():
            self.check_now()
            self._wake.wait(self._interval)
            self._wake.clear()
