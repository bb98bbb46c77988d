"""The other ways a resident proves who they are, brought onto the UI thread: the
social-security card reader and the camera's QR scanner (an e-ID code).

Both report on their own threads; the signals queue each report to the UI thread. The camera is
acquired only while the identify screen shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class IdentifySources(QObject):
    """Signals from the social-security card reader and the QR scanner, safe to handle in QML's thread."""

    ssCardStatus = Signal(str)
    scanned = Signal(object)  # QrPayload | QrProblem
    cameraStatus = Signal(str)

    def __init__(self, devices: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scanner: Any = None
        self._unsubscribe: Any = None
        if devices.ss_card is not None:
            devices.ss_card.on_status_change(lambda status: self.ssCardStatus.emit(status.value))
        if devices.camera is not None:
            from devices.camera.scanner import QrScanner  # OpenCV: loaded after the first frame

            self._unsubscribe = devices.camera.on_status_change(
                lambda status: self.cameraStatus.emit(status.value)
            )
            self._scanner = QrScanner(devices.camera, self.scanned.emit)

    def start_scanning(self) -> None:
        """Open the camera and look for QR codes (the identify screen is showing)."""
        if self._scanner is not None:
            self._scanner.start()

    def stop_scanning(self) -> None:
        """Let the camera go (the identify screen has gone)."""
        if self._scanner is not None:
            self._scanner.stop(wait=False)  # the UI thread never waits for the camera to close

    def close(self) -> None:
        """The window is going: stop scanning, wait for the camera to close, stop its reports."""
        if self._scanner is not None:
            self._scanner.stop(wait=True)
        if self._unsubscribe is not None:
            self._unsubscribe()
