"""The security harness (kiosk/proof/security.py) on a real terminal's files and gate: no personal
data in clear at rest or in the log, a bounded number of PIN guesses, every forged update refused.
The scan is shown to find what it looks for, so its zero means something."""

from __future__ import annotations

from pathlib import Path

from kiosk.proof.security import leaks, run_security


def test_nothing_leaks_guesses_are_bounded_and_forged_updates_are_refused(tmp_path: Path) -> None:
    report = run_security(tmp_path, residents=15)
    assert report.secrets_sought >= 10 and report.log_lines > 0
    assert report.found_at_rest == [] and report.found_in_logs == []
    assert 0 < report.guesses_per_day <= 40  # 3 free tries, then 30 s doubling to an hour
    assert all(report.updates_refused.values()), report.updates_refused
    assert report.clean


def test_the_scan_finds_a_secret_in_any_usual_encoding() -> None:
    secrets = {"王建国", "370302198001010016"}
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "gb18030"):
        blob = b"\x00header" + "姓名王建国".encode(encoding) + b"tail"
        assert leaks(blob, secrets) == ["王建…"], encoding
    assert leaks(b"3703**********0016", secrets) == []  # masked, as the log writes it
