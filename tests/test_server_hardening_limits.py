"""Issue 18 at the centre, its limits: bodies are capped per route and an unauthenticated one is
refused after its head, slow clients are let go, JSON is parsed off the event loop; licence
serials have a quota, a rate and an end; partial attachment uploads are each terminal's own, with
a quota and a clean-up. Against the real server on loopback, on SQLite and on PostgreSQL (the
in-process checks of the app's make-up excepted)."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import os
import select
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from forms.ids import individual_business_credit_code
from sync import auth
from sync.server import attachments, json_route, licences, limits
from sync.server.app import create_app
from sync.server.db import CentralStore
from tests.central import CentralServer
from tests.test_server_hardening import TERMINALS, centre, clerk, log_text, post_json, signed, upload

__all__ = ["centre"]  # the fixture, shared


def read_answer(sock: socket.socket, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one HTTP answer on `sock`."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(65536)
        if not more:
            raise ConnectionError(f"closed before an answer: {data!r}")
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers.get("content-length", 0)):
        more = sock.recv(65536)
        if not more:
            break
        body += more
    return int(lines[0].split()[1]), headers, body


def closed_by_server(sock: socket.socket, within: float) -> bool:
    """True when the server closes the connection within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sock], [], [], 0.2)
        if readable:
            try:
                if sock.recv(65536) == b"":
                    return True
            except ConnectionError:
                return True
    return False


def signed_head(centre: CentralServer, method: str, path: str, body: bytes, length: int | None = None) -> bytes:
    headers = auth.signed_headers(TERMINALS[0], centre.secrets[TERMINALS[0]], method, path, body)
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    size = len(body) if length is None else length
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{lines}"
        f"Content-Length: {size}\r\n\r\n"
    ).encode()


# ---- 2. bodies: refused after the head when unauthenticated, capped per route, read in time -------
def test_an_unauthenticated_request_is_refused_after_its_head_without_its_body(centre: CentralServer) -> None:
    heads = {
        "no signature": b"POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 536870912\r\n\r\n",
        "unknown terminal": (
            f"POST /v1/case-batches HTTP/1.1\r\nHost: x\r\n{auth.TERMINAL}: T-370302-9999\r\n"
            f"{auth.TIMESTAMP}: {int(time.time())}\r\n{auth.NONCE}: {'n' * 32}\r\n{auth.SIGNATURE}: {'0' * 64}\r\n"
            "Content-Length: 536870912\r\n\r\n"
        ).encode(),
    }
    for what, head in heads.items():
        with socket.create_connection(("127.0.0.1", centre.port)) as sock:
            sock.sendall(head)  # the head only: 512 MiB announced, not a byte of it sent
            status, headers, body = read_answer(sock)
            assert status == 401 and headers["connection"] == "close", what
            assert json.loads(body)["error"] in ("missing_headers", "bad_signature")
            assert closed_by_server(sock, 5), what


def test_a_body_over_its_routes_cap_is_refused_with_413(centre: CentralServer) -> None:
    digest = "0" * 64
    targets = {
        "/v1/cases": "/v1/cases",
        "/v1/case-batches": "/v1/case-batches",
        "/v1/licence-blocks": "/v1/licence-blocks",
        "/v1/attachments/{sha256}": f"/v1/attachments/{digest}?offset=0&length=4000000",
        "/v1/queries/insurance-record": "/v1/queries/insurance-record",
        "/v1/queries/population-record": "/v1/queries/population-record",
        "/v1/queries/reference-photo": "/v1/queries/reference-photo",
        "/v1/enrolments": "/v1/enrolments",
        "/v1/decisions": "/v1/decisions?after=0",
        "/v1/heartbeats": "/v1/heartbeats",
    }
    for route in limits.ROUTES:
        if route.path not in targets:
            continue
        target = targets[route.path]
        with socket.create_connection(("127.0.0.1", centre.port)) as sock:  # announced: refused unread
            sock.sendall(signed_head(centre, route.method, target, b"", length=route.max_body + 1))
            status, _, body = read_answer(sock)
        assert status == 413 and json.loads(body)["error"] == "too_large", (route.path, status, body[:200])
        at_cap = signed(centre, route.method, target, b" " * route.max_body)
        assert at_cap.status_code != 413, route.path
    head = signed_head(centre, "POST", "/v1/case-batches", b"").replace(
        b"Content-Length: 0", b"Transfer-Encoding: chunked"
    )
    with socket.create_connection(("127.0.0.1", centre.port)) as sock:  # not announced: counted
        sock.sendall(head)
        piece = b"10000\r\n" + b" " * 65536 + b"\r\n"
        for _ in range(48 * 16):  # up to 48 MiB, until the answer comes
            if select.select([sock], [], [], 0.01)[0]:
                break
            try:
                sock.sendall(piece)
            except OSError:
                break
        status, _, body = read_answer(sock)
    assert status == 413 and json.loads(body)["error"] == "too_large"


def test_a_client_sending_a_byte_a_second_is_let_go_in_seconds(centre: CentralServer) -> None:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", centre.port)) as sock:  # the head, a byte at a time
        closed = False
        for byte in b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 60:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            if closed_by_server(sock, 0.5):
                closed = True
                break
        assert closed
    head_held = time.monotonic() - started
    assert head_held < limits.HEADER_SECONDS + 10, head_held
    body = json.dumps({"entries": [upload()]}).encode()
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", centre.port)) as sock:  # the body, a byte at a time
        sock.sendall(signed_head(centre, "POST", "/v1/case-batches", body))
        answer = None
        for byte in body:
            sock.sendall(bytes([byte]))
            readable, _, _ = select.select([sock], [], [], 1.0)
            if readable:
                answer = read_answer(sock)
                break
        assert answer is not None and answer[0] == 408, answer
        assert json.loads(answer[2])["error"] == "timeout"
    assert time.monotonic() - started < limits.BODY_GRACE_SECONDS + 10
    assert httpx.get(f"{centre.url}/v1/health").status_code == 200


def api_routes(routes: list) -> Iterator[APIRoute]:
    """Every API route, through the routers the app includes (sync/server/routes: one per
    resource; FastAPI keeps an included router as one entry that holds the router)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (included := getattr(route, "original_router", None)) is not None:
            yield from api_routes(included.routes)


def test_json_is_parsed_off_the_event_loop_and_only_two_routes_run_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = CentralStore(tmp_path / "central.db")
    try:
        secret = store.enrol(TERMINALS[0], "370302")
        app = create_app(store, attachments.AttachmentFiles(tmp_path / "attachments"))
        on_loop: list[bool] = []
        parse = json_route.parse_json

        def watched(body: bytes) -> object:
            try:
                asyncio.get_running_loop()
                on_loop.append(True)
            except RuntimeError:
                on_loop.append(False)
            return parse(body)

        monkeypatch.setattr(json_route, "parse_json", watched)
        body = json.dumps({"entries": [upload() for _ in range(50)]}).encode()
        headers = auth.signed_headers(TERMINALS[0], secret, "POST", "/v1/case-batches", body)
        headers["Content-Type"] = "application/json"
        with TestClient(app) as client:
            assert client.post("/v1/case-batches", content=body, headers=headers).status_code == 200
        assert on_loop == [False]
        routes = list(api_routes(app.routes))
        on_the_loop = sorted(r.name for r in routes if inspect.iscoroutinefunction(r.endpoint))
        assert on_the_loop == ["attachment_chunk", "health"]  # no database, no parsing on the loop
        declared = {(m, r.path) for r in routes for m in r.methods}
        assert declared == {(r.method, r.path) for r in limits.ROUTES}  # every route has its cap
    finally:
        store.close()


# ---- 10. licence serials: a quota, a rate, and an end ---------------------------------------------
def block(centre: CentralServer, size: int, terminal: str = TERMINALS[0]) -> httpx.Response:
    return post_json(centre, "/v1/licence-blocks", {"request_uuid": str(uuid.uuid4()), "size": size}, terminal)


def report_use(centre: CentralServer, serial: int, terminal: str = TERMINALS[0]) -> None:
    sent = post_json(centre, "/v1/cases", upload(body={"summary": {"licence_serial": serial}}), terminal)
    assert sent.status_code == 201, sent.text


def test_a_terminal_holds_at_most_its_quota_of_unused_serials(centre: CentralServer) -> None:
    drawn = []
    for _ in range(20):  # bounded: far more than the quota allows
        answer = block(centre, 1000)
        if answer.status_code != 200:
            break
        drawn.append(answer.json())
    assert len(drawn) * 1000 == licences.MAX_OUTSTANDING
    assert answer.status_code == 429 and answer.json()["error"] == "licence_quota"
    assert int(answer.headers["Retry-After"]) > 0
    assert block(centre, 1000, TERMINALS[1]).status_code == 200  # the other terminal has its own
    report_use(centre, drawn[2]["last_serial"])  # three blocks used: three may be drawn again
    assert [block(centre, 1000).status_code for _ in range(4)] == [200, 200, 200, 429]
    report_use(centre, drawn[0]["first_serial"] + 5_000_000)  # not its serial: changes nothing
    assert block(centre, 1000).status_code == 429


def test_a_terminal_draws_at_most_its_daily_rate_even_reporting_everything_used(centre: CentralServer) -> None:
    total = 0
    for _ in range(20):
        answer = block(centre, licences.MAX_OUTSTANDING)
        if answer.status_code != 200:
            break
        total += licences.MAX_OUTSTANDING
        report_use(centre, answer.json()["last_serial"])  # claims it used them all at once
    assert total == licences.MAX_PER_DAY
    assert answer.status_code == 429 and answer.json()["error"] == "licence_rate"
    text = log_text(centre)
    assert f"licence block refused: licence_rate, terminal {TERMINALS[0]}" in text


def test_the_end_of_a_divisions_serials_is_refused_and_announced(centre: CentralServer) -> None:
    assert block(centre, 10).status_code == 200
    near_end = licences.SPACE - 1500
    centre.store().db.transaction(
        lambda tx: tx.execute("UPDATE counters SET value = ? WHERE name = ?", (near_end, "licence_serial:370302"))
    )
    first = block(centre, 1000).json()
    cut = block(centre, 1000).json()
    assert (first["first_serial"], first["last_serial"]) == (near_end, near_end + 999)
    assert (cut["first_serial"], cut["last_serial"]) == (near_end + 1000, licences.SPACE - 1)  # what was left
    individual_business_credit_code("370302", cut["last_serial"])  # the last one is still a credit code
    exhausted = block(centre, 1000)
    assert exhausted.status_code == 409 and exhausted.json()["error"] == "serials_exhausted"
    text = log_text(centre)
    assert "licence serials of division 370302 running low: 0 left" in text
    assert "licence serials of division 370302 are used up" in text
    report = clerk(centre, "serials")
    assert report.returncode == 1 and "division 370302: 0 serials left" in report.stdout and "LOW" in report.stdout


# ---- 12. partial uploads: each terminal's own, with a quota and a clean-up ------------------------
CHUNK = 64 * 1024


def put(centre: CentralServer, digest: str, offset: int, length: int, chunk: bytes, terminal: str) -> httpx.Response:
    return signed(
        centre, "PUT", f"/v1/attachments/{digest}?offset={offset}&length={length}", chunk, terminal,
        content_type="application/octet-stream",
    )


def test_a_partial_upload_is_its_terminals_own(centre: CentralServer) -> None:
    data = os.urandom(3 * CHUNK)
    digest = hashlib.sha256(data).hexdigest()
    mine, other = TERMINALS
    assert put(centre, digest, 0, len(data), data[:CHUNK], mine).json()["received"] == CHUNK
    assert signed(centre, "GET", f"/v1/attachments/{digest}", terminal=other).status_code == 404
    reset = put(centre, digest, 0, 99, b"x", other)  # another length: once, this dropped my copy
    assert reset.status_code == 200 and reset.json()["received"] == 1
    ahead = put(centre, digest, CHUNK, len(data), data[CHUNK : 2 * CHUNK], other)  # continue mine?
    assert ahead.status_code == 422 or ahead.json().get("received") != 2 * CHUNK
    held = signed(centre, "GET", f"/v1/attachments/{digest}", terminal=mine).json()
    assert (held["received"], held["length"]) == (CHUNK, len(data))
    assert put(centre, digest, CHUNK, len(data), data[CHUNK:], mine).json()["complete"]
    assert signed(centre, "GET", f"/v1/attachments/{digest}", terminal=other).json()["complete"]


def test_partial_uploads_have_a_quota_and_old_ones_are_deleted(centre: CentralServer) -> None:
    files = [os.urandom(2) for _ in range(attachments.MAX_PARTIALS + 1)]
    for data in files[:attachments.MAX_PARTIALS]:
        answer = put(centre, hashlib.sha256(data).hexdigest(), 0, 2, data[:1], TERMINALS[0])
        assert answer.status_code == 200 and not answer.json()["complete"]
    last = files[attachments.MAX_PARTIALS]
    refused = put(centre, hashlib.sha256(last).hexdigest(), 0, 2, last[:1], TERMINALS[0])
    assert refused.status_code == 429 and refused.json()["error"] == "quota"
    assert put(centre, hashlib.sha256(last).hexdigest(), 0, 2, last[:1], TERMINALS[1]).status_code == 200
    finished = put(centre, hashlib.sha256(files[0]).hexdigest(), 1, 2, files[0][1:], TERMINALS[0])
    assert finished.json()["complete"]  # a finished upload frees its place
    assert put(centre, hashlib.sha256(last).hexdigest(), 0, 2, last[:1], TERMINALS[0]).status_code == 200
    old = time.time() - attachments.PARTIAL_MAX_AGE - 60
    partials = list((centre.attachments / "partial").rglob("*.*"))
    assert partials
    for path in partials:
        os.utime(path, (old, old))
    fresh = os.urandom(2)
    assert put(centre, hashlib.sha256(fresh).hexdigest(), 0, 2, fresh[:1], TERMINALS[0]).status_code == 200
    mine = [p for p in (centre.attachments / "partial").rglob("*.part") if p.stat().st_mtime > old + 1]
    assert len(mine) == 1  # the terminal's old ones were deleted when it began a new one


def test_the_sweep_deletes_every_terminals_old_partials(tmp_path: Path) -> None:
    now = [1_000_000.0]
    files = attachments.AttachmentFiles(tmp_path, clock=lambda: now[0])
    for terminal in TERMINALS:
        data = os.urandom(4)
        files.receive(hashlib.sha256(data).hexdigest(), 0, 4, data[:2], terminal)
    assert files.sweep(now[0] + attachments.PARTIAL_MAX_AGE - 10) == 0
    for path in (tmp_path / "partial").rglob("*.*"):
        os.utime(path, (now[0], now[0]))
    assert files.sweep(now[0] + attachments.PARTIAL_MAX_AGE + 10) == 2
    assert list((tmp_path / "partial").rglob("*.part")) == []
