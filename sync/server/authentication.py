"""Terminal authentication against the centre's store, in two steps: the headers before the body
is read (enrolled terminal, time, nonce), then the signature over the body and the nonce's one use.

Both touch the database, so the request guard runs them in a worker thread, never on the event
loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from sync import auth
from sync.server.db import CentralStore


class Authenticator:
    """Checks requests against the terminals enrolled in `store`."""

    def __init__(self, store: CentralStore, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._clock = clock

    def _secret_of(self, headers: Mapping[str, str]) -> dict[str, bytes]:
        terminal = headers.get(auth.TERMINAL, "")
        if not terminal or len(terminal) > auth.MAX_TERMINAL_ID:
            return {}
        secret = self._store.secret_of(terminal)
        return {terminal: secret} if secret is not None else {}

    def precheck(self, headers: Mapping[str, str]) -> auth.Verdict:
        """Everything but the signature: refuse early, before reading a byte of the body."""
        return auth.precheck(headers, self._secret_of(headers), self._clock())

    def verify(self, headers: Mapping[str, str], method: str, target: str, body: bytes) -> auth.Verdict:
        """The signature over method, target and body, then the nonce's one use (else replayed)."""
        verdict = auth.check(headers, method, target, body, self._secret_of(headers), self._clock())
        if verdict.ok and not self._store.use_nonce(verdict.terminal_id, verdict.nonce, auth.WINDOW_SECONDS):
            return auth.Verdict("replayed", verdict.terminal_id, detail="replayed")
        return verdict
