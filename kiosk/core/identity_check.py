"""人证核验: what is recorded on a case about how the resident was matched with their card.

A summary only — the method, the score against its threshold, the model and the liveness
verdict, when, and for the staff alternative who looked. The face frames and the card photo
never reach this record: they are compared in memory and dropped (devices/face/verify.py).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the face engine loads numpy and dlib, not needed for the first frame
    from devices.face.verify import FaceVerification

# How many face comparisons a resident may try before the staff alternative is offered.
FACE_TRIES = 3


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def face_check(verification: FaceVerification, at: str | None = None) -> dict[str, Any]:
    """The record of one face comparison (passed or not)."""
    match = verification.match
    return {
        "method": "face",
        "passed": verification.passed,
        "score": None if match.score is None else round(float(match.score), 4),
        "threshold": float(match.threshold),
        "model_version": match.model_version,
        "liveness": verification.liveness.reason,
        "at": at or _now(),
    }


def staff_check(staff_id: str, why: str, at: str | None = None) -> dict[str, Any]:
    """The record of hall staff comparing the card with the person (`why`: "declined" the face
    comparison, "face_failed" three times, or "no_photo" to compare with)."""
    return {
        "method": "staff",
        "passed": True,
        "score": None,
        "threshold": None,
        "model_version": "",
        "liveness": "",
        "why": why,
        "verified_by": f"staff {staff_id}",
        "at": at or _now(),
    }
