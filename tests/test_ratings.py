"""好差评: a rating is kept with its case and reaches the centre; it is one of the five levels,
with reasons from that level's list, and a case is rated once."""

from __future__ import annotations

import json

import pytest

from kiosk.core.cases import CaseRepository
from kiosk.core.ratings import RatingError, check_rating, rating_levels, record_rating
from kiosk.core.store import Store
from sync import outbox
from sync.client import CentralClient, OutboxPusher
from tests.central import CentralServer
from tests.test_store import new_case

TERMINAL = "T-370302-0001"


def test_the_five_levels_run_from_very_satisfied_to_very_dissatisfied() -> None:
    assert [(level.value, level.label) for level in rating_levels()] == [
        (5, "非常满意"),
        (4, "满意"),
        (3, "基本满意"),
        (2, "不满意"),
        (1, "非常不满意"),
    ]
    assert all(level.reasons for level in rating_levels())


@pytest.mark.parametrize(("value", "reasons"), [(6, []), (0, []), (5, ["打印出了问题"]), (1, ["一次办好"])])
def test_a_level_or_reason_not_on_offer_is_refused(value: int, reasons: list[str]) -> None:
    with pytest.raises(RatingError):
        check_rating(value, reasons)


def test_a_rating_is_kept_with_the_case_queued_for_the_centre_and_given_once(store: Store) -> None:
    repo = CaseRepository(store, TERMINAL)
    case = new_case(repo)
    record_rating(repo, case.id, 2, ["等待时间长", "字太小", "字太小"], 184.26)
    rated = dict(repo.events(case.id))["rated"]
    assert rated == {"level": 2, "label": "不满意", "reasons": ["等待时间长", "字太小"], "journey_seconds": 184.3}
    kinds = [e.kind for e in outbox.entries_for_case(store.conn, case.id)]
    assert kinds == ["case", "rating"]
    with pytest.raises(RatingError):
        record_rating(repo, case.id, 5, [], 10.0)
    assert [e.kind for e in outbox.entries_for_case(store.conn, case.id)] == kinds  # nothing twice


def test_a_rating_of_an_unknown_case_keeps_nothing(store: Store) -> None:
    with pytest.raises(KeyError):
        record_rating(CaseRepository(store, TERMINAL), "no-such-case", 5, [], 1.0)
    assert outbox.counts(store.conn)["pending"] == 0


def test_the_rating_reaches_the_centre_once(central: CentralServer, store: Store) -> None:
    repo = CaseRepository(store, TERMINAL)
    case = new_case(repo)
    record_rating(repo, case.id, 5, ["一次办好"], 95.0)
    pusher = OutboxPusher(store, CentralClient(central.url, TERMINAL, central.secret, timeout=5))
    assert pusher.push().sent == 2 and pusher.push().sent == 0
    held = central.store()
    assert held.case_count(TERMINAL) == 2

    def rating_bodies(tx):  # noqa: ANN001, ANN202
        return tx.execute("SELECT body FROM cases WHERE kind = 'rating'").fetchall()

    [(body,)] = held.db.read(rating_bodies)
    assert json.loads(body)["detail"]["level"] == 5
