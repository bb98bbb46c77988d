"""Why a face check came out as it did: a code for the program and a sentence for the resident.

The codes are stable (logs, tests and the journey use them); the messages are what the screen
shows and the voice says, in plain Chinese for residents who may be elderly.
"""

from __future__ import annotations

import enum
from typing import Self


class CodedEnum(enum.Enum):
    """An enum whose members' values are stable codes ('no_face', 'blink'), looked up by code."""

    @classmethod
    def from_code(cls, code: str) -> Self:
        """The member with this stable code; ValueError for an unknown one."""
        for member in cls:
            if member.value == code:
                return member
        raise ValueError(f"{code!r} is not a {cls.__name__} code")


class _Reason(CodedEnum):
    """A code whose value is (code, message)."""

    def __new__(cls, code: str, message: str) -> _Reason:  # noqa: D102
        member = object.__new__(cls)
        member._value_ = code
        member.message = message
        return member

    message: str

    @property
    def code(self) -> str:
        """The stable code, e.g. 'no_face'."""
        return str(self.value)


class FaceReason(_Reason):
    """The outcome of comparing a live face with the reference photo, or why there is none."""

    MATCH = ("match", "人脸核验通过")
    NO_MATCH = ("no_match", "未能确认是本人，请正对摄像头再试一次，或到窗口人工核验")
    NO_FACE = ("no_face", "没有看到人脸，请正对摄像头")
    SEVERAL_FACES = ("several_faces", "镜头前有多个人，请只留办事本人")
    TOO_FAR = ("too_far", "请靠近一些")
    TOO_DARK = ("too_dark", "光线太暗，请站到亮一些的地方")
    TOO_BRIGHT = ("too_bright", "光线太亮，请避开强光")
    REFERENCE_UNUSABLE = ("reference_unusable", "证件照片无法用于比对，请到窗口人工核验")
    NO_REFERENCE = ("no_reference", "读不出证件照片，请到窗口人工核验")


class LivenessReason(_Reason):
    """The verdict of the blink-and-turn challenge, or why it failed."""

    PASSED = ("passed", "动作检测通过")
    TOO_FEW_FRAMES = ("too_few_frames", "请看着屏幕，按提示眨眼、转头")
    REPEATED_FRAME = ("repeated_frame", "没有看到动作，请按提示眨眼、转头")
    STILL = ("still", "没有看到动作，请按提示眨眼、转头")
    NO_FACE = ("no_face", "没有看到人脸，请正对摄像头")
    SEVERAL_FACES = ("several_faces", "镜头前有多个人，请只留办事本人")
    FACE_CHANGED = ("face_changed", "请一直留在镜头前，不要离开")
    NO_BLINK = ("no_blink", "没有看到眨眼，请慢慢眨一下眼睛")
    NO_TURN = ("no_turn", "没有看到转头，请慢慢向左或向右转一下头")
    WRONG_ORDER = ("wrong_order", "请按屏幕提示的顺序做动作")
