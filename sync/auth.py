"""Request authentication between a terminal and the central platform.

Every request carries the terminal's id, a timestamp, a fresh nonce and an HMAC-SHA256 over
method, path with its query, the body's SHA-256, timestamp and nonce, keyed with the secret the terminal got
at enrolment. The server refuses a wrong signature, a timestamp outside its window, and a nonce
it has seen (a replay). Terminal clocks may be wrong: a refusal for time says the server's time,
and the client signs with that offset from then on.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass

TERMINAL, TIMESTAMP, NONCE, SIGNATURE = (
    "X-Kiosk-Terminal",
    "X-Kiosk-Timestamp",
    "X-Kiosk-Nonce",
    "X-Kiosk-Signature",
)
WINDOW_SECONDS = 300


def string_to_sign(method: str, path: str, body: bytes, timestamp: str, nonce: str) -> bytes:
    """What the signature covers, one item a line."""
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, digest, timestamp, nonce]).encode()


def sign(secret: bytes, method: str, path: str, body: bytes, timestamp: str, nonce: str) -> str:
    """The hex HMAC-SHA256 of the request."""
    return hmac.new(secret, string_to_sign(method, path, body, timestamp, nonce), hashlib.sha256).hexdigest()


def signed_headers(
    terminal_id: str, secret: bytes, method: str, path: str, body: bytes, clock_offset: float = 0.0
) -> dict[str, str]:
    """The four authentication headers for one request (`clock_offset`: server time - ours)."""
    timestamp = str(int(time.time() + clock_offset))
    nonce = secrets.token_hex(16)
    return {
        TERMINAL: terminal_id,
        TIMESTAMP: timestamp,
        NONCE: nonce,
        SIGNATURE: sign(secret, method, path, body, timestamp, nonce),
    }


TIMESTAMP_PATTERN = re.compile(r"^[0-9]{1,12}$")
MAX_TERMINAL_ID = 64
NONCE_LENGTHS = (16, 64)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a request: `reason` is '' when it is authentic.

    `reason` is what the caller is told (missing_headers, stale, bad_signature, replayed): an
    unknown terminal and a wrong signature get the same answer, so an unauthenticated caller
    cannot tell which terminal ids exist. `detail` says which it was, for the centre's log only.
    """

    reason: str
    terminal_id: str = ""
    nonce: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True when the request is authentic (the nonce must still be checked for replay)."""
        return not self.reason


def precheck(headers: Mapping[str, str], secret_of: Mapping[str, bytes], now: float) -> Verdict:
    """What can be checked before the body is read: the four headers are there, the time is
    inside the window, the nonce has a sane length and the terminal is enrolled.

    An accepted precheck is not authentication: the signature over the body is still to check.
    """
    try:
        terminal, timestamp, nonce, _ = (headers[h] for h in (TERMINAL, TIMESTAMP, NONCE, SIGNATURE))
    except KeyError:
        return Verdict("missing_headers")
    if len(terminal) > MAX_TERMINAL_ID:
        return Verdict("bad_signature", terminal[:MAX_TERMINAL_ID], detail="unknown_terminal")
    if not TIMESTAMP_PATTERN.match(timestamp) or abs(now - int(timestamp)) > WINDOW_SECONDS:
        return Verdict("stale", terminal)
    if not NONCE_LENGTHS[0] <= len(nonce) <= NONCE_LENGTHS[1]:
        return Verdict("bad_signature", terminal, detail="bad_nonce")
    if secret_of.get(terminal) is None:
        return Verdict("bad_signature", terminal, detail="unknown_terminal")
    return Verdict("", terminal, nonce)


def check(
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    secret_of: Mapping[str, bytes],
    now: float,
) -> Verdict:
    """Check headers, time window and signature; reasons: missing_headers, stale, bad_signature."""
    verdict = precheck(headers, secret_of, now)
    if not verdict.ok:
        return verdict
    expected = sign(secret_of[verdict.terminal_id], method, path, body, headers[TIMESTAMP], verdict.nonce)
    if not hmac.compare_digest(expected.encode(), headers[SIGNATURE].encode("utf-8", "replace")):
        return Verdict("bad_signature", verdict.terminal_id, detail="wrong_signature")
    return verdict
