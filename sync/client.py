"""The terminal's side of the protocol: signed requests, and pushing the outbox.

An entry counts as sent only when the answer is the protocol's acknowledgement for exactly
that entry: a JSON body naming its UUID and case. A captive portal's 200 page, a redirect, a
timeout or a dropped connection leave the entry pending, to be sent again; the server's
idempotency makes the resend harmless. A 4xx that is about the entry parks it with the reason
("needs attention"); nothing is ever dropped.
"""

from __future__ import annotations

import json
import logging
import random
import ssl
import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.exceptions import InvalidTag

from sync import auth, outbox
from sync.protocol import BatchAck, CaseAck, HeartbeatAck

log = logging.getLogger(__name__)
RETRY_STATUSES = {408, 425, 429}  # 4xx that mean "later", not "never"
AUTH_STATUSES = {401, 403}  # the terminal's credentials, not the entry: stop and say so


class NotAcknowledgedError(Exception):
    """An answer that is not the acknowledgement asked for."""


class TerminalSigning(httpx.Auth):
    """Signs every request with the terminal's id and secret (sync/auth.py says what is signed:
    the method, the path and query as sent, the body's digest, a timestamp and a nonce). A
    refusal for a wrong clock teaches the centre's time, and the request is signed again once."""

    requires_request_body = True
    requires_response_body = True  # a refusal for time carries the centre's clock in its body

    def __init__(self, terminal_id: str, secret: bytes) -> None:
        """Signs as `terminal_id` with the `secret` it got at enrolment."""
        self.terminal_id = terminal_id
        self._secret = secret
        self.clock_offset = 0.0  # server time minus ours, learnt from a refusal for time

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign, send; on a refusal for a stale timestamp, sign with the centre's time and send again."""
        self._sign(request)
        response = yield request
        if response.status_code == 401 and self._learn_clock(response):
            self._sign(request)
            yield request

    def _sign(self, request: httpx.Request) -> None:
        target = request.url.raw_path.decode("ascii")  # path and query, exactly as they go out
        request.headers.update(
            auth.signed_headers(
                self.terminal_id, self._secret, request.method, target, request.content, self.clock_offset
            )
        )

    def _learn_clock(self, response: httpx.Response) -> bool:
        try:
            problem = response.json()
        except ValueError:
            return False
        if not isinstance(problem, dict) or problem.get("error") != "stale":
            return False
        server_time = problem.get("server_time")
        if not isinstance(server_time, int):
            return False
        self.clock_offset = server_time - time.time()
        log.warning("terminal clock differs from the centre's", extra={"offset_s": round(self.clock_offset)})
        return True


class CentralClient:
    """Signed HTTP/JSON requests to the central platform."""

    def __init__(
        self,
        base_url: str,
        terminal_id: str,
        secret: bytes,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        """A client of the centre at `base_url` for the enrolled terminal `terminal_id`."""
        self.terminal_id = terminal_id
        self.signing = TerminalSigning(terminal_id, secret)
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            verify=verify,
            auth=self.signing,
        )

    @property
    def clock_offset(self) -> float:
        """The centre's time minus ours, as learnt from a refusal for time."""
        return self.signing.clock_offset

    @clock_offset.setter
    def clock_offset(self, offset: float) -> None:
        self.signing.clock_offset = offset

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        payload: Any = None,
        extra_headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> httpx.Response:
        """One signed request with a JSON `payload` or raw `content` (the signing is the client's
        `TerminalSigning`, which also retries once after a refusal for a wrong clock)."""
        if content is not None:
            body, content_type = content, "application/octet-stream"
        else:
            body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
            content_type = "application/json"
        headers = {"Content-Type": content_type, **(extra_headers or {})}
        return self._http.request(method, path, content=body, headers=headers)

    def send_heartbeat(self, heartbeat: dict[str, Any]) -> str:
        """Tell the centre how this terminal is (sync/protocol.py Heartbeat); its time of receipt,
        or NotAcknowledgedError."""
        response = self.request("POST", "/v1/heartbeats", heartbeat)
        if response.status_code != 200 or not _is_json(response):
            raise NotAcknowledgedError(f"heartbeat: HTTP {response.status_code}")
        try:
            return HeartbeatAck.model_validate_json(response.content).received_at
        except ValueError:
            raise NotAcknowledgedError("heartbeat: JSON without a receipt") from None

    def healthy(self) -> bool:
        """True when the central platform itself answers (not a portal, not a proxy's error page)."""
        try:
            response = self._http.get("/v1/health", auth=None)  # the health check is open
            body = response.json() if _is_json(response) else {}
        except (httpx.HTTPError, ValueError):
            return False
        return response.status_code == 200 and isinstance(body, dict) and body.get("status") == "ok"


def _is_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").split(";")[0].strip() == "application/json"


def acknowledgement(response: httpx.Response, entry: outbox.OutboxEntry) -> str:
    """The acknowledgement JSON for `entry`, or NotAcknowledgedError saying what came instead."""
    if response.status_code not in (200, 201):
        raise NotAcknowledgedError(f"HTTP {response.status_code}")
    if not _is_json(response):
        raise NotAcknowledgedError(
            f"HTTP {response.status_code} with {response.headers.get('content-type')!r}"
        )
    try:
        ack = CaseAck.model_validate_json(response.content).ack  # the protocol's model
    except ValueError:
        raise NotAcknowledgedError("JSON without an acknowledgement") from None
    if ack.entry_uuid != entry.entry_uuid or ack.case_id != entry.case_id:
        raise NotAcknowledgedError("an acknowledgement for another entry")
    return json.dumps(ack.model_dump(), sort_keys=True)


@dataclass
class PushReport:
    """What one push did."""

    sent: int = 0
    parked: int = 0
    failed: int = 0
    last_error: str = ""
    auth_refused: bool = False

    @property
    def clean(self) -> bool:
        """True when nothing failed (backoff resets)."""
        return self.failed == 0 and not self.auth_refused


def upload_body(store: Any, entry: outbox.OutboxEntry) -> dict[str, Any]:
    """An outbox entry as the centre's upload API takes it (the sealed payload opened)."""
    return {
        "entry_uuid": entry.entry_uuid,
        "case_id": entry.case_id,
        "kind": entry.kind,
        "seq": entry.seq,
        "body": store.cipher.open(entry.payload, entry.case_id),
    }


class OutboxPusher:
    """Sends pending outbox entries, oldest first, in batches (one request and one disk flush at
    each end per batch); a batch the centre refuses as a whole is sent again entry by entry, so
    only the entry at fault is parked."""

    def __init__(self, store: Any, client: CentralClient, batch_size: int = 100) -> None:
        self._store = store
        self._client = client
        self._batch_size = batch_size
        self._bodies: dict[str, dict[str, Any]] = {}  # this push's entries, opened once

    def push(self, limit: int = 200) -> PushReport:
        """Send up to `limit` pending entries; stop at the first transport failure (the link is down)."""
        report = PushReport()
        with self._store.lock:
            entries = outbox.pending(self._store.conn, limit)
        entries = self._openable(entries, report)
        for start in range(0, len(entries), self._batch_size):
            chunk = entries[start : start + self._batch_size]
            keep_going = (
                self._send_batch(chunk, report) if len(chunk) > 1 else self._send_one(chunk[0], report)
            )
            if not keep_going:
                break
        return report

    def _openable(self, entries: list[outbox.OutboxEntry], report: PushReport) -> list[outbox.OutboxEntry]:
        """The entries whose sealed payload opens; one that does not is parked with the reason
        (it needs a technician, not another try), never stopping the others."""
        self._bodies = {}
        openable = []
        for entry in entries:
            try:
                self._bodies[entry.entry_uuid] = upload_body(self._store, entry)
            except (InvalidTag, ValueError) as exc:
                reason = f"cannot be opened with this terminal's store key ({type(exc).__name__})"
                with self._store.durable() as conn:
                    outbox.park(conn, entry.entry_uuid, reason)
                log.error("outbox entry parked", extra={"entry": entry.entry_uuid, "reason": reason})
                report.parked += 1
                continue
            openable.append(entry)
        return openable

    def _upload(self, entry: outbox.OutboxEntry) -> dict[str, Any]:
        body = self._bodies.get(entry.entry_uuid)
        return body if body is not None else upload_body(self._store, entry)

    def _send_batch(self, chunk: list[outbox.OutboxEntry], report: PushReport) -> bool:
        """One batch request; False when the link or the credentials failed (stop pushing)."""
        try:
            response = self._client.request(
                "POST", "/v1/case-batches", {"entries": [self._upload(e) for e in chunk]}
            )
        except httpx.HTTPError as exc:
            self._failed(chunk, report, f"{type(exc).__name__}: {exc}")
            return False
        status = response.status_code
        if status in AUTH_STATUSES:
            report.auth_refused = True
            self._failed(chunk, report, f"refused: HTTP {status} {response.text[:120]}")
            return False
        if 400 <= status < 500 and status not in RETRY_STATUSES:
            log.warning("batch refused as a whole; sending entry by entry", extra={"status": status})
            return all(self._send_one(entry, report) for entry in chunk)
        try:
            outcomes = batch_outcomes(response, chunk)
        except NotAcknowledgedError as exc:
            self._failed(chunk, report, str(exc))
            return False
        with self._store.durable() as conn:  # every acknowledgement of the batch, together
            for entry, (kind, detail) in zip(chunk, outcomes, strict=True):
                if kind == "ack":
                    outbox.acknowledge(conn, entry.entry_uuid, detail)
                    report.sent += 1
                elif kind == "refused":
                    outbox.park(conn, entry.entry_uuid, detail)
                    log.error("outbox entry parked", extra={"entry": entry.entry_uuid, "reason": detail})
                    report.parked += 1
                else:
                    outbox.record_failure(conn, entry.entry_uuid, detail)
                    report.failed += 1
                    report.last_error = detail
        return True

    def _send_one(self, entry: outbox.OutboxEntry, report: PushReport) -> bool:
        """One entry on its own; False when the link or the credentials failed (stop pushing)."""
        try:
            response = self._client.request("POST", "/v1/cases", self._upload(entry))
        except httpx.HTTPError as exc:
            self._failed([entry], report, f"{type(exc).__name__}: {exc}")
            return False
        status = response.status_code
        if status in AUTH_STATUSES:
            report.auth_refused = True
            self._failed([entry], report, f"refused: HTTP {status} {response.text[:120]}")
            return False
        if 400 <= status < 500 and status not in RETRY_STATUSES:
            reason = f"HTTP {status}: {response.text[:200]}"
            with self._store.durable() as conn:
                outbox.park(conn, entry.entry_uuid, reason)
            log.error("outbox entry parked", extra={"entry": entry.entry_uuid, "reason": reason})
            report.parked += 1
            return True
        try:
            ack = acknowledgement(response, entry)
        except NotAcknowledgedError as exc:
            self._failed([entry], report, str(exc))
            return False
        with self._store.durable() as conn:
            outbox.acknowledge(conn, entry.entry_uuid, ack)
        report.sent += 1
        return True

    def _failed(self, entries: list[outbox.OutboxEntry], report: PushReport, error: str) -> None:
        with self._store.durable() as conn:
            for entry in entries:
                outbox.record_failure(conn, entry.entry_uuid, error)
        log.warning("outbox entries not acknowledged", extra={"entries": len(entries), "error": error})
        report.failed += len(entries)
        report.last_error = error


def batch_outcomes(response: httpx.Response, chunk: list[outbox.OutboxEntry]) -> list[tuple[str, str]]:
    """Per entry of `chunk`: ("ack", acknowledgement JSON), ("refused", reason) or ("failed", why).

    NotAcknowledgedError when the answer as a whole is not the protocol's (a portal, a 5xx)."""
    if response.status_code != 200 or not _is_json(response):
        raise NotAcknowledgedError(
            f"HTTP {response.status_code} with {response.headers.get('content-type')!r}"
        )
    try:
        results = BatchAck.model_validate_json(response.content).results  # the protocol's model
    except ValueError:
        raise NotAcknowledgedError("JSON without batch results") from None
    if len(results) != len(chunk):
        raise NotAcknowledgedError("batch results do not match the entries sent")
    outcomes = []
    for entry, result in zip(chunk, results, strict=True):
        if result.entry_uuid != entry.entry_uuid:
            outcomes.append(("failed", "a batch result for another entry"))
            continue
        ack = result.ack
        if ack is not None and ack.entry_uuid == entry.entry_uuid and ack.case_id == entry.case_id:
            outcomes.append(("ack", json.dumps(ack.model_dump(), sort_keys=True)))
        elif result.error:
            outcomes.append(("refused", f"{result.error}: {(result.message or '')[:200]}"))
        else:
            outcomes.append(("failed", "a batch result without an acknowledgement"))
    return outcomes


def backoff_seconds(
    failures: int, base: float = 2.0, cap: float = 300.0, rng: random.Random | None = None
) -> float:
    """How long to wait after `failures` failed rounds: exponential, capped, with full jitter."""
    if failures <= 0:
        return 0.0
    ceiling = min(cap, base * 2 ** (failures - 1))
    return (rng or random).uniform(ceiling / 2, ceiling)
