"""Issue 18 at the centre: a code cannot take a terminal over, case bodies are checked and the
clerk's console cannot be spoofed, enrolment guesses are throttled and say nothing of which
terminals exist, and every refusal has one shape and a log line. Against the real server
(`kiosk-central serve`) on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sync import auth
from sync.keys import public_key_pem
from tests.central import CentralServer

TERMINALS = ("T-370302-0001", "T-370302-0002")


@pytest.fixture
def centre(tmp_path: Path, central_database: str | None) -> Iterator[CentralServer]:
    """The server with two terminals of division 370302 enrolled, its log in a file."""
    server = CentralServer(tmp_path / "central", database=central_database, log_path=tmp_path / "central.log")
    server.db.parent.mkdir(parents=True)
    server.secrets = {t: server.enrol(t) for t in TERMINALS}
    server.start()
    yield server
    server.stop()


def signed(
    centre: CentralServer,
    method: str,
    target: str,
    body: bytes = b"",
    terminal: str = TERMINALS[0],
    secret: bytes | None = None,
    content_type: str = "application/json",
) -> httpx.Response:
    """One request signed as the terminal signs it (`target`: path and query)."""
    secret = centre.secrets[terminal] if secret is None else secret
    headers = auth.signed_headers(terminal, secret, method, target, body)
    headers["Content-Type"] = content_type
    return httpx.request(method, f"{centre.url}{target}", content=body, headers=headers, timeout=30)


def post_json(centre: CentralServer, path: str, payload: object, terminal: str = TERMINALS[0]) -> httpx.Response:
    return signed(centre, "POST", path, json.dumps(payload, ensure_ascii=False).encode(), terminal)


def enrol(centre: CentralServer, code: str, terminal_id: str, key: str | None = None) -> httpx.Response:
    body = {"code": code, "terminal_id": terminal_id, "document_public_key": key}
    return httpx.post(f"{centre.url}/v1/enrolments", json=body, timeout=30)


def document_key() -> str:
    return public_key_pem(Ed25519PrivateKey.generate())


def works(centre: CentralServer, terminal: str, secret: bytes) -> bool:
    """True when the centre takes the terminal's signature."""
    return signed(centre, "GET", "/v1/decisions?after=0", terminal=terminal, secret=secret).status_code == 200


def upload(case_id: str | None = None, kind: str = "case", body: object = None, seq: object = 1) -> dict:
    entry = str(uuid.uuid4())
    return {"entry_uuid": entry, "case_id": case_id or entry, "kind": kind, "seq": seq, "body": body or {}}


def log_text(centre: CentralServer) -> str:
    time.sleep(0.3)  # the server writes its log line after answering
    return centre.log_path.read_text(encoding="utf-8", errors="replace")


def clerk(centre: CentralServer, *args: str) -> subprocess.CompletedProcess:
    run = [sys.executable, "-m", "sync.server.main", *args, "--db", centre.database]
    return subprocess.run(run, capture_output=True, text=True, timeout=60)


# ---- 1. an enrolment code cannot take a terminal over --------------------------------------------
def test_a_code_without_a_terminal_id_cannot_re_key_an_enrolled_terminal(centre: CentralServer) -> None:
    victim = TERMINALS[0]
    for division in ("370302", "370303"):
        answer = enrol(centre, centre.enrolment_code(division), victim, document_key())
        assert answer.status_code == 403 and answer.json()["error"] == "already_enrolled", answer.text
        assert "secret" not in answer.json()
    assert works(centre, victim, centre.secrets[victim])  # the real terminal still gets in
    fresh = enrol(centre, centre.enrolment_code("370302"), "T-370302-0099", document_key())
    assert fresh.status_code == 201  # a new id enrols with an unbound code as before


def test_re_keying_needs_a_code_bound_to_that_terminal_and_its_division(centre: CentralServer) -> None:
    victim = TERMINALS[0]
    other_division = enrol(centre, centre.enrolment_code("370303", victim), victim, document_key())
    assert other_division.status_code == 403 and other_division.json()["error"] == "other_division"
    assert works(centre, victim, centre.secrets[victim])
    other_id = enrol(centre, centre.enrolment_code("370302", TERMINALS[1]), victim, document_key())
    assert other_id.status_code == 403 and other_id.json()["error"] == "other_terminal"
    rekeyed = enrol(centre, centre.enrolment_code("370302", victim), victim, document_key())
    assert rekeyed.status_code == 201
    assert works(centre, victim, bytes.fromhex(rekeyed.json()["secret"]))
    assert not works(centre, victim, centre.secrets[victim])  # the old secret is gone, as asked


def test_the_document_key_must_be_an_ed25519_public_key(centre: CentralServer) -> None:
    code = centre.enrolment_code("370302")
    rsa_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    for bad in ("whatever string was sent", rsa_pem):
        answer = enrol(centre, code, "T-370302-0050", bad)
        assert answer.status_code == 422, answer.text
        assert answer.json()["message"].startswith("body.document_public_key")
    assert enrol(centre, code, "T-370302-0050", document_key()).status_code == 201  # code not used up


# ---- 13. guesses are throttled; the answers say nothing of which terminals exist ---------------
def test_enrolment_guesses_are_throttled_per_source(centre: CentralServer) -> None:
    answers = [enrol(centre, f"GUESS-{n:04d}-AAAA", "T-370302-0077") for n in range(12)]
    statuses = [a.status_code for a in answers]
    assert statuses[:5] == [403] * 5 and all(s == 429 for s in statuses[6:]), statuses
    throttled = answers[-1]
    assert throttled.json()["error"] == "too_many" and int(throttled.headers["Retry-After"]) >= 1


def test_an_unknown_terminal_and_a_wrong_signature_get_the_same_answer(centre: CentralServer) -> None:
    unknown = signed(centre, "GET", "/v1/decisions?after=0", terminal="T-370302-9999", secret=b"x" * 32)
    wrong = signed(centre, "GET", "/v1/decisions?after=0", secret=b"x" * 32)
    assert unknown.status_code == wrong.status_code == 401
    assert {**unknown.json(), "server_time": 0} == {**wrong.json(), "server_time": 0}
    assert unknown.json()["error"] == "bad_signature"
    stale_unknown = httpx.get(
        f"{centre.url}/v1/decisions",
        headers={
            auth.TERMINAL: "T-370302-9999",
            auth.TIMESTAMP: "1000",
            auth.NONCE: "n" * 32,
            auth.SIGNATURE: "0" * 64,
        },
    )
    assert stale_unknown.json()["error"] == "stale"  # time is judged before the terminal is looked up


def test_a_used_code_does_not_say_who_used_it_or_when(centre: CentralServer) -> None:
    code = centre.enrolment_code("370302")
    assert enrol(centre, code, "T-370302-0060", document_key()).status_code == 201
    again = enrol(centre, code, "T-370302-0061", document_key())
    assert again.status_code == 403 and again.json()["error"] == "code_used"
    assert "T-370302-0060" not in again.text and "20" not in again.json()["message"]


# ---- 11. case bodies are checked; what the clerk reads cannot drive the console ---------------
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "manual_review", "summary": "a string"}, "body.body.summary"),
        ({"outcome": "manual_review", "summary": None}, "body.body.summary"),
        ({"summary": {"notices": [1]}}, "body.body.summary.notices.0"),
        ({"summary": {"item_name": ["x"]}}, "body.body.summary.item_name"),
        ({"number": 7}, "body.body.number"),
    ],
)
def test_a_case_body_of_the_wrong_shape_is_refused_naming_the_field(
    centre: CentralServer, body: dict, field: str
) -> None:
    answer = post_json(centre, "/v1/cases", upload(body=body))
    assert answer.status_code == 422 and answer.json()["error"] == "invalid", answer.text
    assert answer.json()["message"].startswith(field), answer.json()["message"]
    batch = post_json(centre, "/v1/case-batches", {"entries": [upload(), upload(body=body)]})
    assert batch.status_code == 422 and "body.entries.1.body" in batch.json()["message"]
    late = upload(kind="licence_issued", body={"detail": {"licence_serial": "10001"}})
    assert post_json(centre, "/v1/cases", late).json()["message"].startswith("body.body.detail.licence_serial")
    assert centre.store().case_count() == 0
    assert clerk(centre, "review").returncode == 0


def test_the_clerks_queue_escapes_control_characters_and_survives_an_old_malformed_case(
    centre: CentralServer,
) -> None:
    spoof = {
        "outcome": "manual_review",
        "number": "ZC-1\x1b[2J\x1b[H",
        "summary": {
            "item_name": "个体工商户\r\n00000000-0000-0000-0000-000000000000  伪造的一行",
            "applicant_masked": "王**\u202egnp.exe",
            "notices": [{"message": "\x07\x1b]0;title\x07请到窗口"}],
        },
    }
    sent = upload(body=spoof)
    assert post_json(centre, "/v1/cases", sent).status_code == 201
    # A row stored before bodies were checked: its summary is a string.
    old = {"outcome": "manual_review", "summary": "not an object"}

    def legacy(tx) -> None:  # noqa: ANN001
        tx.execute(
            "INSERT INTO cases(entry_uuid, terminal_id, case_id, kind, terminal_seq, body, server_seq,"
            " received_at) VALUES (?,?,?,?,?,?,?,?)",
            (str(uuid.uuid4()), TERMINALS[1], str(uuid.uuid4()), "case", 1, json.dumps(old), 999_999, "2026"),
        )

    centre.store().db.transaction(legacy)
    review = clerk(centre, "review")
    assert review.returncode == 0, review.stderr
    out = review.stdout
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\u202e" not in out
    assert "\\x1b[2J" in out and "\\u202e" in out and "个体工商户" in out
    assert out.count("\n") == 3  # two cases and the count: no line faked
    assert "2 case(s) waiting" in out


# ---- 15. one error shape, strict integers, case ids per terminal, log lines, no tracebacks ------
def test_every_refusal_has_the_one_error_shape(centre: CentralServer) -> None:
    answers = {
        "unparsable JSON": signed(centre, "POST", "/v1/cases", b'{"entry_uuid": '),
        "not UTF-8": signed(centre, "POST", "/v1/cases", b'{"a": "\xff"}'),
        "NaN": signed(centre, "POST", "/v1/licence-blocks", b'{"request_uuid": "x", "size": NaN}'),
        "405": signed(centre, "DELETE", "/v1/cases"),
        "unknown path, signed": signed(centre, "GET", "/v1/nothing-here"),
        "unknown path, unsigned": httpx.get(f"{centre.url}/v1/nothing-here"),
        "outside /v1": httpx.get(f"{centre.url}/nothing"),
        "missing headers": httpx.post(f"{centre.url}/v1/cases", json={}),
    }
    expected = {
        "unparsable JSON": 422, "not UTF-8": 422, "NaN": 422, "405": 405, "unknown path, signed": 404,
        "unknown path, unsigned": 401, "outside /v1": 404, "missing headers": 401,
    }  # fmt: skip
    for what, answer in answers.items():
        assert answer.status_code == expected[what], (what, answer.status_code, answer.text)
        problem = answer.json()
        assert isinstance(problem, dict) and {"error", "message"} <= problem.keys(), (what, problem)
        assert "detail" not in problem, what
    assert answers["405"].headers["Allow"] == "POST"
    assert answers["unparsable JSON"].json()["message"].startswith("body.")


@pytest.mark.parametrize("seq", [True, "7", 7.0, None, -1])
def test_integers_are_strict(centre: CentralServer, seq: object) -> None:
    answer = post_json(centre, "/v1/cases", upload(seq=seq))
    assert answer.status_code == 422 and answer.json()["message"].startswith("body.seq"), answer.text
    size = post_json(centre, "/v1/licence-blocks", {"request_uuid": str(uuid.uuid4()), "size": seq})
    assert size.status_code == 422 and size.json()["message"].startswith("body.size")
    assert centre.store().case_count() == 0 and centre.store().licence_blocks() == []


def test_a_case_id_belongs_to_the_terminal_that_sent_it(centre: CentralServer) -> None:
    first = upload(body={"outcome": "manual_review"})
    assert post_json(centre, "/v1/cases", first).status_code == 201
    intruder = upload(case_id=first["case_id"], kind="licence_issued", body={"detail": {"licence_serial": 1}})
    refused = post_json(centre, "/v1/cases", intruder, terminal=TERMINALS[1])
    assert refused.status_code == 409 and "another terminal" in refused.json()["message"]
    batch = post_json(centre, "/v1/case-batches", {"entries": [upload(case_id=first["case_id"])]}, TERMINALS[1])
    assert batch.json()["results"][0]["error"] == "conflict"
    assert centre.store().case_count(TERMINALS[1]) == 0
    assert "recorded" in clerk(centre, "decide", first["case_id"], "approve", "--clerk", "李").stdout
    mine = signed(centre, "GET", "/v1/decisions?after=0").json()["decisions"]
    theirs = signed(centre, "GET", "/v1/decisions?after=0", terminal=TERMINALS[1]).json()["decisions"]
    assert [d["case_id"] for d in mine] == [first["case_id"]] and theirs == []


def test_a_case_number_reused_with_another_case_id_is_kept_and_flagged(centre: CentralServer) -> None:
    """Item 6, the centre's side: a terminal whose store was emptied starts again at 000001; the
    second case with that number is stored (nothing is dropped) and flagged for a person."""
    number = f"{TERMINALS[0]}-000001"
    first = upload(body={"number": number, "outcome": "approved"})
    assert post_json(centre, "/v1/cases", first).status_code == 201
    assert "0 case number(s) used twice" in clerk(centre, "conflicts").stdout
    again = upload(body={"number": number, "outcome": "approved"})
    assert post_json(centre, "/v1/cases", again).status_code == 201
    assert post_json(centre, "/v1/cases", again).status_code in (200, 201)  # a replay flags nothing more
    assert centre.store().case_count(TERMINALS[0]) == 2
    listed = clerk(centre, "conflicts")
    assert listed.returncode == 1 and "1 case number(s) used twice" in listed.stdout
    assert again["case_id"] in listed.stdout and first["case_id"] in listed.stdout
    assert f"case number {number} of terminal {TERMINALS[0]} reused" in log_text(centre)


def test_refused_requests_and_enrolments_are_logged_with_reason_and_terminal(centre: CentralServer) -> None:
    signed(centre, "GET", "/v1/decisions?after=0", terminal="T-370302-9999", secret=b"x" * 32)
    signed(centre, "GET", "/v1/decisions?after=0", secret=b"x" * 32)
    enrol(centre, centre.enrolment_code("370302"), TERMINALS[1], document_key())
    post_json(centre, "/v1/cases", upload(body={"summary": "x"}))
    text = log_text(centre)
    assert "request refused: bad_signature (unknown_terminal) GET /v1/decisions, terminal T-370302-9999" in text
    assert f"request refused: bad_signature (wrong_signature) GET /v1/decisions, terminal {TERMINALS[0]}" in text
    assert f"enrolment refused: already_enrolled, terminal {TERMINALS[1]}, from 127.0.0.1" in text
    assert f"upload refused: invalid body, terminal {TERMINALS[0]}: body.body.summary" in text


def test_a_client_going_away_mid_request_leaves_no_traceback(centre: CentralServer) -> None:
    batch = json.dumps({"entries": [upload(body={"x": "y" * 1000}) for _ in range(150)]}).encode()
    chunk = os.urandom(1000)
    attachment = f"/v1/attachments/{hashlib.sha256(chunk).hexdigest()}?offset=0&length=1000"
    for method, target, body, sent in [
        ("POST", "/v1/case-batches", batch, 10),
        ("PUT", attachment, chunk, 10),
        ("POST", "/v1/case-batches", batch, len(batch) // 2),
    ] * 3:
        headers = auth.signed_headers(TERMINALS[0], centre.secrets[TERMINALS[0]], method, target, body)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        with socket.create_connection(("127.0.0.1", centre.port), timeout=5) as sock:
            sock.sendall(
                f"{method} {target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{head}"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body[:sent]
            )
            time.sleep(0.2)
    assert httpx.get(f"{centre.url}/v1/health").status_code == 200
    text = log_text(centre)
    assert "Traceback" not in text and "Exception in ASGI" not in text, text[-2000:]
    assert text.count("client went away mid-request") == 9
