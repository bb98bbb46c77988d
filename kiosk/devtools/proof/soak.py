"""Soak: thousands of residents through one kiosk process with the sync worker talking to the
reference server the whole time. Memory and open files are sampled as it goes; at the end the
database growth per case, and the retention purge on everything the centre acknowledged."""

from __future__ import annotations

import gc
import os
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TERMINAL = "SOAK-370302-01"


@dataclass
class SoakReport:
    """The soak's figures."""

    sessions: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    samples: list[tuple[int, float, int]] = field(default_factory=list)  # (sessions, RSS MiB, open fds)
    db_bytes_per_case: float = 0.0
    db_bytes: int = 0
    centre_cases: int = 0
    unsent: int = 0
    purged: int = 0
    purge_seconds: float = 0.0
    personal_left_in_purged: int = 0
    minutes: float = 0.0

    def slope_kib_per_session(self, start_fraction: float = 0.5) -> float:
        """RSS growth per session over the later samples (least squares), in KiB."""
        later = self.samples[int(len(self.samples) * start_fraction) :]
        if len(later) < 2:
            return 0.0
        xs, ys = [s[0] for s in later], [s[1] * 1024 for s in later]
        mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
        spread = sum((x - mean_x) ** 2 for x in xs)
        return (
            sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread if spread else 0.0
        )

    def fd_range(self, start_fraction: float = 0.5) -> int:
        """How far the open-file count moved over the later samples."""
        later = [s[2] for s in self.samples[int(len(self.samples) * start_fraction) :]]
        return max(later) - min(later) if later else 0


def rss_mib() -> float:
    """This process's resident memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def open_files() -> int:
    """This process's open file descriptors."""
    return len(os.listdir("/proc/self/fd"))


def run_soak(folder: Path, sessions: int, sample_every: int = 250, seed: int = 1, say=print) -> SoakReport:  # noqa: ANN001
    """Serve `sessions` residents with sync running, then drain, then purge as if 31 days later."""
    import datetime as dt

    from kiosk.config import config_from_dict
    from kiosk.core.retention import purge_expired
    from kiosk.devtools.demo_central import demo_central
    from kiosk.devtools.proof.journeys import registration
    from kiosk.services import build_services

    report = SoakReport()
    started = time.monotonic()
    data = folder / "terminal"
    with demo_central(folder / "central") as central:
        central.enrol(data, TERMINAL, "370302")
        config = config_from_dict(
            {
                "terminal_id": TERMINAL,
                "central_url": central.url,
                "data_dir": str(data),
                "voice_prompts": False,
                "demo": True,  # the demo's reference data, staff and licence block
            }
        )
        services = build_services(config, spool_dir=folder / "spool")
        sync = services.start_sync(interval=1.0)
        rng = random.Random(seed)
        try:
            db_start = _db_bytes(data)
            for n in range(1, sessions + 1):
                seen = registration(services, rng)
                report.outcomes[seen.outcome] = report.outcomes.get(seen.outcome, 0) + 1
                _clear_spool(folder / "spool")  # the printers' paper: not the kiosk's memory
                if n % sample_every == 0:
                    gc.collect()
                    report.samples.append((n, rss_mib(), open_files()))
                    if n % (sample_every * 8) == 0:
                        _, rss, files = report.samples[-1]
                        say(f"  {n} sessions: RSS {rss:.1f} MiB, {files} open files")
            report.sessions = sessions
            sync.stop()
            status = sync.run_round()
            while (status.pending or _attachments_waiting(services)) and status.failures_in_a_row < 5:
                status = sync.run_round()
            report.unsent = status.pending
            report.db_bytes = _db_bytes(data)
            report.db_bytes_per_case = (report.db_bytes - db_start) / sessions
            report.centre_cases = central.cases_received(TERMINAL)
            purge_started = time.perf_counter()
            purged = purge_expired(
                services.store, config.retention_days, now=dt.datetime.now() + dt.timedelta(days=31)
            )
            report.purge_seconds = time.perf_counter() - purge_started
            report.purged = len(purged)
            report.personal_left_in_purged = services.store.conn.execute(
                "SELECT COUNT(*) FROM cases WHERE state = 'purged'"
                " AND (personal IS NOT NULL OR applicant_tag IS NOT NULL)"
            ).fetchone()[0]
        finally:
            services.close()
    report.minutes = (time.monotonic() - started) / 60
    return report


def _attachments_waiting(services) -> int:  # noqa: ANN001
    return services.store.conn.execute("SELECT COUNT(*) FROM attachments WHERE uploaded = 0").fetchone()[0]


def _db_bytes(data: Path) -> int:
    return sum(p.stat().st_size for p in data.glob("kiosk.sqlite3*"))


def _clear_spool(spool: Path) -> None:
    for path in spool.glob("*"):
        if path.is_file():
            path.unlink()


def main(sessions: int, seed: int) -> int:
    """`python -m kiosk.devtools prove soak`: print the figures; exit 1 if a case was lost or
    memory or files grew."""
    print(f"soak: {sessions} residents through one kiosk, the sync worker on the reference server")
    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as tmp:
        report = run_soak(Path(tmp), sessions, sample_every=max(1, min(250, sessions // 20)), seed=seed)
    slope, fds = report.slope_kib_per_session(), report.fd_range()
    first, last = report.samples[0], report.samples[-1]
    print(f"sessions {report.sessions} in {report.minutes:.1f} min: {report.outcomes}")
    print(f"RSS {first[1]:.1f} MiB at {first[0]} → {last[1]:.1f} MiB at {last[0]} sessions")
    print(f"RSS slope over the second half: {slope:.2f} KiB/session")
    print(f"open files {first[2]} → {last[2]}; range over the second half {fds}")
    print(f"database {report.db_bytes / 1024**2:.1f} MiB, {report.db_bytes_per_case / 1024:.1f} KiB per case")
    print(f"centre holds {report.centre_cases} cases; {report.unsent} entries unsent")
    left = report.personal_left_in_purged
    print(
        f"retention purge 31 days on: {report.purged} cases purged in {report.purge_seconds:.1f} s,"
        f" {left} with personal data left"
    )
    from kiosk.devtools.benchmarks.figures import record

    area = f"soak, {report.sessions:,} residents"
    record(
        area,
        "RSS slope over the second half",
        slope,
        "KiB/session",
        None,
        note=f"{first[1]:.0f} → {last[1]:.0f} MiB; target ≈ 0",
    )
    record(area, "open files, range over the second half", fds, "", 2)
    record(area, "database growth per case", report.db_bytes_per_case / 1024, "KiB", None)
    record(area, "cases missing at the centre", report.sessions - report.centre_cases, "", 0)
    record(
        area,
        "purged cases with personal data left",
        report.personal_left_in_purged,
        "",
        0,
        note=f"{report.purged} purged 31 days on",
    )
    purge_note = f"{report.purged} cases at once"
    record(area, "first retention purge", report.purge_seconds, "s", None, note=purge_note)
    ok = (
        report.unsent == 0
        and report.centre_cases == report.sessions
        and report.personal_left_in_purged == 0
        and fds <= 2
    )
    return 0 if ok else 1
