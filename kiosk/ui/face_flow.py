"""人证核验 on the worker: the live frames from the camera compared with the card photo.

The frames and the decoded card photo live only in this call's locals: nothing is written to
the store, the spool or the log but the summary (kiosk/core/identity_check.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

PREPARING = "正在读取证件照片，请稍候。"
FACE_START = "请正对摄像头，按提示做动作。"
NO_PHOTO = "这张证件不能用于人脸核验（读不出照片）。请找大厅工作人员帮您核对身份，或到窗口办理。"
NO_CAMERA = "摄像头暂时无法使用，现在不能人脸核验。请找大厅工作人员帮您核对身份，或到窗口办理。"
OFFICER_COMPARES = "这次没有核验人脸。请在后面的步骤拍一张正脸照片，民警会核对您的照片后再发证明。"
FACE_SECONDS = 6.0  # how long a real camera is watched for the actions
MIN_FRAMES = 12


@dataclass(frozen=True)
class FaceOutcome:
    """One try: the record for the case, passed or not, the message for the resident."""

    record: dict[str, Any]
    passed: bool
    message: str


def reference_photo(photo: bytes, decoder: Any) -> Any | None:
    """The decoded card photo (a BGR array, kept in memory only), or None."""
    if not photo or decoder is None:
        return None
    decoded = decoder.decode(photo)
    if not decoded.ok:
        log.info("card photo not usable", extra={"status": decoded.status.value})
        return None
    return decoded.image


def demo_frames(
    key: str, order: Sequence[Any], size: tuple[int, int], scene: str = "holder"
) -> list[Any] | None:
    """What the simulated camera plays at a face check of demo resident `key`.

    holder: their face blinking and turning in `order`; photo: their photo held up, never
    moving; nobody: the empty hall; other: another demo resident doing the actions.
    """
    import cv2

    from devices.camera import synthetic as camera_frames
    from devices.demo_residents import demo_face, other_demo_face
    from devices.face.synthetic import blink_and_turn, in_frame, still

    if scene == "nobody":
        return [camera_frames.blank_frame(size, seed=n) for n in range(MIN_FRAMES * 2)]
    path = other_demo_face(key) if scene == "other" else demo_face(key)
    if path is None:
        return None
    face = cv2.imread(str(path))
    if scene == "photo":
        return still(in_frame(face, size=size), MIN_FRAMES * 2)
    return blink_and_turn(face, order, size=size)


def collect(camera: Any, count: int, seconds: float, cancel: threading.Event) -> list[Any]:
    """Frames from the camera: `count` of them, or as many as come in `seconds`."""
    frames: list[Any] = []
    arrived = threading.Event()

    def keep(frame: Any) -> None:
        frames.append(frame)
        if len(frames) >= count:
            arrived.set()

    stop = camera.on_frame(keep)
    camera.acquire("face_check")
    try:
        deadline = time.monotonic() + seconds
        while not arrived.is_set() and time.monotonic() < deadline and not cancel.is_set():
            arrived.wait(0.1)
    finally:
        stop()
        camera.release("face_check")
    return frames[:count]


def check_face(
    reference: Any,
    camera: Any,
    order: Sequence[Any],
    cancel: threading.Event,
    play: Callable[[list[Any]], None] | None = None,
    scripted: list[Any] | None = None,
) -> FaceOutcome | None:
    """Watch the resident do the actions in `order` and compare with `reference`; None when
    cancelled. `play`/`scripted`: the simulated camera is given the frames to show first."""
    from devices.face.verify import verify
    from kiosk.core.identity_check import face_check

    count = 10_000
    if play is not None and scripted:
        play(scripted)
        count = len(scripted)
    frames = collect(camera, count, FACE_SECONDS if play is None else 30.0, cancel)
    if cancel.is_set():
        return None
    if len(frames) < MIN_FRAMES:
        from devices.face.reasons import LivenessReason

        record = {"method": "face", "passed": False, "liveness": LivenessReason.TOO_FEW_FRAMES.value}
        return FaceOutcome(record, False, LivenessReason.TOO_FEW_FRAMES.message)
    verification = verify(reference, frames, order)
    del frames  # the frames go with this call: only the summary leaves
    log.info(
        "face check",
        extra={
            "passed": verification.passed,
            "reason": verification.match.reason,
            "liveness": verification.liveness.reason,
        },
    )
    return FaceOutcome(face_check(verification), verification.passed, verification.message)
