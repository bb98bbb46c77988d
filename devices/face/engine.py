"""FaceEngine: find faces, read their landmarks, embed them, and compare two pictures.

dlib does the work: a HOG detector (on a copy scaled to 540 px high: fast on two cores, and a
tiny ID-card photo is scaled up to the same height), the 5-point predictor to align a face, the
ResNet that turns it into a 128-d vector, and the 68-point predictor for the liveness check.
The distance between two vectors is the score: lower is more alike. Pictures are BGR (OpenCV's
order) or grey numpy arrays.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import cv2
import numpy as np

from devices.face.models import FaceModels, model_version
from devices.face.quality import FaceBox, FaceLimits, judge_live, judge_reference, main_faces
from devices.face.reasons import FaceReason

DETECT_HEIGHT = 540  # the detector sees the picture at this height (faces of ≥ 80 px there)


@dataclass(frozen=True)
class FaceMatch:
    """The verdict of one comparison.

    `score` is the embedding distance (None when no comparison could be made), `match` is
    score ≤ threshold, `reason` a FaceReason code (its `message` is for the resident).
    """

    score: float | None
    threshold: float
    match: bool
    reason: str
    reference_box: FaceBox | None = None
    live_box: FaceBox | None = None
    model_version: str = ""

    @property
    def message(self) -> str:
        """What the screen tells the resident."""
        return FaceReason.from_code(self.reason).message


@dataclass(frozen=True)
class FaceAssessment:
    """One picture judged: its faces, the one to use, and why it cannot be used (None: it can)."""

    problem: FaceReason | None
    faces: list[FaceBox]
    face: FaceBox | None


def _rgb(image: np.ndarray) -> np.ndarray:
    """A contiguous 8-bit RGB copy, as dlib wants it."""
    if image.dtype != np.uint8:
        raise ValueError(f"expected an 8-bit picture, got {image.dtype}")
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)
    return np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))


def _grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(image, code)


class FaceEngine:
    """Face detection, landmarks, embeddings and comparison; the models load on first use, once."""

    def __init__(self, limits: FaceLimits | None = None, models: FaceModels | None = None) -> None:
        self.limits = limits or FaceLimits()
        self.models = models or FaceModels()
        self._lock = threading.RLock()  # dlib's objects are not documented as thread-safe

    @property
    def model_version(self) -> str:
        """Package, version and model file that compare faces (recorded with each check)."""
        return model_version()

    def load(self) -> None:
        """Load every model now rather than at the first face."""
        with self._lock:
            self.models.load_all()

    # ---- the steps ------------------------------------------------------------------------
    def detect(self, image: np.ndarray, thorough: bool = True) -> list[FaceBox]:
        """The faces in `image`, largest first, in its own pixels.

        The detector runs on a copy 540 px high; when it finds nothing and `thorough` is set,
        it looks again at twice that size for faces too small to see at first (a resident far
        away), so the answer can be "come closer" rather than "no face".
        """
        return self._detect_rgb(_rgb(image), thorough)

    def _detect_rgb(self, rgb: np.ndarray, thorough: bool) -> list[FaceBox]:
        scale = DETECT_HEIGHT / rgb.shape[0]
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=interpolation)
        with self._lock:
            detector = self.models.detector
            rects, scores, _ = detector.run(small, 0, 0.0)
            if not rects and thorough:
                rects, scores, _ = detector.run(small, 1, 0.0)
        boxes = [
            FaceBox(
                int(round(r.left() / scale)),
                int(round(r.top() / scale)),
                int(round(r.width() / scale)),
                int(round(r.height() / scale)),
                float(s),
            )
            for r, s in zip(rects, scores, strict=True)
        ]
        return sorted(boxes, key=lambda b: b.area, reverse=True)

    def _shape(self, rgb: np.ndarray, box: FaceBox, points: int) -> Any:
        import dlib

        rect = dlib.rectangle(box.x, box.y, box.x + box.width, box.y + box.height)
        with self._lock:
            predictor = self.models.landmarks_68 if points == 68 else self.models.landmarks_5
            return predictor(rgb, rect)

    def landmarks(self, image: np.ndarray, box: FaceBox, points: int = 68) -> np.ndarray:
        """The face's landmarks as an array of (x, y): 68 points (iBUG layout) or 5."""
        if points not in (5, 68):
            raise ValueError("points must be 5 or 68")
        shape = self._shape(_rgb(image), box, points)
        return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)

    def embedding(self, image: np.ndarray, box: FaceBox) -> np.ndarray:
        """The face's 128-d vector (aligned on the 5 landmarks, dlib's ResNet)."""
        return self._embedding_rgb(_rgb(image), box)

    def _embedding_rgb(self, rgb: np.ndarray, box: FaceBox) -> np.ndarray:
        shape = self._shape(rgb, box, 5)
        with self._lock:
            vector = self.models.embedder.compute_face_descriptor(rgb, shape)
        return np.asarray(vector, dtype=np.float64)

    @staticmethod
    def distance(a: np.ndarray, b: np.ndarray) -> float:
        """Euclidean distance between two embeddings: lower is more alike."""
        return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))

    # ---- judging pictures -----------------------------------------------------------------
    def assess(self, image: np.ndarray, reference: bool = False) -> FaceAssessment:
        """Find the faces and say whether the picture can be compared (coaching for the screen)."""
        faces = self.detect(image)
        if reference:
            problem = judge_reference(faces, self.limits)
        else:
            problem = judge_live(_grey(image), faces, self.limits)
        counted = main_faces(faces, self.limits)
        return FaceAssessment(problem, faces, counted[0] if counted else None)

    def compare(self, reference_image: np.ndarray, live_image: np.ndarray) -> FaceMatch:
        """Is the person in `live_image` the one in `reference_image` (the ID card photo)?

        The live picture's problems come first, since the resident can fix them (come closer,
        find light); an unusable reference sends the resident to the window.
        """
        threshold = self.limits.match_threshold
        version = self.model_version
        live = self.assess(live_image)
        if live.problem is not None:
            return FaceMatch(None, threshold, False, live.problem.code, None, live.face, version)
        reference = self.assess(reference_image, reference=True)
        if reference.problem is not None:
            return FaceMatch(
                None, threshold, False, reference.problem.code, reference.face, live.face, version
            )
        assert live.face is not None and reference.face is not None
        score = self.distance(
            self.embedding(reference_image, reference.face), self.embedding(live_image, live.face)
        )
        matched = score <= threshold
        reason = FaceReason.MATCH if matched else FaceReason.NO_MATCH
        return FaceMatch(score, threshold, matched, reason.code, reference.face, live.face, version)


@cache
def default_engine() -> FaceEngine:
    """One engine per process (the models are ~130 MB: load them once)."""
    return FaceEngine()


def engine_for(match_threshold: float) -> FaceEngine:
    """The process's engine with the terminal's configured threshold (the models shared)."""
    engine = default_engine()
    if match_threshold == engine.limits.match_threshold:
        return engine
    from dataclasses import replace

    return _engine_with(replace(engine.limits, match_threshold=match_threshold))


@cache
def _engine_with(limits: FaceLimits) -> FaceEngine:
    shared = default_engine()
    engine = FaceEngine(limits, shared.models)
    engine._lock = shared._lock  # one lock over the shared dlib objects
    return engine
