"""The request guard: an ASGI middleware in front of every route that decides, before FastAPI
reads anything, whether a request may be read at all.

In order, for each request:

1. a throttled route (enrolment) takes a try from the source address's bucket, else 429;
2. a route needing a signature has its headers checked first — present, time inside the window,
   nonce, terminal enrolled — else 401: an unauthenticated caller gets its refusal after the
   request's head, with no byte of its body read;
3. a ``Content-Length`` above the route's cap is refused with 413, before the body;
4. the body is read up to the cap (413 past it) and within the body deadline (408), so a client
   sending a byte a second is let go after seconds, not held;
5. the signature over the body is checked and the nonce used (401 otherwise), and the terminal's
   id is put in the scope for the routes (``scope["kiosk.terminal"]``).

The database work of steps 2 and 5 runs in a worker thread. A refusal before the body was read
closes the connection, so nothing more of it is read. A client that goes away is noted in the
log, without a traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import auth
from sync.server import limits
from sync.server.authentication import Authenticator
from sync.server.printable import printable
from sync.server.throttle import Throttle

log = logging.getLogger(__name__)
TERMINAL_KEY = "kiosk.terminal"


class Refused(Exception):
    """A request the guard answers itself."""

    def __init__(self, status: int, error: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.extra = status, error, message, extra


class ClientGone(Exception):
    """The client closed the connection before its body was in."""


class RequestGuard:
    """The middleware; `authenticator` checks signatures, `throttle` meters enrolment tries."""

    def __init__(
        self,
        app: ASGIApp,
        authenticator: Authenticator,
        throttle: Throttle | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.authenticator = authenticator
        self.throttle = throttle or Throttle(limits.ENROLMENT_BURST, limits.ENROLMENT_PER_MINUTE)
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Guard one request (lifespan and other scopes pass through)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        route = limits.route_limit(scope["method"], scope["path"])
        body_read = False
        try:
            self._throttle(scope, route)
            if not route.public:
                await self._precheck(scope, headers)
            announced = _content_length(headers)
            if announced is not None and announced > route.max_body:
                raise Refused(413, "too_large", f"this route takes at most {route.max_body} bytes")
            body = await self._read_body(receive, route.max_body)
            body_read = True
            if not route.public:
                scope[TERMINAL_KEY] = await self._verify(scope, headers, body)
        except Refused as refusal:
            await self._refuse(scope, receive, send, refusal, close=not body_read)
            return
        except ClientGone:
            log.info("client went away mid-request: %s %s from %s", *_where(scope))
            return
        await self.app(scope, _replay(body, receive), send)

    def _throttle(self, scope: Scope, route: limits.RouteLimit) -> None:
        if not route.throttled:
            return
        wait = self.throttle.take(_source(scope))
        if wait:
            log.warning("throttled: %s %s from %s", *_where(scope))
            raise Refused(
                429, "too_many", "too many tries from this address; wait and try again",
                retry_after=int(wait) + 1,
            )

    async def _precheck(self, scope: Scope, headers: Headers) -> None:
        verdict = await run_in_threadpool(self.authenticator.precheck, headers)
        if not verdict.ok:
            raise self._unauthenticated(scope, verdict)

    async def _verify(self, scope: Scope, headers: Headers, body: bytes) -> str:
        raw_path = scope.get("raw_path") or scope["path"].encode()
        query = scope.get("query_string", b"")
        target = raw_path.decode("latin-1") + (f"?{query.decode('latin-1')}" if query else "")
        verdict = await run_in_threadpool(self.authenticator.verify, headers, scope["method"], target, body)
        if not verdict.ok:
            raise self._unauthenticated(scope, verdict)
        return verdict.terminal_id

    def _unauthenticated(self, scope: Scope, verdict: auth.Verdict) -> Refused:
        method, path, source = _where(scope)
        log.warning(
            "request refused: %s (%s) %s %s, terminal %s, from %s",
            verdict.reason, verdict.detail or verdict.reason, method, path,
            printable(verdict.terminal_id or "-", 64), source,
        )
        return Refused(401, verdict.reason, "request not authenticated", server_time=int(time.time()))

    async def _read_body(self, receive: Receive, cap: int) -> bytes:
        started = self.clock()
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = limits.body_deadline(started, size) - self.clock()
            if remaining <= 0:
                raise Refused(408, "timeout", "the request body did not arrive in time")
            with anyio.move_on_after(remaining) as waited:
                message = await receive()
            if waited.cancelled_caught:
                raise Refused(408, "timeout", "the request body did not arrive in time")
            if message["type"] == "http.disconnect":
                raise ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                raise Refused(413, "too_large", f"this route takes at most {cap} bytes")
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, refusal: Refused, close: bool
    ) -> None:
        if refusal.status != 401:  # 401s are logged with their reason where they are decided
            log.warning("request refused: %s %s %s from %s", refusal.error, *_where(scope))
        extra = dict(refusal.extra)
        headers = {}
        retry_after = extra.pop("retry_after", None)
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        if close:
            headers["Connection"] = "close"
        response = JSONResponse(
            {"error": refusal.error, "message": refusal.message, **extra},
            status_code=refusal.status,
            headers=headers,
        )
        await response(scope, receive, send)


def _content_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    if value is None or not value.isdigit():
        return None  # h11 refuses a malformed length before we are called
    return int(value)


def _source(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "-"


def _where(scope: Scope) -> tuple[str, str, str]:
    return scope["method"], printable(scope["path"], 200), _source(scope)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body read already, then whatever the connection says next."""
    given = False

    async def again() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
