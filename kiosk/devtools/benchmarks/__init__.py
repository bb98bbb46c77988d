"""Benchmarks: they print figures (medians, percentiles, ratios to a baseline measured in the
same run) and never fail on time; these machines are shared and noisy."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def median_ms(work: Callable[[], object], runs: int) -> float:
    """The median wall time of `work` in milliseconds, after one warm-up call."""
    work()  # warm: fonts registered, modules imported, caches filled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def machine() -> str:
    """One line describing the machine the figures come from."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PySide6 {version('PySide6-Essentials')}, {platform.system()} {platform.release()}"
    )


def run(
    which: str,
    runs: int,
    markdown: Path | None = None,
    crash_runs: int = 1000,
    soak_sessions: int = 10_000,
    merge: bool = False,
) -> int:
    """Run the named benchmark (startup, decide, card, documents, camera, ui, sync, security) or all of
    them; with `markdown`, also the proof harnesses, and write every figure to that file beside
    the figure it held before. With `merge`, no proofs run and only the rows this run measured
    are replaced (a quick update of one area; the full run rewrites every row)."""
    import datetime as dt

    started, clock = dt.datetime.now(), time.monotonic()
    print(f"machine: {machine()}")
    if which in ("startup", "all"):
        from kiosk.devtools.benchmarks.startup import main as startup

        startup(runs)
    if which in ("decide", "all"):
        from kiosk.devtools.benchmarks.decisions import main as decisions

        decisions()
    if which in ("card", "all"):
        from kiosk.devtools.ui.card_benchmark import main as card

        card()
    if which in ("documents", "all"):
        from kiosk.devtools.benchmarks.documents import main as documents

        documents()
    if which in ("camera", "all"):
        from kiosk.devtools.benchmarks.camera import main as camera

        camera(runs)
    if which in ("ui", "all"):
        from kiosk.devtools.benchmarks.ui import main as ui

        ui()
    if which in ("sync", "all"):
        from kiosk.devtools.benchmarks.sync import main as sync

        sync()
    if which == "security":  # the security proof alone (its figures: at rest, logs, the centre)
        from kiosk.devtools.benchmarks.apart import run_apart

        run_apart("security")
    if markdown is not None:
        from kiosk.devtools.benchmarks.apart import run_apart
        from kiosk.devtools.benchmarks.figures import FIGURES
        from kiosk.devtools.benchmarks.figures import markdown as render

        # Each proof in its own process: the soak's memory figures must be the kiosk's, not
        # the peak the benchmarks before it left in this one.
        if not merge:
            print(flush=True)
            run_apart("crash", crash_runs)
            print(flush=True)
            run_apart("soak", soak_sessions)
            print(flush=True)
            run_apart("security")
        merged = " --merge" if merge else ""
        command = f"python -m kiosk.devtools bench {which} --markdown {markdown.name}{merged}"
        minutes = (time.monotonic() - clock) / 60
        before = markdown.read_text(encoding="utf-8") if markdown.exists() else ""
        text = render(FIGURES, machine(), command, started, minutes, before, merge)
        markdown.write_text(text, encoding="utf-8")
        print(f"\nwritten: {markdown}")
    return 0
