"""Face capture quality: exactly one face, big enough, sharp enough, lit well enough.

OpenCV's Haar cascade finds the faces; sharpness is the variance of the Laplacian over the
face, brightness its mean grey. The limits are data (FaceLimits) so a site with a dim hall can
be tuned without code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

CASCADE = "haarcascade_frontalface_default.xml"


@dataclass(frozen=True)
class FaceLimits:
    """What a usable face photo needs."""

    min_height_share: float = 0.25  # of the frame's height: the resident is close enough
    min_sharpness: float = 15.0  # Laplacian variance over the face, after scaling it to 200 px
    min_brightness: float = 70.0
    max_brightness: float = 200.0


@dataclass(frozen=True)
class FaceCheck:
    """The verdict on one frame: `problem` is '' when the face is usable.

    Problems: no_face, several_faces, too_far, blurred, too_dark, too_bright.
    """

    problem: str
    box: tuple[int, int, int, int] | None = None  # x, y, width, height
    sharpness: float = 0.0
    brightness: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the face can be kept."""
        return not self.problem


@cache
def _cascade() -> cv2.CascadeClassifier:
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + CASCADE)  # type: ignore[attr-defined]  # stubs omit cv2.data
    if cascade.empty():
        raise RuntimeError(f"OpenCV's {CASCADE} is missing (opencv-python-headless<5 ships it)")
    return cascade


def check_face(frame: np.ndarray, limits: FaceLimits | None = None) -> FaceCheck:
    """Judge one BGR or grey frame as a face photo."""
    limits = limits or FaceLimits()
    grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    # Detect on a smaller copy: faces of interest are large, and a 1080p frame would take ~10×.
    scale = min(1.0, 480 / grey.shape[0])
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    minimum = max(24, int(small.shape[0] * limits.min_height_share * 0.6))
    found = _cascade().detectMultiScale(small, scaleFactor=1.1, minNeighbors=5, minSize=(minimum, minimum))
    if len(found) == 0:
        return FaceCheck("no_face")
    if len(found) > 1:
        return FaceCheck("several_faces")
    x, y, w, h = (int(round(v / scale)) for v in found[0])
    face = grey[y : y + h, x : x + w]
    brightness = float(face.mean())
    sharpness = float(
        cv2.Laplacian(cv2.resize(face, (200, 200), interpolation=cv2.INTER_AREA), cv2.CV_64F).var()
    )
    verdict = ""
    if h < limits.min_height_share * grey.shape[0]:
        verdict = "too_far"
    elif brightness < limits.min_brightness:
        verdict = "too_dark"
    elif brightness > limits.max_brightness:
        verdict = "too_bright"
    elif sharpness < limits.min_sharpness:
        verdict = "blurred"
    return FaceCheck(verdict, (x, y, w, h), sharpness, brightness)


def crop_face(frame: np.ndarray, check: FaceCheck, margin: float = 0.35) -> np.ndarray:
    """The face with a margin around it (head and shoulders), for the certificate photo."""
    if check.box is None:
        raise ValueError("no face to crop")
    x, y, w, h = check.box
    pad_x, pad_y = int(w * margin), int(h * margin)
    top, left = max(0, y - pad_y), max(0, x - pad_x)
    return frame[top : y + h + int(pad_y * 1.4), left : x + w + pad_x].copy()
