"""The security harness (kiosk/devtools/proof/security.py) on a real terminal's files and gate: no personal
data in clear at rest or in the log, a bounded number of PIN guesses, every forged update refused;
and on a real central server: unauthenticated bodies unread, bodies capped, guesses throttled,
every takeover refused. The scan is shown to find what it looks for, so its zero means something."""

from __future__ import annotations

from pathlib import Path

from kiosk.devtools.benchmarks.centre_attacks import SLOW_CLIENTS
from kiosk.devtools.proof.security import leaks, run_security
from sync.server import limits


def test_nothing_leaks_guesses_are_bounded_and_forged_updates_are_refused(tmp_path: Path) -> None:
    report = run_security(tmp_path, residents=15, guess_seconds=3, attack_seconds=3)
    assert report.secrets_sought >= 10 and report.log_lines > 0
    assert report.found_at_rest == [] and report.found_in_logs == []
    assert 0 < report.guesses_per_day <= 40  # 3 free tries, then 30 s doubling to an hour
    assert all(report.updates_refused.values()), report.updates_refused
    centre = report.centre
    assert centre is not None
    assert 0 < centre.unauthenticated_bytes_read <= centre.head_bytes  # the head, not a byte of the body
    assert centre.largest_body and all(accepted == cap for accepted, cap in centre.largest_body.values())
    assert centre.big_body_accepted == 0
    assert centre.guesses_tried > 20 and centre.guesses_checked <= limits.ENROLMENT_BURST + 1
    assert len(centre.takeovers) >= 10 and not any(centre.takeovers.values()), centre.takeovers
    assert centre.health_samples > 0 and centre.health_idle_p99_ms > 0  # figures, not targets, here
    assert centre.slow_connections > SLOW_CLIENTS  # each slow client was let go and came back
    assert report.clean


def test_the_scan_finds_a_secret_in_any_usual_encoding() -> None:
    secrets = {"王建国", "370302198001010016"}
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "gb18030"):
        blob = b"\x00header" + "姓名王建国".encode(encoding) + b"tail"
        assert leaks(blob, secrets) == ["王建…"], encoding
    assert leaks(b"3703**********0016", secrets) == []  # masked, as the log writes it
