"""`kiosk face-check`: compare a reference photo with live pictures or a video, from files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import cv2
import numpy as np

from devices.face.liveness import Challenge
from devices.face.models import FaceModelsMissingError
from devices.face.verify import FaceVerification, verify

MAX_FRAMES = 150  # a longer video is sampled evenly down to this many frames


def read_image(path: Path) -> np.ndarray:
    """A picture file as BGR; ValueError when it is not one."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError(f"{path}: not a picture OpenCV can read")
    return image


def read_video(path: Path, max_frames: int = MAX_FRAMES) -> list[np.ndarray]:
    """The frames of a video file (OpenCV's VideoCapture), at most `max_frames`, evenly spaced."""
    capture = cv2.VideoCapture(str(path))
    frames = []
    try:
        while capture.isOpened():
            ok, frame = capture.read()
            if not ok:
                break
            frames.append(frame)
    finally:
        capture.release()
    if not frames:
        raise ValueError(f"{path}: neither a picture nor a video OpenCV can read")
    if len(frames) > max_frames:
        frames = [frames[round(i * (len(frames) - 1) / (max_frames - 1))] for i in range(max_frames)]
    return frames


def read_live(paths: Sequence[Path]) -> list[np.ndarray]:
    """Frames from picture files (one frame each) or from one video file."""
    frames: list[np.ndarray] = []
    for path in paths:
        if not path.is_file():
            raise ValueError(f"{path}: no such file")
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        frames.extend([image] if image is not None else read_video(path))
    return frames


def parse_order(text: str) -> tuple[Challenge, ...] | None:
    """'blink,turn' or 'turn,blink' → that order; 'any' → None (either order passes)."""
    if text == "any":
        return None
    try:
        order = tuple(Challenge.from_code(part.strip()) for part in text.split(","))
    except ValueError:
        raise ValueError(f"order {text!r}: give blink,turn or turn,blink or any") from None
    if sorted(c.value for c in order) != ["blink", "turn"]:
        raise ValueError(f"order {text!r}: give blink,turn or turn,blink or any")
    return order


def describe(result: FaceVerification, frames: int) -> list[str]:
    """The report's lines: liveness, score, threshold, decision, model."""
    match, live = result.match, result.liveness
    order = "→".join(live.order) if live.order else "either order"
    lines = [f"live frames: {frames}; challenge: blink and turn, {order}"]
    if live.passed:
        lines.append(f"liveness: passed (blink at frame {live.blink_frame}, turn at frame {live.turn_frame})")
    else:
        lines.append(f"liveness: FAILED, {live.reason}: {live.message}")
        if frames == 1:
            lines.append("  (a single picture cannot pass: it shows neither a blink nor a head turn)")
    if live.detail:
        lines.append(f"  {live.detail}")
    score = "none" if match.score is None else f"{match.score:.3f}"
    lines.append(f"compared frame {result.frame}: distance {score}, threshold {match.threshold:.2f}")
    lines.append(f"face: {'same person' if match.match else match.reason}: {match.message}")
    decision = "PASS" if result.passed else "FAIL"
    lines.append(f"decision: {decision}: {result.message}")
    lines.append(f"model: {match.model_version}")
    return lines


def run_face_check(
    reference: Path, live: Sequence[Path], order: str = "any", out: TextIO | None = None
) -> int:
    """Print the check of `live` against `reference`; 0 for a match that passed liveness, else 1
    (2 for files that cannot be read, or no models installed)."""
    try:
        reference_image = read_image(reference)
        frames = read_live(live)
        challenge = parse_order(order)
    except ValueError as exc:
        print(f"kiosk face-check: {exc}", file=sys.stderr)
        return 2
    try:
        result = verify(reference_image, frames, challenge)
    except FaceModelsMissingError as exc:
        print(f"kiosk face-check: face comparison is not available here: {exc}", file=sys.stderr)
        return 2
    print("\n".join(describe(result, len(frames))), file=out or sys.stdout)
    return 0 if result.passed else 1
