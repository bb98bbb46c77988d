"""How much the centre reads and how long it waits, per route: the numbers the request guard
(sync/server/guard.py) and the HTTP protocol (sync/server/slow_clients.py) enforce.

Every route has a body cap; a request announcing more (Content-Length) is refused with 413 before
a byte of its body is read, and one sending more (chunked) is refused when it passes the cap.
Terminal-supplied JSON is small (a registration's entry is under 2 KB): a case is at most
``MAX_CASE_BYTES``, a batch of up to 200 at most ``MAX_BATCH_BYTES`` (a batch refused as too
large is sent again entry by entry by the terminal, so only an entry over its own cap is parked);
an attachment chunk at most ``MAX_CHUNK`` (the client sends 256 KiB).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sync.server.attachments import MAX_CHUNK

KIB = 1024
MIB = 1024 * KIB

# The request line and headers: h11 refuses a longer head (431/400) before the app sees it.
HEADER_LIMIT = 16 * KIB
# A request's head must be in within this many seconds of the connection (or of the answer before).
HEADER_SECONDS = 10.0
# An idle keep-alive connection is closed after this many seconds.
KEEP_ALIVE_SECONDS = 5
# A body must arrive at BODY_MIN_RATE bytes/s on average once BODY_GRACE_SECONDS have passed, and
# whole within BODY_SECONDS: a client sending a byte a second is let go after about five seconds.
BODY_GRACE_SECONDS = 5.0
BODY_MIN_RATE = 4 * KIB
BODY_SECONDS = 120.0

MAX_CASE_BYTES = 1 * MIB
MAX_BATCH_BYTES = 8 * MIB
MAX_SMALL_JSON = 8 * KIB  # enrolments, licence-block requests, live queries, heartbeats

# Enrolment codes: a burst of ENROLMENT_BURST tries per source address, then ENROLMENT_PER_MINUTE.
ENROLMENT_BURST = 5
ENROLMENT_PER_MINUTE = 5


@dataclass(frozen=True)
class RouteLimit:
    """What the guard allows one route: its body cap, whether it is open without a signature,
    and whether tries are throttled per source address."""

    method: str
    path: str  # the route's path template, as FastAPI writes it
    max_body: int
    public: bool = False
    throttled: bool = False

    def matches(self, method: str, path: str) -> bool:
        """True when a request of `method` on `path` is this route."""
        return method == self.method and _template(self.path).fullmatch(path) is not None


ROUTES: tuple[RouteLimit, ...] = (
    RouteLimit("GET", "/v1/health", 0, public=True),
    RouteLimit("POST", "/v1/enrolments", MAX_SMALL_JSON, public=True, throttled=True),
    RouteLimit("POST", "/v1/cases", MAX_CASE_BYTES),
    RouteLimit("POST", "/v1/case-batches", MAX_BATCH_BYTES),
    RouteLimit("POST", "/v1/licence-blocks", MAX_SMALL_JSON),
    RouteLimit("GET", "/v1/attachments/{sha256}", 0),
    RouteLimit("PUT", "/v1/attachments/{sha256}", MAX_CHUNK),
    RouteLimit("POST", "/v1/queries/insurance-record", MAX_SMALL_JSON),
    RouteLimit("POST", "/v1/queries/population-record", MAX_SMALL_JSON),
    RouteLimit("POST", "/v1/queries/reference-photo", MAX_SMALL_JSON),
    RouteLimit("GET", "/v1/decisions", 0),
    RouteLimit("GET", "/v1/updates/{kind}", 0),
    RouteLimit("POST", "/v1/heartbeats", MAX_SMALL_JSON),  # about 1.5 KiB with every device listed
)
# Anything else under /v1 (an unknown path, a method the route does not take) needs a signature
# and has no body; outside /v1 (the OpenAPI document) nothing needs a signature.
PROTECTED_PREFIX = "/v1/"
OTHER_V1 = RouteLimit("*", "/v1/*", 0)
OTHER = RouteLimit("*", "/*", 0, public=True)


def route_limit(method: str, path: str) -> RouteLimit:
    """The limits of the route a request goes to."""
    head = "GET" if method == "HEAD" else method
    for route in ROUTES:
        if route.matches(head, path):
            return route
    return OTHER_V1 if path.startswith(PROTECTED_PREFIX) else OTHER


def body_deadline(started: float, received: int) -> float:
    """The moment by which more of the body must have arrived, having `received` bytes so far."""
    return min(started + BODY_SECONDS, started + BODY_GRACE_SECONDS + received / BODY_MIN_RATE)


_TEMPLATES: dict[str, re.Pattern[str]] = {}


def _template(path: str) -> re.Pattern[str]:
    pattern = _TEMPLATES.get(path)
    if pattern is None:
        pattern = re.compile(re.sub(r"\\\{[a-z_0-9]+\\\}", "[^/]+", re.escape(path)))
        _TEMPLATES[path] = pattern
    return pattern
