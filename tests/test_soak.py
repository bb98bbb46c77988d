"""The soak harness (kiosk/devtools/proof/soak.py): residents through one kiosk with sync running; open
files flat, every case at the centre, the retention purge leaves no personal data. A short run in
the suite; 10,000 residents behind `slow` and in `kiosk prove soak`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.devtools.proof.soak import run_soak


def _assert_sound(report, sessions: int) -> None:  # noqa: ANN001
    assert report.sessions == sessions
    assert report.unsent == 0 and report.centre_cases == sessions
    assert report.fd_range() <= 2, report.samples
    finished = report.outcomes.get("approved_on_commitment", 0)
    assert report.purged == finished  # every issued licence's case, once the centre had all of it
    assert report.personal_left_in_purged == 0


def test_three_hundred_residents_with_sync_leave_nothing_behind(tmp_path: Path) -> None:
    _assert_sound(run_soak(tmp_path, 300, sample_every=50, say=lambda _: None), 300)


@pytest.mark.slow
def test_ten_thousand_residents(tmp_path: Path) -> None:
    report = run_soak(tmp_path, 10_000)
    _assert_sound(report, 10_000)


def test_the_benchmark_report_runs_the_soak_in_a_process_of_its_own() -> None:
    from kiosk.devtools.benchmarks.apart import run_apart
    from kiosk.devtools.benchmarks.figures import FIGURES

    before = len(FIGURES)
    assert run_apart("soak", 40) == 0
    figures = {f.measure: f for f in FIGURES[before:]}
    del FIGURES[before:]
    assert figures["cases missing at the centre"].value == 0
    assert figures["purged cases with personal data left"].value == 0
    assert figures["first retention purge"].note.endswith("cases at once")
