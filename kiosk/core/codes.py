"""The national check characters of what a code held up to the camera says: a resident ID
number (GB 11643) or a unified social credit code (GB 32100), as its format declares.

The camera's parser reports the fields it found and the checks their format asks for; whether a
number passes is judged here, so a code that fails is refused like a damaged card.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.camera.qr_payloads import QrPayload, QrProblem
from forms.ids import is_valid_credit_code, is_valid_resident_id

CHECKS: dict[str, Callable[[str], bool]] = {
    "credit_code": is_valid_credit_code,
    "resident_id": is_valid_resident_id,
}


def checked_payload(result: QrPayload | QrProblem) -> QrPayload | QrProblem:
    """`result` as read, or failed_check when a field fails the check its format declares (a
    check this terminal does not know fails too: nothing unchecked is taken)."""
    if isinstance(result, QrProblem):
        return result
    for name, check in result.checks.items():
        passes = CHECKS.get(check)
        if passes is None or not passes(result.fields.get(name, "")):
            return QrProblem("failed_check", f"{result.format}: {name} fails its {check} check")
    return result
