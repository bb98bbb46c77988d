"""One face verification: the liveness challenge over the frames, then the best frame compared
with the reference photo. Both must pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from devices.face.engine import FaceEngine, FaceMatch, default_engine
from devices.face.liveness import Challenge, LivenessLimits, LivenessVerdict, judge, observe


@dataclass(frozen=True)
class FaceVerification:
    """The comparison, the liveness verdict, and which frame was compared."""

    match: FaceMatch
    liveness: LivenessVerdict
    frame: int

    @property
    def passed(self) -> bool:
        """The same person as the photo, and alive in front of the camera."""
        return self.match.match and self.liveness.passed

    @property
    def message(self) -> str:
        """What the screen tells the resident: that it passed, or the first thing to fix (a face
        that does not match or cannot be seen before the actions)."""
        if self.passed or not self.match.match:
            return self.match.message
        return self.liveness.message


def verify(
    reference: np.ndarray,
    frames: Sequence[np.ndarray],
    order: Sequence[Challenge] | None,
    engine: FaceEngine | None = None,
    limits: LivenessLimits | None = None,
) -> FaceVerification:
    """Check liveness over `frames` (asked in `order`; None: either) and compare the best frame
    (eyes open, facing the camera) with `reference`. The comparison is made even when liveness
    fails, so the score can be reported."""
    if not frames:
        raise ValueError("no frames to check")
    engine = engine or default_engine()
    observations = observe(frames, engine)
    verdict = judge(observations, order, limits)
    if verdict.best_frame is not None:
        index = verdict.best_frame
    else:
        index = next((i for i, o in enumerate(observations) if o.faces == 1), 0)
    return FaceVerification(engine.compare(reference, frames[index]), verdict, index)
