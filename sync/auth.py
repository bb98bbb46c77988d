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


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a request: `reason` is '' when it is authentic."""

    reason: str
    terminal_id: str = ""
    nonce: str = ""

    @property
    def ok(self) -> bool:
        """True when the request is authentic (the nonce must still be checked for replay)."""
        return not self.reason


def check(
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    secret_of: Mapping[str, bytes],
    now: float,
) -> Verdict:
    """Check signature and time window; reasons: missing_headers, unknown_terminal, stale, bad_signature."""
    try:
        terminal, timestamp, nonce, signature = (headers[h] for h in (TERMINAL, TIMESTAMP, NONCE, SIGNATURE))
    except KeyError:
        return Verdict("missing_headers")
    secret = secret_of.get(terminal)
    if secret is None:
        return Verdict("unknown_terminal", terminal)
    try:
        stamp = int(timestamp)
    except ValueError:
        return Verdict("stale", terminal)
    if abs(now - stamp) > WINDOW_SECONDS:
        return Verdict("stale", terminal)
    if len(nonce) < 16 or len(nonce) > 64:
        return Verdict("bad_signature", terminal)
    expected = sign(secret, method, path, body, timestamp, nonce)
    if not hmac.compare_digest(expected, signature):
        return Verdict("bad_signature", terminal)
    return Verdict("", terminal, nonce)
