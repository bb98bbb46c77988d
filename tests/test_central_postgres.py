"""The reference server on PostgreSQL, where what SQLite's single writer hid becomes real:
several server processes over one database, the same replay arriving at two of them at once,
licence blocks drawn at the same moment. The guarantees hold: each entry stored once with one
acknowledgement, blocks disjoint."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.client import CentralClient
from sync.server.db import CentralStore
from sync.server.scratch_postgres import PostgresCluster
from tests.central import CentralServer

TERMINALS = ("T-370302-0001", "T-370302-0002")


@pytest.fixture
def database(postgres_cluster: PostgresCluster) -> Iterator[str]:
    url = postgres_cluster.create_database()
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture
def two_servers(tmp_path: Path, database: str) -> Iterator[list[CentralServer]]:
    """Two `kiosk-central serve` processes over one PostgreSQL database."""
    servers = [CentralServer(tmp_path / f"central-{n}", database=database) for n in (1, 2)]
    servers[0].db.parent.mkdir(parents=True)
    servers[0].secrets = {t: servers[0].enrol(t) for t in TERMINALS}
    for server in servers:
        server.db.parent.mkdir(parents=True, exist_ok=True)
        server.start()
    yield servers
    for server in servers:
        server.stop()


def upload(entry_uuid: str, case_id: str, seq: int) -> dict:
    return {"entry_uuid": entry_uuid, "case_id": case_id, "kind": "case", "seq": seq, "body": {"n": seq}}


def at_once(jobs: list) -> list:  # noqa: ANN001
    """Run the callables on their own threads, released together; their results in order."""
    results: list = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(index: int) -> None:
        start.wait()
        results[index] = jobs[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_a_replay_reaching_two_servers_at_once_is_stored_once_with_one_acknowledgement(
    two_servers: list[CentralServer],
) -> None:
    first, second = two_servers
    secret = first.secrets[TERMINALS[0]]
    entries = [upload(str(uuid.uuid4()), str(uuid.uuid4()), n) for n in range(40)]
    batch = {"entries": entries}
    clients = [CentralClient(s.url, TERMINALS[0], secret, timeout=30) for s in (first, second) for _ in (1, 2)]
    answers = at_once([lambda c=c: c.request("POST", "/v1/case-batches", batch) for c in clients])
    assert [a.status_code for a in answers] == [200] * 4
    acks = [[r["ack"] for r in a.json()["results"]] for a in answers]
    assert all(ack == acks[0] for ack in acks), "every server answered every replay with the same acks"
    assert first.store().case_count(TERMINALS[0]) == 40
    assert sorted(a["server_seq"] for a in acks[0]) == sorted(set(a["server_seq"] for a in acks[0]))


def test_single_uploads_racing_through_both_servers_are_each_stored_once(
    two_servers: list[CentralServer],
) -> None:
    first, second = two_servers
    secret = first.secrets[TERMINALS[0]]
    entries = [upload(str(uuid.uuid4()), str(uuid.uuid4()), n) for n in range(10)]
    clients = [CentralClient(s.url, TERMINALS[0], secret, timeout=30) for s in (first, second)]
    jobs = [lambda c=c, e=e: c.request("POST", "/v1/cases", e) for e in entries for c in clients]
    answers = at_once(jobs)
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] * 10 + [201] * 10  # one server stored each entry, the other replayed it
    for pair in zip(answers[::2], answers[1::2], strict=True):
        assert pair[0].json() == pair[1].json()
    assert first.store().case_count(TERMINALS[0]) == 10


def test_blocks_drawn_at_the_same_moment_from_two_servers_never_overlap(
    two_servers: list[CentralServer],
) -> None:
    first, second = two_servers
    jobs = []
    for server in (first, second):
        for terminal in TERMINALS:
            client = CentralClient(server.url, terminal, first.secrets[terminal], timeout=30)
            for _ in range(3):
                body = {"request_uuid": str(uuid.uuid4()), "size": 500}
                jobs.append(lambda c=client, b=body: c.request("POST", "/v1/licence-blocks", b))
    answers = at_once(jobs)
    assert [a.status_code for a in answers] == [200] * len(jobs)
    ranges = sorted((a.json()["first_serial"], a.json()["last_serial"]) for a in answers)
    assert all(prev[1] < nxt[0] for prev, nxt in zip(ranges, ranges[1:], strict=False))
    assert len(first.store().licence_blocks()) == len(jobs)


def test_one_store_shared_by_many_threads_stores_a_contested_uuid_once(database: str) -> None:
    store = CentralStore(database)
    try:
        store.enrol(TERMINALS[0], "370302")
        entry, case = str(uuid.uuid4()), str(uuid.uuid4())
        results = at_once(
            [lambda: store.receive_case(TERMINALS[0], entry, case, "case", 1, {"n": 1}) for _ in range(8)]
        )
        assert sum(created for _, created in results) == 1
        assert len({ack for ack, _ in results}) == 1
        assert store.case_count() == 1
    finally:
        store.close()
