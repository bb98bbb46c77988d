"""Liveness by an active challenge: the resident blinks and turns the head, in an order drawn
at random for each check, and the 68 facial landmarks of consecutive frames must show it.

What is measured, in each frame with one face:

- the eye aspect ratio (EAR: the eyelids' opening over the eye's width, both eyes averaged).
  A blink is at least `closed_frames` frames in a row at or below `blink_drop` of the open level
  (the median over the frames), with open eyes (`blink_recover` of it) before and after;
- a yaw estimate: where the nose tip sits along the line between the two ends of the jaw
  outline at ear height (0 = the middle). Turning the head moves the nose towards one end while
  the outline stays put; a turn is at least `turned_frames` frames in a row off the resting
  yaw (the first frames') by `turn_delta` or more, either way;
- that the face does not jump between frames or change size abruptly (somebody else).

"In the order asked" means the first action, then the second after it; a natural blink before
a turn asked for first does not count against the resident.

Verdicts (LivenessReason): passed; or too few frames (a single picture can never pass), the
same frame over and over (a frozen feed, one picture sent many times), no face, several faces,
the face changed, still (neither the eyes nor the yaw moved beyond a camera's noise: a
photograph held up, even moved about), no blink, no turn, the wrong order.

What this does NOT stop. A video of the resident played on a phone or tablet held up to the
camera blinks and turns like the resident; the random order only makes a single recording
fail half the time, and a pair of recordings (one per order), or one that blinks and turns
twice, passes. Neither does it stop a video injected into the camera's cable or driver (a
virtual camera), a good 3D mask, or a resident made to do it by somebody else. A binocular
(stereo) camera would add depth: a photo or a screen is flat, a face is not. A near-infrared
camera with its own IR light would add that phone and tablet screens show nothing in near
infrared and paper reflects it unlike skin; with an IR dot projector it gives depth as well.
Those are what certified 人证核验 terminals use; this check is the software floor for an
ordinary camera, and the journey still offers the hand check at the window.

The judging is a pure function of the frames and the challenge order (`check_liveness`), in
two steps so tests can feed either: `observe` (landmarks per frame, needs the models) and
`judge` (numbers only).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from devices.face.engine import FaceEngine, default_engine
from devices.face.quality import FaceBox, main_faces
from devices.face.reasons import CodedEnum, LivenessReason


class Challenge(CodedEnum):
    """An action the resident is asked to do, with the prompt the screen shows."""

    BLINK = ("blink", "请眨一下眼睛")
    TURN = ("turn", "请慢慢向左或向右转一下头")

    def __new__(cls, code: str, prompt: str) -> Challenge:  # noqa: D102
        member = object.__new__(cls)
        member._value_ = code
        member.prompt = prompt
        return member

    prompt: str


def random_order() -> tuple[Challenge, ...]:
    """The two challenges in an order nobody can know in advance."""
    order = [Challenge.BLINK, Challenge.TURN]
    secrets.SystemRandom().shuffle(order)
    return tuple(order)


@dataclass(frozen=True)
class LivenessLimits:
    """The thresholds of the check (tuned on real photos and the synthetic sequences)."""

    min_frames: int = 8
    min_face_share: float = 0.7  # of the frames must show exactly one face
    blink_drop: float = 0.75  # EAR of closed eyes, as a share of the open level
    blink_recover: float = 0.9  # EAR before and after the blink, as a share of the open level
    closed_frames: int = 2  # a blink shows closed eyes in this many frames in a row (asked slowly)
    turn_delta: float = 0.08  # change of the yaw estimate (share of the jaw width): ~15 degrees
    turned_frames: int = 2
    still_ear: float = 0.85  # no EAR below this share of the open level ...
    still_yaw: float = 0.04  # ... and no yaw change above this: nothing moved but noise
    max_jump: float = 0.5  # move of the face's centre between frames, in face widths


@dataclass(frozen=True)
class FrameObservation:
    """What one frame shows: how many faces count, and the landmarks of the one face."""

    faces: int
    box: FaceBox | None = None
    landmarks: np.ndarray | None = None  # 68 × 2
    digest: str = ""


@dataclass(frozen=True)
class LivenessVerdict:
    """Passed, or why not; where the events were seen; the best frame to compare with the photo."""

    passed: bool
    reason: str  # a LivenessReason code
    detail: str = ""  # figures for the log (English)
    order: tuple[str, ...] = ()
    blink_frame: int | None = None
    turn_frame: int | None = None
    best_frame: int | None = None
    frames: int = 0

    @property
    def message(self) -> str:
        """What the screen tells the resident."""
        return LivenessReason.from_code(self.reason).message


# ---- measures over the 68 landmarks (iBUG layout) -------------------------------------------
def eye_aspect_ratio(points: np.ndarray) -> float:
    """The eyes' opening: (two lid-to-lid heights) / (2 × corner-to-corner width), both eyes."""

    def one(eye: np.ndarray) -> float:
        width = np.linalg.norm(eye[0] - eye[3])
        height = np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])
        return float(height / (2 * width)) if width else 0.0

    return (one(points[36:42]) + one(points[42:48])) / 2


def yaw_estimate(points: np.ndarray) -> float:
    """Where the nose tip (30) sits between the jaw's ends (0 and 16): 0 middle, ±0.5 an end.

    Measured along the line joining the jaw's ends, so tilting the head sideways does not count.
    """
    left, right, nose = points[0], points[16], points[30]
    axis = right - left
    length2 = float(axis @ axis)
    return float((nose - left) @ axis / length2 - 0.5) if length2 else 0.0


# ---- the two steps ----------------------------------------------------------------------------
def observe(frames: Sequence[np.ndarray], engine: FaceEngine | None = None) -> list[FrameObservation]:
    """Detect the face and read its 68 landmarks in every frame (the models' part of the check).

    A frame identical to one already seen (a frozen feed) is not measured again.
    """
    engine = engine or default_engine()
    seen: list[FrameObservation] = []
    by_digest: dict[str, FrameObservation] = {}
    for frame in frames:
        digest = hashlib.blake2b(np.ascontiguousarray(frame).tobytes(), digest_size=16).hexdigest()
        if digest not in by_digest:
            faces = main_faces(engine.detect(frame, thorough=False), engine.limits)
            if len(faces) == 1:
                by_digest[digest] = FrameObservation(
                    1, faces[0], engine.landmarks(frame, faces[0], 68), digest
                )
            else:
                by_digest[digest] = FrameObservation(len(faces), digest=digest)
        seen.append(by_digest[digest])
    return seen


def _runs(flags: np.ndarray, length: int) -> list[tuple[int, int]]:
    """(start, end) of each run of at least `length` consecutive True values (end exclusive)."""
    runs, start = [], None
    for index, flag in enumerate([*flags.tolist(), False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            if index - start >= length:
                runs.append((start, index))
            start = None
    return runs


def _blinks(ears: np.ndarray, limits: LivenessLimits) -> tuple[list[int], float]:
    """The frame at the bottom of each blink, and the open level the dips are measured against
    (the median over the frames). A blink: open eyes, then at least `closed_frames` frames
    closed, then open eyes again."""
    open_level = float(np.median(ears))
    opened = ears >= limits.blink_recover * open_level
    bottoms = [
        start + int(np.argmin(ears[start:end]))
        for start, end in _runs(ears <= limits.blink_drop * open_level, limits.closed_frames)
        if opened[:start].any() and opened[end:].any()
    ]
    return bottoms, open_level


def _turns(yaws: np.ndarray, limits: LivenessLimits) -> tuple[list[int], float]:
    """The first frame of each turn (at least `turned_frames` frames turned by `turn_delta` or
    more from the resting yaw, the median of the first three frames), and that resting yaw."""
    rest = float(np.median(yaws[: min(3, len(yaws))]))
    runs = _runs(np.abs(yaws - rest) >= limits.turn_delta, limits.turned_frames)
    return [start for start, _ in runs], rest


def _framing_problem(
    observations: Sequence[FrameObservation], limits: LivenessLimits
) -> tuple[LivenessReason, str] | None:
    """Why the frames cannot show the actions at all (too few, frozen, no single face, a face
    that jumps), or None."""
    total = len(observations)
    if total < 2:
        return LivenessReason.TOO_FEW_FRAMES, "one picture cannot show a blink or a head turn"
    if len({o.digest for o in observations}) == 1:
        return LivenessReason.REPEATED_FRAME, f"all {total} frames are the same picture"
    if total < limits.min_frames:
        return LivenessReason.TOO_FEW_FRAMES, f"{total} frames; at least {limits.min_frames} needed"
    faces = [o for o in observations if o.box is not None]
    several = sum(1 for o in observations if o.faces > 1)
    if len(faces) < limits.min_face_share * total:
        none = total - len(faces) - several
        reason = LivenessReason.SEVERAL_FACES if several > none else LivenessReason.NO_FACE
        return reason, f"one face in {len(faces)} of {total} frames, several in {several}"
    for before, after in zip(faces, faces[1:], strict=False):
        a, b = before.box, after.box
        assert a is not None and b is not None
        jump = float(np.hypot(a.centre[0] - b.centre[0], a.centre[1] - b.centre[1]) / a.width)
        if jump > limits.max_jump or not 0.67 <= b.width / a.width <= 1.5:
            return LivenessReason.FACE_CHANGED, f"the face moved {jump:.2f} face widths between frames"
    return None


def judge(
    observations: Sequence[FrameObservation],
    order: Sequence[Challenge] | None,
    limits: LivenessLimits | None = None,
) -> LivenessVerdict:
    """The verdict on observed frames; `order` is the order asked for (None: either order)."""
    limits = limits or LivenessLimits()
    wanted = tuple(c.value for c in order) if order else ()
    found: dict[str, int | None] = {}

    def verdict(reason: LivenessReason, detail: str, best: int | None = None) -> LivenessVerdict:
        passed = reason is LivenessReason.PASSED
        return LivenessVerdict(
            passed, reason.code, detail, wanted, best_frame=best, frames=len(observations), **found
        )

    problem = _framing_problem(observations, limits)
    if problem is not None:
        return verdict(*problem)
    indices: list[int] = []
    points: list[np.ndarray] = []
    for i, observation in enumerate(observations):
        if observation.landmarks is not None:
            indices.append(i)
            points.append(observation.landmarks)
    ears = np.array([eye_aspect_ratio(p) for p in points])
    yaws = np.array([yaw_estimate(p) for p in points])
    blinks, open_level = _blinks(ears, limits)
    turns, rest = _turns(yaws, limits)
    events = {Challenge.BLINK: [indices[k] for k in blinks], Challenge.TURN: [indices[k] for k in turns]}
    found.update(blink_frame=next(iter(events[Challenge.BLINK]), None))
    found.update(turn_frame=next(iter(events[Challenge.TURN]), None))
    furthest = float(yaws[np.argmax(np.abs(yaws - rest))])
    closed_at = limits.blink_drop * open_level
    detail = (
        f"EAR open {open_level:.3f}, lowest {ears.min():.3f} (closed at <= {closed_at:.3f});"
        f" yaw rest {rest:+.3f}, furthest {furthest:+.3f} (turned at +-{limits.turn_delta:.3f})"
    )
    if events[Challenge.BLINK] and events[Challenge.TURN]:
        if order and len(order) > 1:
            first, then = order[0], order[1]
            pairs = [(a, b) for a in events[first] for b in events[then] if b > a]
            if not pairs:
                return verdict(LivenessReason.WRONG_ORDER, f"{detail}; no {then.value} after a {first.value}")
            found[f"{first.value}_frame"], found[f"{then.value}_frame"] = pairs[0]
        best = _best_frame(indices, ears, yaws, open_level, rest, observations, limits)
        return verdict(LivenessReason.PASSED, detail, best)
    if ears.min() > limits.still_ear * open_level and abs(furthest - rest) < limits.still_yaw:
        return verdict(LivenessReason.STILL, f"{detail}; eyes and yaw within a still picture's noise")
    if not events[Challenge.BLINK]:
        return verdict(LivenessReason.NO_BLINK, detail)
    return verdict(LivenessReason.NO_TURN, detail)


def _best_frame(
    indices: list[int],
    ears: np.ndarray,
    yaws: np.ndarray,
    open_level: float,
    rest: float,
    observations: Sequence[FrameObservation],
    limits: LivenessLimits,
) -> int:
    """The frame to compare with the photo: eyes open, facing the camera, the largest face."""
    good = [
        k
        for k in range(len(indices))
        if ears[k] >= limits.blink_recover * open_level and abs(yaws[k] - rest) < limits.turn_delta / 2
    ]
    if not good:
        return indices[0]

    def size(k: int) -> int:
        box = observations[indices[k]].box
        return box.area if box is not None else 0

    return indices[max(good, key=lambda k: (size(k), -abs(yaws[k] - rest)))]


def check_liveness(
    frames: Sequence[np.ndarray],
    order: Sequence[Challenge] | None,
    engine: FaceEngine | None = None,
    limits: LivenessLimits | None = None,
) -> LivenessVerdict:
    """Did the frames show a live person doing the challenges in `order` (None: either order)?"""
    return judge(observe(frames, engine), order, limits)
