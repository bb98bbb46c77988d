"""Crash consistency under SIGKILL at random points of journeys and sync (kiosk/devtools/proof/crash.py):
50 kills in the default suite (two halves, so two workers share them), 1,000 behind `slow`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.devtools.proof.crash import check_store, run_harness


@pytest.mark.parametrize("seed", [1, 2])
def test_twenty_five_kills_leave_every_seen_decision_once_and_nothing_twice(tmp_path: Path, seed: int) -> None:
    report = run_harness(tmp_path, runs=25, seed=seed, say=lambda _: None)
    assert report.kills == 25
    assert report.journeys_seen > 0  # the kills landed in a kiosk that was serving residents
    assert report.clean, report.problems
    assert report.centre_missing == 0 and report.centre_duplicates == 0


def test_the_checks_see_a_lost_decision_a_duplicate_number_and_a_missing_outbox_entry(tmp_path: Path) -> None:
    import json
    import sqlite3

    report = run_harness(tmp_path, runs=2, seed=3, say=lambda _: None)
    assert report.clean, report.problems
    data = tmp_path / "terminal"
    with (data / "witness.jsonl").open("a") as witness:
        witness.write(json.dumps({"case_id": "no-such-case", "number": "X-1", "outcome": "approved"}) + "\n")
    conn = sqlite3.connect(data / "kiosk.sqlite3")
    case_id, summary = conn.execute("SELECT id, summary FROM cases WHERE summary LIKE '%credit_code%' LIMIT 1").fetchone()
    code = json.loads(summary)["credit_code"]
    other = conn.execute("SELECT id FROM cases WHERE id != ? LIMIT 1", (case_id,)).fetchone()[0]
    conn.execute("UPDATE cases SET summary = ? WHERE id = ?", (json.dumps({"credit_code": code}), other))
    conn.execute("INSERT INTO outbox(entry_uuid, case_id, kind, payload, created_at) VALUES ('u-x', 'gone', 'case', x'00', '')")
    conn.commit()
    conn.close()
    found = check_store(data)
    assert found["integrity"] == []
    assert found["lost"] == ["decision X-1 (approved) not in the store"]
    assert any(code in problem for problem in found["duplicates"])
    assert "outbox entry u-x has no case" in found["outbox"]


@pytest.mark.slow
def test_a_thousand_kills(tmp_path: Path) -> None:
    report = run_harness(tmp_path, runs=1000, seed=1000, say=print)
    assert report.clean, report.problems
