"""Slow clients are let go: uvicorn's HTTP/1.1 protocol (h11) with a deadline on the request's
head. uvicorn by itself waits for a head forever (its keep-alive timer is restarted by every
byte), so forty connections sending a byte a second would each be held for as long as they
like. Here a head must be complete within ``HEADER_SECONDS`` of the connection opening or of
the answer before it; the body has its own deadline in the request guard.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from sync.server import limits

log = logging.getLogger(__name__)


class DeadlineH11Protocol(H11Protocol):
    """H11Protocol that closes a connection whose request head is late."""

    header_seconds: float = limits.HEADER_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's head."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Feed h11; once a head is complete the clock stops (the body's deadline takes over)."""
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()

    def on_response_complete(self) -> None:
        """After an answer: a body still arriving ends the connection; otherwise the clock starts
        again for the next request's head."""
        body_still_arriving = self.conn.their_state is h11.SEND_BODY
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if body_still_arriving:
            self.transport.close()
        elif self.conn.their_state is h11.IDLE:
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.header_seconds, self._late)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _late(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            client = f"{self.client[0]}:{self.client[1]}" if self.client else "-"
            log.warning(
                "connection closed: no complete request head within %gs from %s", self.header_seconds, client
            )
            self.transport.close()


def server_options() -> dict[str, Any]:
    """uvicorn's settings for the centre: this protocol, the head-size cap, the keep-alive timeout."""
    return {
        "http": DeadlineH11Protocol,
        "h11_max_incomplete_event_size": limits.HEADER_LIMIT,
        "timeout_keep_alive": limits.KEEP_ALIVE_SECONDS,
    }
