"""Frames from OpenCV's VideoCapture: a camera device (index or /dev/video path) or a video file."""

from __future__ import annotations

import logging
import time

import cv2
import numpy as np

log = logging.getLogger(__name__)


class OpenCvSource:
    """A VideoCapture opened on demand; a file plays at its own frame rate, looping if asked."""

    def __init__(self, device: int | str, width: int = 1920, height: int = 1080, loop: bool = False) -> None:
        self.device = device
        self.size = (width, height)
        self.loop = loop
        self._capture: cv2.VideoCapture | None = None
        self._frame_gap = 0.0
        self._next_due = 0.0

    def _is_file(self) -> bool:
        return isinstance(self.device, str) and not self.device.startswith("/dev/")

    def open(self) -> bool:
        """Open the device or file; False (logged) when it is not there."""
        capture = cv2.VideoCapture(self.device)
        if not capture.isOpened():
            log.warning("camera %s cannot be opened", self.device)
            capture.release()
            return False
        if self._is_file():
            fps = capture.get(cv2.CAP_PROP_FPS) or 15.0
            self._frame_gap = 1.0 / fps
        else:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.size[0])
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.size[1])
        self._capture = capture
        self._next_due = time.monotonic()
        return True

    def read(self) -> np.ndarray | None:
        """The next frame (a file is paced to its frame rate and rewound when looping)."""
        if self._capture is None:
            return None
        if self._frame_gap:
            pause = self._next_due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._next_due = max(self._next_due + self._frame_gap, time.monotonic())
        ok, frame = self._capture.read()
        if not ok and self.loop and self._is_file():
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        return frame if ok else None

    def close(self) -> None:
        """Release the device."""
        if self._capture is not None:
            self._capture.release()
            self._capture = None
