"""What a usable face picture needs, as data: size, light, one person.

The limits are a dataclass so a hall with dim light or a camera mounted further away can be
tuned without code. The checks here are cheap (means over pixels); the detector finds the
faces (see engine.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from devices.face.reasons import FaceReason


@dataclass(frozen=True)
class FaceBox:
    """A face found in a picture, in the picture's pixels; `score` is the detector's confidence."""

    x: int
    y: int
    width: int
    height: int
    score: float = 0.0

    @property
    def centre(self) -> tuple[float, float]:
        """The middle of the box."""
        return (self.x + self.width / 2, self.y + self.height / 2)

    @property
    def area(self) -> int:
        """Width times height."""
        return self.width * self.height


@dataclass(frozen=True)
class FaceLimits:
    """Limits for the live picture and the reference photo, and the decision threshold.

    `match_threshold` is a distance between dlib's 128-d embeddings: dlib documents 0.6 as the
    operating point of this model (99.38 % on the LFW benchmark). On the face_recognition test
    photos the same person measures 0.23–0.44 and two people 0.82–0.87; a 102×126 card photo
    made from one of them measures 0.34–0.41 to the same person's other photos and 0.84–0.88 to
    the other person (tests/test_face.py). A real card photo is years older than the face in
    front of the camera, so the threshold is not set tighter than dlib's; a resident who fails
    is offered the hand check at the window.
    """

    match_threshold: float = 0.6
    min_face_px: int = 100  # live face height: smaller is too far for a trustworthy embedding
    min_height_share: float = 0.12  # of the live frame's height (a 1080p camera: ~130 px)
    min_reference_px: int = 40  # the ID card photo is 102×126 px, its face ~60–80 px high
    min_brightness: float = 60.0  # mean grey over the face
    max_brightness: float = 215.0
    dark_frame: float = 45.0  # no face found and the whole frame this dark: say it is too dark
    several_share: float = 0.5  # another face at least this share of the largest's height counts


def grey_mean(grey: np.ndarray, box: FaceBox | None = None) -> float:
    """The mean grey level of the picture, or of the part of it inside `box`."""
    if box is None:
        return float(grey.mean())
    top, left = max(0, box.y), max(0, box.x)
    region = grey[top : box.y + box.height, left : box.x + box.width]
    return float(region.mean()) if region.size else 0.0


def main_faces(boxes: list[FaceBox], limits: FaceLimits) -> list[FaceBox]:
    """The faces that count: the largest, and any other at least `several_share` of its height.

    People passing far behind the resident (small faces) are not a reason to refuse.
    """
    if not boxes:
        return []
    largest = max(boxes, key=lambda b: b.area)
    return [b for b in boxes if b is largest or b.height >= limits.several_share * largest.height]


def judge_live(grey: np.ndarray, boxes: list[FaceBox], limits: FaceLimits) -> FaceReason | None:
    """Why the live picture cannot be compared (None: it can), from the faces found in it."""
    faces = main_faces(boxes, limits)
    if not faces:
        return FaceReason.TOO_DARK if grey_mean(grey) < limits.dark_frame else FaceReason.NO_FACE
    if len(faces) > 1:
        return FaceReason.SEVERAL_FACES
    face = faces[0]
    if face.height < limits.min_face_px or face.height < limits.min_height_share * grey.shape[0]:
        return FaceReason.TOO_FAR
    brightness = grey_mean(grey, face)
    if brightness < limits.min_brightness:
        return FaceReason.TOO_DARK
    if brightness > limits.max_brightness:
        return FaceReason.TOO_BRIGHT
    return None


def judge_reference(boxes: list[FaceBox], limits: FaceLimits) -> FaceReason | None:
    """Why the reference photo cannot be compared (None: it can): exactly one face, big enough."""
    faces = main_faces(boxes, limits)
    if len(faces) != 1 or faces[0].height < limits.min_reference_px:
        return FaceReason.REFERENCE_UNUSABLE
    return None
