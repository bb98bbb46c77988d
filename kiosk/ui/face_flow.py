"""人证核验 on the worker: the live frames from the camera compared with the card photo.

The frames and the decoded card photo live only in this call's locals: nothing is written to
the store, the spool or the log but the summary (kiosk/core/identity_check.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

PREPARING = "正在读取证件照片，请稍候。"
FACE_START = "请正对摄像头，按提示做动作。"
NO_PHOTO = "这张证件不能用于人脸核验（读不出照片）。请找大厅工作人员帮您核对身份，或到窗口办理。"
NO_CAMERA = "摄像头暂时无法使用，现在不能人脸核验。请找大厅工作人员帮您核对身份，或到窗口办理。"
OFFICER_COMPARES = "这次没有核验人脸。请在后面的步骤拍一张正脸照片，民警会核对您的照片后再发证明。"
FACE_SECONDS = 10.0  # the longest a real camera is watched for the actions (done when seen)
STEP_SECONDS = 3.0  # the on-screen hint moves to the next action after this long
SCRIPTED_SECONDS = 30.0  # the simulated camera's sequence, watched whole even on a busy machine
LIVE_BACKLOG = 8  # frames waiting to be watched at most (about half a second of a real camera)
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
    if face is None:  # the demo package's photo is unreadable: no scene to play
        log.warning("demo face photo unreadable", extra={"path": str(path)})
        return None
    if scene == "photo":
        return still(in_frame(face, size=size), MIN_FRAMES * 2)
    return blink_and_turn(face, order, size=size)


def check_face(
    reference: Any,
    camera: Any,
    order: Sequence[Any],
    cancel: threading.Event,
    play: Callable[[list[Any]], None] | None = None,
    scripted: list[Any] | None = None,
    threshold: float | None = None,
) -> FaceOutcome | None:
    """Watch the resident do the actions in `order` and compare with `reference`; None when
    cancelled. Done as soon as both actions are seen, or after FACE_SECONDS; `threshold` is the
    terminal's configured match distance. `play`/`scripted`:
    the simulated camera is given the frames to show (each of them is watched, none dropped)."""
    from devices.face.reasons import LivenessReason
    from devices.face.watch import FaceWatch
    from kiosk.core.identity_check import face_check

    expected = None
    if play is not None and scripted:
        expected = len(scripted)
    # A real camera's frames are taken newest first when the check falls behind (a few kept);
    # a scripted sequence is watched whole.
    waiting: deque[Any] = deque(maxlen=None if expected else LIVE_BACKLOG)
    arrived = threading.Condition()

    def keep(frame: Any) -> None:
        with arrived:
            waiting.append(frame)
            arrived.notify()

    from devices.face.engine import default_engine, engine_for

    watch = FaceWatch(order, engine_for(threshold) if threshold is not None else default_engine())
    watched = 0
    if play is not None and scripted:
        play(scripted)  # before the camera streams, so its first frame is the sequence's
    stop = camera.on_frame(keep)
    camera.acquire("face_check")
    try:
        deadline = time.monotonic() + (SCRIPTED_SECONDS if expected else FACE_SECONDS)
        while not cancel.is_set() and time.monotonic() < deadline:
            with arrived:
                if not waiting:
                    arrived.wait(0.1)
                frame = waiting.popleft() if waiting else None
            if frame is None:
                continue
            watched += 1
            if watch.add(frame).passed or (expected is not None and watched >= expected):
                break
    finally:
        stop()
        camera.release("face_check")
        waiting.clear()
    if cancel.is_set():
        return None
    if watched < MIN_FRAMES:
        record = {"method": "face", "passed": False, "liveness": LivenessReason.TOO_FEW_FRAMES.value}
        return FaceOutcome(record, False, LivenessReason.TOO_FEW_FRAMES.message)
    verification = watch.result(reference)  # the kept frames go with this call
    log.info(
        "face check",
        extra={
            "passed": verification.passed,
            "reason": verification.match.reason,
            "liveness": verification.liveness.reason,
            "frames": watched,
        },
    )
    return FaceOutcome(face_check(verification), verification.passed, verification.message)
