"""Every figure the benchmarks and proof harnesses measure, gathered as they print them, so one
command can write them all into BENCHMARKS.md with their targets and same-run baselines."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure against its target."""

    area: str
    measure: str
    value: float
    unit: str
    target: float | None  # None: reported, no target
    better: str = "lower"  # lower | higher: which side of the target meets it
    baseline: str = ""  # the same-run baseline and the ratio to it
    note: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the target is met (None without a target)."""
        if self.target is None:
            return None
        return self.value <= self.target if self.better == "lower" else self.value >= self.target

    def shown(self, number: float | None = None) -> str:
        """The value (or the target) with its unit, rounded for reading."""
        value = self.value if number is None else number
        digits = 0 if abs(value) >= 100 or float(value).is_integer() else (1 if abs(value) >= 10 else 2)
        return f"{value:,.{digits}f} {self.unit}".strip()


FIGURES: list[Figure] = []


def record(area: str, measure: str, value: float, unit: str, target: float | None, **more: str) -> Figure:
    """Keep a figure for the report (the benchmark prints its own line as before)."""
    figure = Figure(area, measure, float(value), unit, target, **more)
    FIGURES.append(figure)
    return figure


HEADER = "| area | measure | figure | previous | baseline (same run) | target | met |"


def _row(f: Figure, previous: str) -> str:
    sign = "≤" if f.better == "lower" else "≥"
    target = "—" if f.target is None else f"{sign} {f.shown(f.target)}"
    met = {True: "yes", False: "**no**", None: "—"}[f.met]
    note = f" ({f.note})" if f.note else ""
    cells = [f.area, f.measure + note, f.shown(), previous or "—", f.baseline or "—", target, met]
    return "| " + " | ".join(cells) + " |"


def row_key(area: str, measure: str) -> str:
    """What names a row across runs: its area and measure without the counts in brackets
    ("personal data in the log (107 lines)" is the same row when the next run logs 109)."""
    return f"{area} | {re.sub(r' ?[(（][^()（）]*[)）]', '', measure).strip()}"


def table_rows(text: str) -> dict[str, list[str]]:
    """The figure rows of a BENCHMARKS.md, keyed by area and measure (its cells, in order)."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and line.startswith("| ") and cells[0] not in ("area", "---"):
            # A merged row's mark (*) is kept on the row but is no part of its name.
            rows[row_key(cells[0].rstrip("*"), cells[1])] = cells
    return rows


def markdown(
    figures: list[Figure],
    machine: str,
    command: str,
    started: dt.datetime,
    minutes: float,
    before: str = "",
    merge: bool = False,
) -> str:
    """BENCHMARKS.md: the machine, the command, then one table of every figure, each beside the
    figure the file held `before` (the previous run). With `merge`, the rows this run did not
    measure are kept as they were, and the header says which rows were measured when."""
    old = table_rows(before)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` on {started:%Y-%m-%d %H:%M} ({minutes:.0f} min).",
        "Every figure is a median (or the percentile named) of runs on this machine, with the",
        "baseline measured in the same run; targets come from the issues. Regenerate with the",
        "command above; nothing here is typed by hand. \"previous\" is the figure this file held before.",
        "",
        f"Machine: {machine}",
        "",
        HEADER,
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    if merge:
        base, updates = _kept_header(before)
        updates.append(f"`{command}` on {started:%Y-%m-%d %H:%M}")
        lines[2:3] = [base, "Rows marked * updated by " + "; ".join(updates) + "."]
    measured = {}
    for f in figures:
        note = f" ({f.note})" if f.note else ""
        measured[row_key(f.area, f.measure + note)] = f
    done: set[str] = set()
    for key, cells in old.items() if merge else ():
        figure = measured.get(key)
        if figure is None:
            lines.append("| " + " | ".join(_as_seven(cells)) + " |")
        else:
            row = _row(figure, _as_seven(cells)[2])
            lines.append(row.replace(f"| {figure.area} |", f"| {figure.area}* |", 1))
            done.add(key)
    for key, f in measured.items():
        if key not in done:
            lines.append(_row(f, _as_seven(old[key])[2] if key in old else ""))
    shown = table_rows("\n".join(lines))
    with_target = [c for c in shown.values() if c[-2] != "—"]
    met = sum(1 for c in with_target if c[-1] == "yes")
    lines += ["", f"{met} of {len(with_target)} targets met."]
    missed = [f"{c[0]}, {c[1]}: {c[2]}" for c in with_target if c[-1] != "yes"]
    if missed:
        lines.append("Not met: " + "; ".join(missed) + ".")
    return "\n".join(lines) + "\n"


def _as_seven(cells: list[str]) -> list[str]:
    """A row of the file's table as seven cells (files written before the previous column had six)."""
    return cells if len(cells) == 7 else [*cells[:3], "—", *cells[3:]]


def _kept_header(before: str) -> tuple[str, list[str]]:
    """From the file being merged into: the line saying when its full run was written, and the
    quick runs merged into it since."""
    base = ""
    updates: list[str] = []
    for line in before.splitlines():
        if line.startswith("Written by"):
            base = line.replace("Written by", "Other rows written by", 1)
        elif line.startswith("Other rows written by"):
            base, _, merged = line.partition(" Rows marked * updated by ")  # the older one-line form
            updates = merged.rstrip(".").split("; ") if merged else updates
        elif line.startswith("Rows marked * updated by "):
            updates = line.removeprefix("Rows marked * updated by ").rstrip(".").split("; ")
    return base, updates
