"""The terminal's outbox against the real reference server on loopback: nothing lost, nothing twice."""

from __future__ import annotations

import fcntl
import http.server
import threading
from pathlib import Path

import httpx

from kiosk.core.cases import CaseRepository
from kiosk.core.store import Store
from sync import auth, outbox
from sync.client import CentralClient, OutboxPusher, backoff_seconds
from sync.runner import SyncRunner
from tests.central import CentralServer, free_port
from tests.test_store import new_case

TERMINAL = "T-370302-0001"


def decide(store: Store, count: int) -> list[str]:
    """`count` decided cases, each with its outbox entry; their ids."""
    repo = CaseRepository(store, TERMINAL)
    return [new_case(repo).id for _ in range(count)]


def pusher_for(store: Store, url: str, secret: bytes, terminal: str = TERMINAL) -> OutboxPusher:
    return OutboxPusher(store, CentralClient(url, terminal, secret, timeout=5))


def test_decided_cases_reach_the_centre_once_each(central: CentralServer, store: Store) -> None:
    case_ids = decide(store, 5)
    report = pusher_for(store, central.url, central.secret).push()
    assert (report.sent, report.failed, report.parked) == (5, 0, 0)
    assert outbox.counts(store.conn) == {"pending": 0, "acknowledged": 5, "parked": 0}
    assert central.store().case_ids(TERMINAL) == case_ids
    assert pusher_for(store, central.url, central.secret).push().sent == 0


def test_a_replayed_upload_gets_the_original_acknowledgement(central: CentralServer, store: Store) -> None:
    [case_id] = decide(store, 1)
    [entry] = outbox.pending(store.conn)
    client = CentralClient(central.url, TERMINAL, central.secret)
    body = {
        "entry_uuid": entry.entry_uuid,
        "case_id": case_id,
        "kind": "case",
        "seq": entry.seq,
        "body": store.cipher.open(entry.payload, case_id),
    }
    first, again = client.request("POST", "/v1/cases", body), client.request("POST", "/v1/cases", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    changed = {**body, "body": {"tampered": True}}
    assert client.request("POST", "/v1/cases", changed).status_code == 409
    assert central.store().case_count(TERMINAL) == 1


def test_a_captured_request_sent_again_is_refused(central: CentralServer) -> None:
    body = b'{"request_uuid":"6f1c1a7e-3b7e-4a7e-9a7e-1a7e3b7e4a7e","size":10}'
    headers = auth.signed_headers(TERMINAL, central.secret, "POST", "/v1/licence-blocks", body)
    headers["Content-Type"] = "application/json"
    assert httpx.post(f"{central.url}/v1/licence-blocks", content=body, headers=headers).status_code == 200
    replay = httpx.post(f"{central.url}/v1/licence-blocks", content=body, headers=headers)
    assert replay.status_code == 401 and replay.json()["error"] == "replayed"


def test_a_wrong_secret_is_refused_and_the_cases_wait(central: CentralServer, store: Store) -> None:
    decide(store, 2)
    report = pusher_for(store, central.url, b"not the secret").push()
    assert report.auth_refused and report.sent == 0
    assert outbox.counts(store.conn)["pending"] == 2 and central.store().case_count() == 0


def test_a_terminal_clock_an_hour_out_still_syncs(central: CentralServer, store: Store) -> None:
    decide(store, 1)
    client = CentralClient(central.url, TERMINAL, central.secret)
    client.clock_offset = -3600.0
    assert OutboxPusher(store, client).push().sent == 1
    assert abs(client.clock_offset) < 60


class _Portal(http.server.BaseHTTPRequestHandler):
    """A captive portal (200 with a login page) or a proxy refusing with 400."""

    status = 200

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        page = b"<html><body>Please log in to the township Wi-Fi</body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args) -> None:
        pass


def _portal(status: int) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("Portal", (_Portal,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_a_captive_portal_page_is_not_an_acknowledgement(store: Store) -> None:
    decide(store, 1)
    portal, url = _portal(200)
    try:
        report = pusher_for(store, url, b"x" * 32).push()
    finally:
        portal.shutdown()
    assert report.sent == 0 and report.failed == 1 and "text/html" in report.last_error
    assert outbox.counts(store.conn)["pending"] == 1


def test_a_refused_entry_is_parked_with_its_reason_and_can_be_sent_again(
    central: CentralServer, store: Store
) -> None:
    [case_id] = decide(store, 1)
    portal, url = _portal(400)
    try:
        assert pusher_for(store, url, central.secret).push().parked == 1
    finally:
        portal.shutdown()
    [(entry_uuid, parked_case, reason)] = outbox.parked(store.conn)
    assert parked_case == case_id and reason.startswith("HTTP 400")
    with store.durable() as conn:
        assert outbox.release_parked(conn, entry_uuid)
    assert pusher_for(store, central.url, central.secret).push().sent == 1


def test_in_a_batch_only_the_entry_at_fault_is_parked(central: CentralServer, store: Store) -> None:
    case_ids = decide(store, 4)
    entries = outbox.pending(store.conn)
    # The centre already holds the second entry's UUID with other content: a conflict.
    client = CentralClient(central.url, TERMINAL, central.secret)
    clash = entries[1]
    other = {"entry_uuid": clash.entry_uuid, "case_id": clash.case_id, "kind": "case", "seq": 1, "body": {}}
    assert client.request("POST", "/v1/cases", other).status_code == 201
    # The fourth is malformed (a kind the protocol refuses): the whole batch is refused, then
    # the entries go one by one and only that one is parked.
    with store.durable() as conn:
        conn.execute("UPDATE outbox SET kind = ? WHERE entry_uuid = ?", ("k" * 80, entries[3].entry_uuid))
    report = pusher_for(store, central.url, central.secret).push()
    assert (report.sent, report.parked, report.failed) == (2, 2, 0)
    parked = {entry_uuid: reason for entry_uuid, _, reason in outbox.parked(store.conn)}
    assert parked[clash.entry_uuid].startswith("HTTP 409")
    assert parked[entries[3].entry_uuid].startswith("HTTP 422")
    held = central.store().case_ids(TERMINAL)
    assert sorted(held) == sorted([case_ids[0], case_ids[1], case_ids[2]])


def test_a_batch_with_a_conflict_parks_that_entry_and_acknowledges_the_rest(
    central: CentralServer, store: Store
) -> None:
    decide(store, 3)
    entries = outbox.pending(store.conn)
    client = CentralClient(central.url, TERMINAL, central.secret)
    clash = entries[0]
    other = {"entry_uuid": clash.entry_uuid, "case_id": clash.case_id, "kind": "case", "seq": 1, "body": {}}
    assert client.request("POST", "/v1/cases", other).status_code == 201
    report = pusher_for(store, central.url, central.secret).push()
    assert (report.sent, report.parked) == (2, 1)
    [(entry_uuid, _, reason)] = outbox.parked(store.conn)
    assert entry_uuid == clash.entry_uuid and reason.startswith("conflict")


def test_licence_blocks_never_overlap_and_a_repeated_request_gets_the_same_block(
    central: CentralServer,
) -> None:
    other = central.enrol("T-370302-0002")
    first = CentralClient(central.url, TERMINAL, central.secret)
    second = CentralClient(central.url, "T-370302-0002", other)
    ask = {"request_uuid": "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", "size": 500}
    a = first.request("POST", "/v1/licence-blocks", ask).json()
    again = first.request("POST", "/v1/licence-blocks", ask).json()
    b = second.request(
        "POST", "/v1/licence-blocks", {**ask, "request_uuid": "1b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"}
    )
    b = b.json()
    assert a == again
    assert a["last_serial"] < b["first_serial"] or b["last_serial"] < a["first_serial"]
    taken = second.request("POST", "/v1/licence-blocks", ask)
    assert taken.status_code == 409


def test_only_one_sync_runs_at_a_time_across_processes(
    central: CentralServer, store: Store, tmp_path: Path
) -> None:
    decide(store, 1)
    lock_path = tmp_path / "sync.lock"
    runner = SyncRunner(pusher_for(store, central.url, central.secret), lock_path)
    with lock_path.open("a") as other_process:
        fcntl.flock(other_process, fcntl.LOCK_EX)
        assert runner.run_once() is None
    assert runner.run_once().sent == 1


def test_backoff_grows_to_a_cap_with_jitter() -> None:
    import random

    rng = random.Random(7)
    delays = [backoff_seconds(n, base=2, cap=60, rng=rng) for n in range(1, 12)]
    assert backoff_seconds(0) == 0
    assert all(2 ** (n - 1) <= d <= 2**n for n, d in enumerate(delays[:5], start=1))
    assert all(30 <= d <= 60 for d in delays[6:])
    assert len(set(delays)) == len(delays)


def test_the_committed_openapi_file_describes_the_server_as_built() -> None:
    import json

    from sync.server.main import openapi

    committed = json.loads(
        (Path(__file__).parent.parent / "sync" / "openapi.json").read_text(encoding="utf-8")
    )
    assert committed == openapi(), "run: kiosk-central openapi > sync/openapi.json"
