"""One sync at a time: the scheduler, the staff's "sync now" button and a second process (the
`kiosk` command) all go through here; whoever comes second is told a sync is already running.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from pathlib import Path

from sync.client import OutboxPusher, PushReport

log = logging.getLogger(__name__)


class SyncRunner:
    """Runs a push under a thread lock and a file lock (other processes)."""

    def __init__(self, pusher: OutboxPusher, lock_path: Path) -> None:
        self._pusher = pusher
        self._lock_path = lock_path
        self._thread_lock = threading.Lock()

    def run_once(self, limit: int = 200) -> PushReport | None:
        """Push once; None when another sync (thread or process) holds the lock."""
        if not self._thread_lock.acquire(blocking=False):
            return None
        try:
            self._lock_path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock_path.open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    log.info("sync already running in another process")
                    return None
                try:
                    return self._pusher.push(limit)
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def drain(self, limit: int = 200, max_rounds: int = 10_000) -> PushReport:
        """Push until nothing is pending or a round fails; the totals."""
        total = PushReport()
        for _ in range(max_rounds):
            report = self.run_once(limit)
            if report is None:
                break
            total.sent += report.sent
            total.parked += report.parked
            total.failed += report.failed
            total.last_error = report.last_error or total.last_error
            total.auth_refused = total.auth_refused or report.auth_refused
            if not report.clean or report.sent + report.parked == 0:
                break
        return total
