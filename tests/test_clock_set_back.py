"""A wall clock set back or forward (a flat RTC battery, a technician's typo): PIN lockouts keep
their length, and no document is issued dated before the last one the terminal issued."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.admin.lockout import Lockout
from kiosk.config import AdminConfig
from kiosk.core.store import Store
from tests.clock import FakeClock

YEAR = 365 * 24 * 3600


@pytest.fixture
def store(tmp_path: Path):  # noqa: ANN201
    opened = Store.open(tmp_path / "data")
    yield opened
    opened.close()


def lockout_after_wrong_pins(store: Store, wall: FakeClock, steady: FakeClock, wrong: int) -> Lockout:
    lockout = Lockout(store, AdminConfig(), wall, steady)
    for _ in range(wrong):
        lockout.record_failure()
    return lockout


def test_a_clock_set_back_a_year_does_not_stretch_a_lockout(store: Store) -> None:
    wall, steady = FakeClock(2_000_000_000.0), FakeClock(50.0)
    config = AdminConfig()
    lockout = lockout_after_wrong_pins(store, wall, steady, config.free_tries + 1)
    delay = lockout.delay_after(config.free_tries + 1)
    assert 0 < lockout.seconds_left() <= delay
    wall.now -= YEAR
    assert lockout.seconds_left() <= delay
    steady.now += delay
    assert lockout.seconds_left() == 0


def test_a_clock_set_forward_does_not_shorten_a_lockout(store: Store) -> None:
    wall, steady = FakeClock(2_000_000_000.0), FakeClock(50.0)
    lockout = lockout_after_wrong_pins(store, wall, steady, AdminConfig().free_tries + 1)
    wall.now += YEAR
    assert lockout.seconds_left() > 0


def test_after_a_restart_with_the_clock_set_back_the_lockout_is_never_longer_than_itself(store: Store) -> None:
    wall, steady = FakeClock(2_000_000_000.0), FakeClock(50.0)
    config = AdminConfig()
    failures = config.free_tries + 3
    lockout_after_wrong_pins(store, wall, steady, failures)
    wall.now -= YEAR  # the kiosk restarts with the clock a year behind
    restarted = Lockout(store, config, wall, FakeClock(0.0))
    assert restarted.seconds_left() == min(config.max_lockout_seconds, restarted.delay_after(failures))


def test_no_document_is_issued_dated_before_the_last_one_and_the_case_waits(services) -> None:  # noqa: ANN001
    """With the clock a year behind the last licence, the next registration is kept, the
    resident is told why and where to get the licence, and nothing is journalled or printed;
    once the clock is right, it prints through 办件查询 (自助打证)."""
    import datetime as dt

    from kiosk.core.issuing import CLOCK_BEHIND_MESSAGE
    from kiosk.core.lifecycle import CaseState
    from tests.test_issuing import commit
    from tests.test_office_decisions import REGISTRATION

    item = "individual-business-registration"
    _, first = commit(services, item, "adult", {**REGISTRATION, "trade_name": "晨曦"})
    assert services.journey.issue(first).licence_pdf is not None
    journalled = services.store.conn.execute("SELECT COUNT(*) FROM issued_documents").fetchone()[0]

    services.journey.now = lambda: dt.datetime.now() - dt.timedelta(days=365)
    _, second = commit(services, item, "elder", {**REGISTRATION, "trade_name": "顺达"})
    held = services.journey.issue(second)
    assert held.licence_pdf is None and CLOCK_BEHIND_MESSAGE in held.problems
    assert services.cases.get(second.id).state is CaseState.PRINT_PENDING
    assert services.store.conn.execute("SELECT COUNT(*) FROM issued_documents").fetchone()[0] == journalled

    services.journey.now = dt.datetime.now
    printed = services.journey.issue(services.cases.get(second.id))
    assert printed.licence_pdf is not None and not printed.problems
