"""BENCHMARKS.md keeps each figure beside the one it replaced, and a quick run of one benchmark
replaces only its own rows."""

from __future__ import annotations

import datetime as dt

from kiosk.devtools.benchmarks.figures import Figure, markdown, table_rows

WHEN = dt.datetime(2026, 12, 7, 9, 0)
OLD = """# Benchmarks

Written by `kiosk bench all --markdown BENCHMARKS.md` on 2026-12-01 20:04 (48 min).

| area | measure | figure | baseline (same run) | target | met |
| --- | --- | --- | --- | --- | --- |
| decisions | 秒批 p99 | 0.61 ms | empty 0.48 ms | ≤ 20 ms | yes |
| documents | licence render | 30.1 ms | one-line 4.7 ms | ≤ 60 ms | yes |
"""


def test_a_merged_run_replaces_its_rows_beside_the_old_figure_and_keeps_the_others() -> None:
    new = [Figure("decisions", "秒批 p99", 1.31, "ms", 20.0, baseline="empty 1.5 ms")]
    text = markdown(new, "test machine", "kiosk bench decide --markdown BENCHMARKS.md --merge", WHEN, 1, OLD, True)
    rows = table_rows(text)
    assert rows["decisions | 秒批 p99"][2:4] == ["1.31 ms", "0.61 ms"]
    assert rows["documents | licence render"][2:4] == ["30.1 ms", "—"]
    assert "Rows marked * updated by" in text and "Other rows written by" in text
    assert "2 of 2 targets met." in text
    again = markdown(new, "m", "kiosk bench security --merge", WHEN, 1, text, True)
    assert sum(1 for line in again.splitlines() if "秒批 p99" in line) == 1  # one row per measure
    assert "Other rows written by `kiosk bench all" in again
    assert "`kiosk bench decide --markdown BENCHMARKS.md --merge` on" in again
    assert "; `kiosk bench security --merge` on" in again


def test_a_full_run_shows_the_previous_figure_and_names_a_missed_target() -> None:
    new = [
        Figure("decisions", "秒批 p99", 25.0, "ms", 20.0),
        Figure("documents", "licence render", 20.0, "ms", 60.0),
    ]
    text = markdown(new, "m", "kiosk bench all --markdown BENCHMARKS.md", WHEN, 50, OLD)
    rows = table_rows(text)
    assert rows["decisions | 秒批 p99"][2:4] == ["25 ms", "0.61 ms"]
    assert rows["decisions | 秒批 p99"][-1] == "**no**"
    assert "1 of 2 targets met." in text and "Not met: decisions, 秒批 p99: 25 ms." in text


def test_a_count_in_brackets_does_not_make_a_second_row() -> None:
    old = OLD + "| security | personal data in the log (107 lines) | 0 | — | — | ≤ 0 | yes |\n"
    new = [Figure("security", "personal data in the log (109 lines)", 0, "", 0.0)]
    text = markdown(new, "m", "c", WHEN, 1, old, True)
    assert sum(1 for line in text.splitlines() if "personal data in the log" in line) == 1
    assert "(109 lines)" in text


def test_rows_marked_by_an_earlier_merge_keep_their_mark() -> None:
    first = markdown([Figure("decisions", "秒批 p99", 1.31, "ms", 20.0)], "m", "one", WHEN, 1, OLD, True)
    second = markdown([Figure("documents", "licence render", 29.0, "ms", 60.0)], "m", "two", WHEN, 1, first, True)
    assert "| decisions* |" in second and "| documents* |" in second
