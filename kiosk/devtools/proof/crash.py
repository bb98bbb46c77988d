"""Crash consistency: run journeys and sync in a child process, SIGKILL it at a random moment, and
check what is left, over and over. After every kill:

- ``PRAGMA integrity_check`` is ok;
- every decision a resident saw (the child writes it down, fsynced, the moment it is on the
  screen) is in the store with the same number and outcome;
- no document number was issued twice (the documents journal and the licences' credit codes);
- the outbox matches the cases: each case has its one ``case`` entry, no entry lacks its case.

At the end a last child drains the outbox and the centre must hold every case exactly once.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

TERMINAL = "PROOF-370302-01"
WITNESS = "witness.jsonl"


@dataclass
class CrashReport:
    """What the harness found over all its runs."""

    runs: int = 0
    kills: int = 0
    journeys_seen: int = 0
    integrity_failures: int = 0
    lost_decisions: int = 0
    duplicate_numbers: int = 0
    outbox_mismatches: int = 0
    centre_duplicates: int = 0
    centre_missing: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when no check failed in any run."""
        return not (
            self.integrity_failures
            or self.lost_decisions
            or self.duplicate_numbers
            or self.outbox_mismatches
            or self.centre_duplicates
            or self.centre_missing
        )


# ---- the child: a kiosk that never stops serving residents -------------------------------------
def child(data_dir: Path, central_url: str, seed: int, drain: bool) -> int:
    """Serve residents in a loop with the sync worker running, until killed; with `drain`, only
    send the outbox and leave."""
    from kiosk.config import config_from_dict
    from kiosk.devtools.proof.journeys import registration
    from kiosk.services import build_services

    config = config_from_dict(
        {
            "terminal_id": TERMINAL,
            "central_url": central_url,
            "data_dir": str(data_dir),
            "voice_prompts": False,
            "demo": True,  # the demo's reference data, staff and licence block
        }
    )
    services = build_services(config)
    if drain:
        return _drain(services)
    witness = os.open(data_dir / WITNESS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def decided(seen) -> None:  # noqa: ANN001 (a journeys.Seen)
        line = json.dumps({"case_id": seen.case_id, "number": seen.number, "outcome": seen.outcome})
        os.write(witness, (line + "\n").encode())
        os.fsync(witness)

    services.start_sync(interval=0.3)
    services.journey.warm_up()  # as the kiosk does at start, before a resident can reach it
    print("READY", flush=True)
    rng = random.Random(seed)
    while True:
        registration(services, rng, decided)


def _drain(services) -> int:  # noqa: ANN001
    from kiosk.services import central_client
    from sync.client import OutboxPusher
    from sync.runner import SyncRunner

    client = central_client(services.config)
    if client is None:
        print("DRAIN FAILED: the terminal is not enrolled", flush=True)
        return 1
    runner = SyncRunner(OutboxPusher(services.store, client), services.config.data_dir / "sync.lock")
    report = runner.drain()
    client.close()
    services.close()
    print(f"DRAINED sent={report.sent} parked={report.parked} failed={report.failed}", flush=True)
    return 0 if report.clean else 1


# ---- the checks ----------------------------------------------------------------------------------
def check_store(data_dir: Path) -> dict[str, list[str]]:
    """Each check's problems (empty lists: all well)."""
    conn = sqlite3.connect(f"file:{data_dir / 'kiosk.sqlite3'}?mode=ro", uri=True)
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        cases = {row[0]: (row[1], row[2]) for row in conn.execute("SELECT id, number, outcome FROM cases")}
        lost = []
        path = data_dir / WITNESS
        for line in path.read_text().splitlines() if path.exists() else []:
            try:
                seen = json.loads(line)
            except ValueError:
                continue  # a line cut by the kill: the resident had not seen it written
            if cases.get(seen["case_id"]) is None:
                lost.append(f"decision {seen['number']} ({seen['outcome']}) not in the store")
            elif cases[seen["case_id"]][0] != seen["number"]:
                lost.append(
                    f"case {seen['case_id']} has number {cases[seen['case_id']][0]}, saw {seen['number']}"
                )
        duplicates = [
            f"{kind} {number} issued {count} times"
            for kind, number, count in conn.execute(
                "SELECT kind, number, COUNT(*) FROM issued_documents"
                " GROUP BY kind, number HAVING COUNT(*) > 1"
            )
        ]
        codes: dict[str, str] = {}
        for case_id, summary in conn.execute("SELECT id, summary FROM cases"):
            code = json.loads(summary).get("credit_code")
            if code and code in codes:
                duplicates.append(f"credit code {code} on cases {codes[code]} and {case_id}")
            elif code:
                codes[code] = case_id
        mismatches = [
            f"case {case_id} has {count} case entries in the outbox"
            for case_id, count in conn.execute(
                "SELECT c.id, COUNT(o.id) FROM cases c"
                " LEFT JOIN outbox o ON o.case_id = c.id AND o.kind = 'case'"
                " GROUP BY c.id HAVING COUNT(o.id) != 1"
            )
        ] + [
            f"outbox entry {uuid} has no case"
            for (uuid,) in conn.execute(
                "SELECT entry_uuid FROM outbox WHERE case_id NOT IN (SELECT id FROM cases)"
            )
        ]
    finally:
        conn.close()
    return {
        "integrity": [] if integrity == ["ok"] else integrity,
        "lost": lost,
        "duplicates": duplicates,
        "outbox": mismatches,
    }


def witnessed(data_dir: Path) -> int:
    """How many decisions residents saw so far."""
    path = data_dir / WITNESS
    return sum(1 for line in path.read_text().splitlines() if line.endswith("}")) if path.exists() else 0


# ---- the parent ----------------------------------------------------------------------------------
def run_harness(folder: Path, runs: int, seed: int, max_delay: float = 2.0, say=print) -> CrashReport:  # noqa: ANN001
    """`runs` kills of a child serving residents, each checked; then the drain and the centre."""
    from kiosk.devtools.demo_central import demo_central

    rng = random.Random(seed)
    data = folder / "terminal"
    report = CrashReport()
    with demo_central(folder / "central") as central:
        central.enrol(data, TERMINAL, "370302")
        for run in range(runs):
            report.runs += 1
            delay = rng.uniform(0.0, max_delay)
            killed = _run_child(data, central.url, rng.randrange(2**31), delay)
            report.kills += killed
            _tally(report, check_store(data), f"run {run + 1} (killed {delay:.2f} s in)")
            if (run + 1) % 50 == 0:
                seen, problems = witnessed(data), len(report.problems)
                say(f"  {run + 1} runs, {seen} decisions seen, problems so far: {problems}")
        drained = subprocess.run(
            _child_command(data, central.url, 0, drain=True), capture_output=True, text=True, timeout=300
        )
        if drained.returncode != 0:
            report.problems.append(f"drain failed: {(drained.stdout + drained.stderr)[-500:]}")
        _tally(report, check_store(data), "after the drain")
        report.journeys_seen = witnessed(data)
        held = central.case_ids(TERMINAL)
        stored = _stored_case_ids(data)
        report.centre_duplicates = len(held) - len(set(held))
        report.centre_missing = len(stored - set(held))
        if report.centre_duplicates or report.centre_missing:
            report.problems.append(
                f"centre: {report.centre_duplicates} duplicate(s), {report.centre_missing} case(s) missing"
            )
    return report


def _child_command(data: Path, url: str, seed: int, drain: bool = False) -> list[str]:
    return [
        sys.executable, "-m", "kiosk.devtools.proof.crash", "--data-dir", str(data), "--central", url,
        "--seed", str(seed), *(["--drain"] if drain else []),
    ]  # fmt: skip


def _run_child(data: Path, url: str, seed: int, delay: float) -> int:
    """Start a child, let it serve for `delay` seconds after it is ready, SIGKILL it; 1 if killed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("KIOSK_FAILPOINT", None)
    process = subprocess.Popen(
        _child_command(data, url, seed), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    try:
        line = process.stdout.readline() if process.stdout else b""
        if b"READY" in line:
            time.sleep(delay)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if process.stdout:
            process.stdout.close()
    return 1 if process.returncode == -signal.SIGKILL else 0


def _tally(report: CrashReport, found: dict[str, list[str]], when: str) -> None:
    report.integrity_failures += bool(found["integrity"])
    report.lost_decisions += len(found["lost"])
    report.duplicate_numbers += len(found["duplicates"])
    report.outbox_mismatches += len(found["outbox"])
    for kind, problems in found.items():
        report.problems.extend(f"{when}: {kind}: {problem}" for problem in problems[:3])


def _stored_case_ids(data: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{data / 'kiosk.sqlite3'}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM cases")}
    finally:
        conn.close()


def main(runs: int, seed: int, folder: Path | None = None) -> int:
    """`python -m kiosk.devtools prove crash`: print the figures; exit 0 only when every check
    held in every run."""
    import tempfile

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kiosk-crash-") as tmp:
        where = folder or Path(tmp)
        print(f"crash harness: {runs} SIGKILLs of a kiosk serving residents and syncing (seed {seed})")
        report = run_harness(where, runs, seed)
    minutes = (time.monotonic() - started) / 60
    seen = report.journeys_seen
    print(f"runs {report.runs}, killed {report.kills}, decisions seen {seen} ({minutes:.1f} min)")
    print(f"integrity failures {report.integrity_failures}")
    print(f"lost decisions {report.lost_decisions}")
    print(f"duplicate numbers {report.duplicate_numbers}")
    print(f"outbox mismatches {report.outbox_mismatches}")
    print(f"centre: duplicates {report.centre_duplicates}, missing {report.centre_missing}")
    for problem in report.problems[:20]:
        print(f"  {problem}")
    from kiosk.devtools.benchmarks.figures import record

    note = f"{report.kills} SIGKILLs, {seen} decisions seen"
    record("crash", "integrity failures", report.integrity_failures, "", 0, note=note)
    record("crash", "lost decisions", report.lost_decisions, "", 0, note=note)
    record("crash", "document numbers issued twice", report.duplicate_numbers, "", 0, note=note)
    record("crash", "outbox not matching the cases", report.outbox_mismatches, "", 0, note=note)
    record(
        "crash",
        "cases duplicated or missing at the centre",
        report.centre_duplicates + report.centre_missing,
        "",
        0,
    )
    return 0 if report.clean else 1


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="the crash harness's child kiosk")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--central", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--drain", action="store_true")
    args = parser.parse_args()
    sys.exit(child(Path(args.data_dir), args.central, args.seed, args.drain))
