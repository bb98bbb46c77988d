"""The camera's view on the capture screen, a few times a second, so a resident sees their
face in the oval (mirrored, as in a mirror) or their page in the frame while the camera looks.

Frames are shrunk and encoded on the camera's thread and kept in memory only: the latest one,
gone when the capture screen closes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

PREVIEW_WIDTH = 480
MIN_GAP_S = 0.2  # 5 pictures a second: smooth enough to stand still by, cheap to draw


class LivePreview(QObject):
    """The latest small JPEG of what the camera sees, while started."""

    updated = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._latest: bytes | None = None
        self._serial = 0
        self._last = 0.0
        self._mirror = False
        self._stop: Callable[[], None] | None = None

    def start(self, camera: Any, mirror: bool) -> None:
        """Follow `camera`'s frames (mirrored for a face) until `stop`."""
        self.stop()
        self._mirror = mirror
        self._stop = camera.on_frame(self._on_frame)

    def stop(self) -> None:
        """Stop following the camera and forget the last picture."""
        if self._stop is not None:
            self._stop()
            self._stop = None
        with self._lock:
            self._latest = None

    def token(self) -> str:
        """The image token of the latest picture ('' before the first)."""
        with self._lock:
            return f"live-{self._serial}" if self._latest is not None else ""

    def jpeg(self) -> bytes | None:
        """The latest picture."""
        with self._lock:
            return self._latest

    def _on_frame(self, frame: Any) -> None:  # on the camera thread
        now = time.monotonic()
        if now - self._last < MIN_GAP_S:
            return
        self._last = now
        import cv2

        height, width = frame.shape[:2]
        small = cv2.resize(frame, (PREVIEW_WIDTH, max(1, height * PREVIEW_WIDTH // width)))
        if self._mirror:
            small = cv2.flip(small, 1)
        ok, encoded = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 70])
        if not ok:
            return
        with self._lock:
            if self._stop is None:
                return  # stopped while this frame was being encoded
            self._latest, self._serial = encoded.tobytes(), self._serial + 1
        self.updated.emit()
