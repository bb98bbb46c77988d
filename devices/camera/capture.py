"""Take one good picture: watch the camera until a frame passes the check, or give up.

For a worker thread (it blocks until done). The camera is held only for the capture. While
frames fail, the last problem is passed to `on_problem`, so the screen can coach the resident
("靠近一些", "光线太暗") instead of waiting in silence.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from devices.camera.camera import Camera, CameraStatus
from devices.camera.document import capture_document
from devices.camera.face import FaceLimits, check_face, crop_face


@dataclass(frozen=True)
class Capture:
    """The picture, or the last reason there was none (a check's problem, no_device, timeout)."""

    problem: str
    image: np.ndarray | None = None

    @property
    def ok(self) -> bool:
        """True when a picture was taken."""
        return self.image is not None


def _watch(
    camera: Camera,
    user: str,
    judge: Callable[[np.ndarray], Capture],
    timeout: float,
    on_problem: Callable[[str], None] | None,
    cancel: threading.Event | None = None,
) -> Capture:
    latest: list[np.ndarray] = []
    arrived = threading.Event()

    def hand_over(frame: np.ndarray) -> None:
        latest[:] = [frame]
        arrived.set()

    stop_listening = camera.on_frame(hand_over)
    camera.acquire(user)
    last = Capture("timeout")
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if cancel is not None and cancel.is_set():
                return Capture("cancelled")
            if not arrived.wait(0.2):
                if camera.status() is CameraStatus.NO_DEVICE:
                    return Capture("no_device")
                continue
            arrived.clear()
            result = judge(latest[0])
            if result.ok:
                return result
            if on_problem is not None and result.problem != last.problem:
                on_problem(result.problem)
            last = result
        return Capture("timeout") if last.problem == "timeout" else last
    finally:
        stop_listening()
        camera.release(user)


def take_face_photo(
    camera: Camera,
    timeout: float = 20.0,
    limits: FaceLimits | None = None,
    on_problem: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> Capture:
    """The resident's face (head and shoulders) once a frame passes the quality check
    ("cancelled" as soon as `cancel` is set)."""

    def judge(frame: np.ndarray) -> Capture:
        check = check_face(frame, limits)
        return Capture("", crop_face(frame, check)) if check.ok else Capture(check.problem)

    return _watch(camera, "face", judge, timeout, on_problem, cancel)


def take_document_photo(
    camera: Camera,
    timeout: float = 20.0,
    on_problem: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> Capture:
    """A page under the camera, straightened to upright A4 ("cancelled" as soon as `cancel` is set)."""

    def judge(frame: np.ndarray) -> Capture:
        found = capture_document(frame)
        return Capture("", found.image) if found.ok else Capture(found.problem)

    return _watch(camera, "document", judge, timeout, on_problem, cancel)


def encode_jpeg(image: np.ndarray, quality: int = 85) -> bytes:
    """A captured picture as JPEG bytes (what is kept, sent and shown for confirmation)."""
    import cv2

    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the picture could not be encoded")
    return encoded.tobytes()
