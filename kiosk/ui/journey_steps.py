"""Where the resident is in an item, in six steps everyone can follow (读卡 → 须知 → 填写 →
确认 → 结果 → 取件). Form pages count within 填写; the home screen and the item list are not
part of an item and show no steps."""

from __future__ import annotations

from kiosk.core.session import Screen

STEPS = ("读卡", "须知", "填写", "确认", "结果", "取件")

_STEP_OF = {
    Screen.IDENTIFY: 0,
    Screen.MANUAL_ID: 0,
    Screen.CONSENT: 0,
    Screen.FACE: 0,
    Screen.STAFF_CHECK: 0,
    Screen.GUIDE: 1,
    Screen.FORM: 2,
    Screen.CAPTURE: 2,
    Screen.SIGN: 2,
    Screen.ADDRESS: 2,
    Screen.REVIEW: 3,
    Screen.DECIDING: 3,
    Screen.DECISION: 4,
    Screen.CASES: 4,
    Screen.PRINTING: 5,
    Screen.RATING: 5,
    Screen.DONE: 5,
}


def step_of(screen: Screen) -> int:
    """The step `screen` belongs to (0-5), or -1 outside an item."""
    return _STEP_OF.get(screen, -1)
