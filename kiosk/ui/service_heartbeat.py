"""The running kiosk as a systemd service: READY=1 once its services are up, a watchdog ping
from the UI thread's own event loop (a hung UI stops the pings and systemd restarts the kiosk),
and, when the services cannot start, a restart two minutes later so a passing fault heals."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot

from kiosk.service_notify import notify, watchdog_interval

log = logging.getLogger(__name__)
RETRY_AFTER_FAILED_START_MS = 120_000


class ServiceHeartbeat(QObject):
    """Tells systemd how the kiosk is; lives on the UI thread."""

    def __init__(self, is_ready: Callable[[], bool], exit_app: Callable[[int], None]) -> None:
        super().__init__()
        self._is_ready, self._exit_app = is_ready, exit_app
        self._told_ready = False
        self._pings = QTimer(self)
        interval = watchdog_interval()
        if interval is not None:
            self._pings.setInterval(max(1000, int(interval * 1000)))
            self._pings.timeout.connect(lambda: notify("WATCHDOG=1"))
            self._pings.start()

    @Slot()
    def check_ready(self) -> None:
        """Called when the kiosk's state changes: the first time it is ready, say so."""
        if not self._told_ready and self._is_ready():
            self._told_ready = True
            notify("READY=1", "STATUS=服务中")

    @Slot(str)
    def start_failed(self, reason: str) -> None:
        """The store or the devices did not start: the screen asks for staff; retry later."""
        self._told_ready = True
        notify("READY=1", f"STATUS=无法启动：{reason[:200]}")
        log.critical("restarting in %d s to try again", RETRY_AFTER_FAILED_START_MS // 1000)
        QTimer.singleShot(RETRY_AFTER_FAILED_START_MS, lambda: self._exit_app(1))

    def stopping(self) -> None:
        """The kiosk is leaving (a restart from admin mode, or systemd stopping it)."""
        self._pings.stop()
        notify("STOPPING=1")
