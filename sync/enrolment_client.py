"""The terminal's side of enrolment: send the one-time code, get the secret and the centre's
update key. Used by the installer (and the demo, which enrols as the installer does)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass

import httpx


class EnrolmentError(RuntimeError):
    """Enrolment did not happen. `reason` is machine-readable: the centre's (unknown_code,
    code_used, code_expired, other_terminal, already_enrolled, other_division,
    bad_document_key; it raises this same error) or, on the terminal's side, unreachable or
    not_the_centre. The message is for the technician."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class EnrolmentAnswer:
    """What the centre gave the terminal."""

    terminal_id: str
    division_code: str
    secret: bytes
    update_public_key: str | None


def redeem(
    central_url: str,
    code: str,
    terminal_id: str,
    document_public_key: str | None = None,
    verify: ssl.SSLContext | bool = True,
    timeout: float = 15.0,
) -> EnrolmentAnswer:
    """Trade the code for the terminal's credentials (once: the centre refuses a used code)."""
    body = {"code": code, "terminal_id": terminal_id, "document_public_key": document_public_key}
    try:
        response = httpx.post(
            f"{central_url.rstrip('/')}/v1/enrolments", json=body, timeout=timeout, verify=verify
        )
    except httpx.HTTPError as exc:
        raise EnrolmentError("unreachable", f"{central_url}: {exc}") from exc
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise EnrolmentError(
            "not_the_centre", f"{central_url} answered HTTP {response.status_code}, not JSON"
        )
    if 400 <= response.status_code < 500 and isinstance(answer.get("error"), str):
        # The centre's own refusal (a used code, another division, too many tries, a bad key).
        raise EnrolmentError(answer["error"], str(answer.get("message", "")))
    try:
        if response.status_code != 201:
            raise KeyError("status")
        return EnrolmentAnswer(
            str(answer["terminal_id"]),
            str(answer["division_code"]),
            bytes.fromhex(answer["secret"]),
            answer.get("update_public_key"),
        )
    except (KeyError, ValueError, TypeError):
        message = str(answer.get("message", ""))[:200]
        raise EnrolmentError("not_the_centre", f"HTTP {response.status_code}: {message}") from None
