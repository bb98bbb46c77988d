"""The live check as the camera's frames arrive, not after a fixed wait.

Each new frame is observed once (face, 68 landmarks) and the verdict judged again over all the
observations so far, so a resident who blinks and turns promptly is done as soon as the second
action is seen. Only a few frames are kept, the ones worth comparing with the reference photo
(eyes open, facing the camera, the largest faces): a 1080p frame is 6 MB, and a whole stream of
them would be hundreds. The observations hold landmarks, never pictures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from devices.face.engine import FaceEngine, default_engine
from devices.face.liveness import (
    Challenge,
    FrameObservation,
    LivenessLimits,
    LivenessVerdict,
    eye_aspect_ratio,
    judge,
    observe,
    yaw_estimate,
)
from devices.face.verify import FaceVerification

KEEP_FRAMES = 6  # frames kept as candidates for the comparison


class FaceWatch:
    """Observes frames one at a time, judges liveness after each, and compares at the end."""

    def __init__(
        self,
        order: Sequence[Challenge] | None,
        engine: FaceEngine | None = None,
        limits: LivenessLimits | None = None,
        keep: int = KEEP_FRAMES,
    ) -> None:
        self.order = tuple(order) if order else None
        self.engine = engine or default_engine()
        self.limits = limits or LivenessLimits()
        self.keep = keep
        self.observations: list[FrameObservation] = []
        self._kept: dict[int, np.ndarray] = {}
        self._seen: dict[str, FrameObservation] = {}
        self._last: np.ndarray | None = None  # for the reason when no frame showed one face
        self.verdict: LivenessVerdict | None = None

    def add(self, frame: np.ndarray) -> LivenessVerdict:
        """Observe one more frame; the verdict over every frame so far."""
        [observation] = observe([frame], self.engine)
        # A frozen feed sends the same picture again: observed once, counted each time (as the
        # batch check does), so a still picture is told apart from a living face.
        observation = self._seen.setdefault(observation.digest, observation)
        index = len(self.observations)
        self.observations.append(observation)
        self._last = frame
        if observation.landmarks is not None:
            self._consider(index, frame)
        self.verdict = judge(self.observations, self.order, self.limits)
        return self.verdict

    def _candidate_score(self, index: int) -> tuple[bool, int]:
        """(looks at the camera with eyes open, face size) by what has been seen so far."""
        observation = self.observations[index]
        assert observation.landmarks is not None and observation.box is not None
        points = [o.landmarks for o in self.observations if o.landmarks is not None]
        open_level = max(eye_aspect_ratio(p) for p in points)
        rest = float(np.median([yaw_estimate(p) for p in points]))
        frontal = abs(yaw_estimate(observation.landmarks) - rest) < self.limits.turn_delta / 2
        open_eyes = eye_aspect_ratio(observation.landmarks) >= self.limits.blink_recover * open_level
        return (frontal and open_eyes, observation.box.area)

    def _consider(self, index: int, frame: np.ndarray) -> None:
        self._kept[index] = frame
        if len(self._kept) > self.keep:
            worst = min(self._kept, key=self._candidate_score)
            del self._kept[worst]

    def result(self, reference: np.ndarray) -> FaceVerification:
        """Compare the best kept frame with `reference`; the frames are dropped afterwards."""
        if not self.observations:
            raise ValueError("no frames were watched")
        verdict = self.verdict or judge(self.observations, self.order, self.limits)
        if verdict.best_frame is not None and verdict.best_frame in self._kept:
            index = verdict.best_frame
        elif self._kept:
            index = max(self._kept, key=self._candidate_score)
        else:
            index = -1
        if index >= 0:
            frame = self._kept[index]
        else:  # no frame showed one face: the comparison of the last says why (none, several)
            assert self._last is not None
            index, frame = len(self.observations) - 1, self._last
        match = self.engine.compare(reference, frame)
        self._kept.clear()
        self._last = None
        return FaceVerification(match, verdict, index)
