"""Sync benchmark, against the real reference server on loopback.

1. Drain: 10,000 queued cases sent by the terminal's own sync path, while a window on the UI
   thread keeps animating; its frame intervals during the drain against the same window idle
   (the baseline, same run). Target: drained in <= 60 s, frame times unaffected.
2. Server: 20 simulated terminals uploading one case per request at once; uploads per second,
   against the same 20 terminals asking for /v1/health (no database, no signature: the HTTP
   stack's own ceiling, same run). Target: >= 200 uploads/s. Measured on the server's default
   SQLite store, and again on PostgreSQL (a scratch cluster on loopback) where it is installed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.devtools.benchmarks.figures import record

if TYPE_CHECKING:
    from sync.server.process import CentralProcess

DRAIN_CASES = 10_000
DRAIN_TARGET_S = 60.0
UPLOAD_TARGET_PER_S = 200.0
TERMINALS = 20
REQUESTS_EACH = 60
TERMINAL_ID = "T-370302-0001"


def _queue_cases(data_dir: Path, count: int) -> None:
    """`count` decided cases with their outbox entries, as deciding at the kiosk leaves them."""
    from forms.outcomes import Outcome
    from kiosk.core.cases import CaseRepository
    from kiosk.core.store import Store

    store = Store.open(data_dir)
    repo = CaseRepository(store, TERMINAL_ID)
    personal = {
        "applicant": {"name": "张三", "id_number": "370302199001011232"},
        "answers": {"business_name": "淄川区张三小吃店", "address": "山东省淄博市淄川区般阳路1号"},
    }
    try:
        for _ in range(count):
            with store.durable() as conn:
                repo.insert_decided(
                    conn,
                    item_id="individual-business-registration",
                    item_version="1",
                    rules_version="1",
                    outcome=Outcome.APPROVED,
                    personal=personal,
                    summary={"item_name": "个体工商户设立登记", "applicant_masked": "张*"},
                )
    finally:
        store.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def drain_figures(central_url: str, data_dir: Path) -> dict:
    """Run the frame probe (it drains the outbox on a worker thread); its JSON."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-m", "kiosk.devtools.ui.frame_probe", str(data_dir), central_url, TERMINAL_ID],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    if out.returncode != 0:
        raise RuntimeError(f"frame probe failed: {out.stderr[-1500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _hammer(url: str, secrets: dict[str, bytes], signed: bool) -> float:
    """20 terminals at once, REQUESTS_EACH requests each; requests per second overall."""
    from sync.client import CentralClient

    barrier = threading.Barrier(len(secrets) + 1)
    errors: list[str] = []

    def terminal(terminal_id: str, secret: bytes) -> None:
        client = CentralClient(url, terminal_id, secret, timeout=30)
        barrier.wait()
        for seq in range(REQUESTS_EACH):
            if signed:
                case_id = str(uuid.uuid4())
                body = {
                    "entry_uuid": str(uuid.uuid4()),
                    "case_id": case_id,
                    "kind": "case",
                    "seq": seq,
                    "body": {"number": f"{terminal_id}-{seq:06d}", "outcome": "approved"},
                }
                response = client.request("POST", "/v1/cases", body)
                ok = response.status_code == 201
            else:
                ok = client.healthy()
            if not ok:
                errors.append(terminal_id)
        client.close()

    threads = [threading.Thread(target=terminal, args=item) for item in secrets.items()]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} requests were not answered as expected")
    return len(secrets) * REQUESTS_EACH / elapsed


def _enrol_terminals(central: CentralProcess) -> dict[str, bytes]:
    return {f"T-370302-{n:04d}": central.enrol(f"T-370302-{n:04d}") for n in range(100, 100 + TERMINALS)}


def postgres_upload_rate(folder: Path, runs: int) -> float | None:
    """Uploads per second with the server on a scratch PostgreSQL database (median of `runs`);
    None when PostgreSQL is not installed."""
    from sync.server.process import CentralProcess
    from sync.server.scratch_postgres import PostgresCluster, available

    if not available():
        return None
    cluster = PostgresCluster().start()
    try:
        central = CentralProcess(folder / "central-pg", database=cluster.create_database())
        central.attachments.mkdir(parents=True)
        terminals = _enrol_terminals(central)
        central.start()
        try:
            return statistics.median(_hammer(central.url, terminals, signed=True) for _ in range(runs))
        finally:
            central.stop()
    finally:
        cluster.stop()


def main(runs: int = 3) -> None:
    """Print both figures with their baselines and targets."""
    from sync.credentials import save_secret
    from sync.server.process import CentralProcess

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-sync-") as tmp:
        folder = Path(tmp)
        central = CentralProcess(folder / "central")
        secret = central.enrol(TERMINAL_ID)
        terminals = _enrol_terminals(central)
        central.start()
        try:
            data_dir = folder / "terminal"
            save_secret(data_dir, secret)
            start = time.perf_counter()
            _queue_cases(data_dir, DRAIN_CASES)
            queued_s = time.perf_counter() - start
            figures = drain_figures(central.url, data_dir)
            uploads = [_hammer(central.url, terminals, signed=True) for _ in range(runs)]
            health = [_hammer(central.url, terminals, signed=False) for _ in range(runs)]
        finally:
            central.stop()
        postgres_rate = postgres_upload_rate(folder, runs)
    drain, idle, busy = figures["drain"], figures["intervals_ms"]["idle"], figures["intervals_ms"]["draining"]
    print("\n== sync")
    print(f"queued {DRAIN_CASES} decided cases in {queued_s:.1f} s (setup, not timed below)")
    verdict = "met" if drain["seconds"] <= DRAIN_TARGET_S and drain["sent"] == DRAIN_CASES else "NOT met"
    print(
        f"drain: {drain['sent']} sent, {drain['failed']} failed in {drain['seconds']:.1f} s "
        f"({drain['sent'] / drain['seconds']:.0f} cases/s; target <= {DRAIN_TARGET_S:.0f} s: {verdict})"
    )
    record(
        "sync",
        f"drain {DRAIN_CASES} queued cases",
        drain["seconds"],
        "s",
        DRAIN_TARGET_S,
        note=f"{drain['sent']} sent, {drain['failed']} failed",
    )
    record(
        "sync",
        "UI frame interval p95 while draining",
        _percentile(busy, 0.95),
        "ms",
        None,
        baseline=f"idle {_percentile(idle, 0.95):.1f} ms; ×{_percentile(busy, 0.95) / _percentile(idle, 0.95):.2f}",  # noqa: E501
    )
    print(f"{'UI frame interval (ms)':<40} {'median':>8} {'p95':>8} {'max':>8} {'frames':>7}")
    for label, values in (("idle (baseline)", idle), ("while draining", busy)):
        print(
            f"{label:<40} {statistics.median(values):>8.1f} {_percentile(values, 0.95):>8.1f}"
            f" {max(values):>8.1f} {len(values):>7}"
        )
    print(
        f"ratio draining/idle: median {statistics.median(busy) / statistics.median(idle):.2f}, "
        f"p95 {_percentile(busy, 0.95) / _percentile(idle, 0.95):.2f} (1.00 = unaffected)"
    )
    upload_rate, health_rate = statistics.median(uploads), statistics.median(health)
    verdict = "met" if upload_rate >= UPLOAD_TARGET_PER_S else "NOT met"
    print(
        f"server, {TERMINALS} terminals x {REQUESTS_EACH} requests, median of {runs}: "
        f"{upload_rate:.0f} uploads/s (target >= {UPLOAD_TARGET_PER_S:.0f}: {verdict}); "
        f"baseline health checks {health_rate:.0f}/s; ratio {upload_rate / health_rate:.2f}"
    )
    record(
        "server",
        f"signed uploads, {TERMINALS} terminals at once (SQLite)",
        upload_rate,
        "/s",
        UPLOAD_TARGET_PER_S,
        better="higher",
        baseline=f"health checks {health_rate:.0f}/s; ×{upload_rate / health_rate:.2f}",
    )
    if postgres_rate is None:
        print("server on PostgreSQL: not measured (PostgreSQL is not installed)")
    else:
        verdict = "met" if postgres_rate >= UPLOAD_TARGET_PER_S else "NOT met"
        print(
            f"server on PostgreSQL (scratch cluster on loopback), same load, median of {runs}: "
            f"{postgres_rate:.0f} uploads/s (target >= {UPLOAD_TARGET_PER_S:.0f}: {verdict}); "
            f"ratio to SQLite {postgres_rate / upload_rate:.2f}"
        )
        record(
            "server",
            f"signed uploads, {TERMINALS} terminals at once (PostgreSQL)",
            postgres_rate,
            "/s",
            UPLOAD_TARGET_PER_S,
            better="higher",
            baseline=f"SQLite {upload_rate:.0f}/s",
        )
