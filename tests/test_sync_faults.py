"""Faults between terminal and centre, injected by a proxy on loopback. After each, the server
holds exactly the terminal's cases: none missing, none twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.store import Store
from sync import outbox
from sync.client import CentralClient, OutboxPusher
from tests.central import CentralServer
from tests.netfault import FaultProxy
from tests.test_sync import TERMINAL, decide

CASES = 12
BATCH = 3  # several requests per drain, so faults land between batches as well as on them


@pytest.fixture
def proxy(central: CentralServer) -> Iterator[FaultProxy]:
    p = FaultProxy(central.url, stall_seconds=3.0)
    yield p
    p.stop()


def drain(store: Store, url: str, secret: bytes, rounds: int = 200) -> None:
    """Sync rounds until the outbox is empty (the scheduler would wait its backoff in between)."""
    pusher = OutboxPusher(store, CentralClient(url, TERMINAL, secret, timeout=1.0), batch_size=BATCH)
    for _ in range(rounds):
        if outbox.counts(store.conn)["pending"] == 0:
            return
        pusher.push(limit=50)
    raise AssertionError(f"outbox not drained: {outbox.counts(store.conn)}")


def assert_exactly_once(central: CentralServer, store: Store, case_ids: list[str]) -> None:
    held = central.store().case_ids(TERMINAL)
    assert sorted(held) == sorted(case_ids), "every case once: none missing, none twice"
    assert outbox.counts(store.conn) == {"pending": 0, "acknowledged": len(case_ids), "parked": 0}


@pytest.mark.parametrize(
    "faults",
    [
        ["drop_after_commit"] * 5,  # the server committed, the answer was lost: resent, not doubled
        ["pass", "drop_after_commit", "pass", "drop_after_commit", "drop_after_commit"],
        ["503"] * 30,  # a storm of 503s
        ["html_200"] * 4,  # a captive portal answering 200
        ["stall", "stall"],  # stalls past the client's timeout
        ["pass", "pass", "503", "drop_after_commit", "html_200", "stall", "drop_after_commit"],
    ],
    ids=["drops", "drops-mixed", "503-storm", "portal", "stalls", "everything"],
)
def test_after_network_faults_the_centre_holds_each_case_once(
    central: CentralServer, store: Store, proxy: FaultProxy, faults: list[str]
) -> None:
    case_ids = decide(store, CASES)
    proxy.add(*faults)
    drain(store, proxy.url, central.secret)
    assert set(faults) <= set(proxy.seen)
    assert_exactly_once(central, store, case_ids)


def test_a_server_restarted_mid_batch_loses_nothing(central: CentralServer, store: Store) -> None:
    case_ids = decide(store, CASES)
    pusher = OutboxPusher(
        store, CentralClient(central.url, TERMINAL, central.secret, timeout=1.0), batch_size=BATCH
    )
    assert pusher.push(limit=6).sent == 6
    central.stop()
    down = pusher.push(limit=6)
    assert down.sent == 0 and down.failed == BATCH  # the first batch failed; the push stopped there
    central.start()
    drain(store, central.url, central.secret)
    assert_exactly_once(central, store, case_ids)


def test_a_kiosk_killed_mid_upload_loses_nothing_and_doubles_nothing(
    central: CentralServer, store: Store, tmp_path: Path
) -> None:
    import signal
    import subprocess
    import sys

    from sync.credentials import save_secret
    from tests.waiting import wait_until

    case_ids = decide(store, CASES)
    data_dir = tmp_path / "terminal"
    save_secret(data_dir, central.secret)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'terminal_id = "{TERMINAL}"\ndata_dir = "terminal"\n', encoding="utf-8")
    proxy = FaultProxy(central.url, ["pass", "pass", "pass", "stall_after_commit"], stall_seconds=30)
    try:
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk.cli",
                "sync",
                "--config",
                str(config),
                "--central",
                proxy.url,
                "--timeout",
                "60",
                "--batch",
                str(BATCH),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(lambda: len(proxy.seen) >= 4, 30), "the upload never reached the stalled request"
        assert wait_until(lambda: central.store().case_count(TERMINAL) == 4 * BATCH, 10)
        # the 4th batch is committed at the centre, unacknowledged here
        assert outbox.counts(store.conn)["acknowledged"] == 3 * BATCH
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        proxy.stop()
    drain(store, central.url, central.secret)
    assert_exactly_once(central, store, case_ids)
