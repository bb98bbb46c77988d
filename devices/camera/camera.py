"""The camera: one frame thread feeding listeners, opened while some screen needs it.

Screens `acquire` the camera under their own name and `release` it when they leave; the device
is opened for the first user and closed (its light goes off) when the last one is gone. Frames
arrive on the camera's own thread, never the UI's. The source of frames is a driver (OpenCV's
VideoCapture on a device or a video file) or the simulator (generated scenes).
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


class CameraStatus(enum.Enum):
    """Every state the camera can be in."""

    NO_DEVICE = "no_device"  # unplugged, or it cannot be opened
    IDLE = "idle"  # there, and closed because no screen needs it
    STREAMING = "streaming"
    ERROR = "error"  # opened, but the frames stopped coming


class FrameSource(Protocol):
    """Where frames come from: a device, a file, a simulated scene."""

    def open(self) -> bool:
        """Start; False when there is no device."""

    def read(self) -> np.ndarray | None:
        """The next BGR frame, waiting for it at the source's pace; None when none came."""

    def close(self) -> None:
        """Stop and free the device."""


FrameListener = Callable[[np.ndarray], None]
StatusListener = Callable[[CameraStatus], None]


class Camera:
    """A frame source shared by the screens that need it."""

    def __init__(self, source: FrameSource, failures_before_error: int = 10) -> None:
        self._source = source
        self._users: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closing: threading.Thread | None = None
        self._stop = threading.Event()
        self._frame_listeners: list[FrameListener] = []
        self._status_listeners: list[StatusListener] = []
        self._status = CameraStatus.IDLE
        self._latest: np.ndarray | None = None
        self._failures_before_error = failures_before_error

    # ---- status ---------------------------------------------------------------------------
    def status(self) -> CameraStatus:
        """The camera's current state."""
        return self._status

    def on_status_change(self, listener: StatusListener) -> Callable[[], None]:
        """Call `listener` (on the camera thread or the caller's) when the status changes.

        Returns a function that stops the calls.
        """
        self._status_listeners.append(listener)
        return lambda: self._status_listeners.remove(listener) if listener in self._status_listeners else None

    def on_frame(self, listener: FrameListener) -> Callable[[], None]:
        """Call `listener` with each frame, on the camera thread; returns a function to stop."""
        self._frame_listeners.append(listener)
        return lambda: self._frame_listeners.remove(listener) if listener in self._frame_listeners else None

    def latest_frame(self) -> np.ndarray | None:
        """The last frame seen while streaming, or None."""
        return self._latest

    def _set(self, status: CameraStatus) -> None:
        if status is not self._status:
            self._status = status
            log.info("camera %s", status.value)
            for listener in list(self._status_listeners):
                try:
                    listener(status)
                except Exception:  # e.g. a screen already gone at shutdown: the camera still closes
                    log.exception("camera status listener failed")

    # ---- users ----------------------------------------------------------------------------
    def users(self) -> set[str]:
        """The screens holding the camera now."""
        with self._lock:
            return set(self._users)

    def acquire(self, user: str) -> None:
        """`user` needs frames: open the camera unless it is already streaming."""
        with self._lock:
            self._users.add(user)
            if self._thread is not None:
                return
            # Released a moment ago: the new thread (not the caller, often the UI) waits for
            # the old one to finish closing the device before opening it again.
            previous, self._closing = self._closing, None
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(self._stop, previous), name="camera", daemon=True
            )
            self._thread.start()

    def release(self, user: str, wait: bool = True) -> None:
        """`user` is done; the last one out closes the camera (`wait`: until it is closed)."""
        with self._lock:
            self._users.discard(user)
            if self._users or self._thread is None:
                return
            thread, self._thread = self._thread, None
            self._stop.set()
            self._closing = thread
        if wait:
            thread.join(timeout=5)

    def close(self) -> None:
        """Release every user (the kiosk is shutting down)."""
        for user in self.users():
            self.release(user)

    def _run(self, stop: threading.Event, previous: threading.Thread | None) -> None:
        if previous is not None:
            previous.join(timeout=5)
        if not self._source.open():
            self._set(CameraStatus.NO_DEVICE)
            if not self._wait_for_device(stop):
                return
        self._set(CameraStatus.STREAMING)
        misses = 0
        try:
            while not stop.is_set():
                try:
                    frame = self._source.read()
                except Exception:  # a driver's bug is a lost frame, not a dead camera thread
                    log.exception("camera source failed to give a frame")
                    frame = None
                if frame is None:
                    misses += 1
                    if misses >= self._failures_before_error:
                        self._set(CameraStatus.ERROR)
                    time.sleep(0.05)
                    continue
                if misses:
                    misses = 0
                    self._set(CameraStatus.STREAMING)
                self._latest = frame
                for listener in list(self._frame_listeners):
                    try:
                        listener(frame)
                    except Exception:  # one listener's bug must not stop the camera for all
                        log.exception("camera frame listener failed")
        finally:
            self._source.close()
            self._latest = None
            if self._status is not CameraStatus.NO_DEVICE:
                self._set(CameraStatus.IDLE)

    def _wait_for_device(self, stop: threading.Event) -> bool:
        """Retry opening every second while somebody still wants the camera; True once open."""
        while not stop.wait(1.0):
            if self._source.open():
                return True
        return False
