"""Every figure the benchmarks and proof harnesses measure, gathered as they print them, so one
command can write them all into BENCHMARKS.md with their targets and same-run baselines."""

from __future__ import annotations

import datetime as dt
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


def markdown(figures: list[Figure], machine: str, command: str, started: dt.datetime, minutes: float) -> str:
    """BENCHMARKS.md: the machine, the command, then one table of every figure."""
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{command}` on {started:%Y-%m-%d %H:%M} ({minutes:.0f} min).",
        "Every figure is a median (or the percentile named) of runs on this machine, with the",
        "baseline measured in the same run; targets come from the issues. Regenerate with the",
        "command above; nothing here is typed by hand.",
        "",
        f"Machine: {machine}",
        "",
        "| area | measure | figure | baseline (same run) | target | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        sign = "≤" if f.better == "lower" else "≥"
        target = "—" if f.target is None else f"{sign} {f.shown(f.target)}"
        met = {True: "yes", False: "**no**", None: "—"}[f.met]
        note = f" ({f.note})" if f.note else ""
        lines.append(
            f"| {f.area} | {f.measure}{note} | {f.shown()} | {f.baseline or '—'} | {target} | {met} |"
        )
    missed = [f for f in figures if f.met is False]
    with_target = [f for f in figures if f.target is not None]
    lines += ["", f"{sum(1 for f in with_target if f.met)} of {len(with_target)} targets met."]
    if missed:
        lines.append("Not met: " + "; ".join(f"{f.area}, {f.measure}: {f.shown()}" for f in missed) + ".")
    return "\n".join(lines) + "\n"
