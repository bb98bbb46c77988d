"""Licence numbers offline: blocks from the centre, refilled at the low-water mark, never shared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.ids import individual_business_credit_code
from kiosk.core.cases import CaseRepository
from kiosk.core.licence_blocks import refill
from kiosk.core.licence_serials import licence_serials_left, take_licence_serial
from kiosk.core.store import Store
from sync.client import CentralClient
from tests.central import CentralServer
from tests.netfault import FaultProxy

TERMINALS = ("T-370302-0001", "T-370302-0002")


@pytest.fixture
def central(tmp_path: Path, central_database: str | None) -> Iterator[CentralServer]:
    server = CentralServer(tmp_path / "central", database=central_database)
    server.db.parent.mkdir(parents=True)
    server.secrets = {t: server.enrol(t) for t in TERMINALS}
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[dict[str, Store]]:
    opened = {t: Store.open(tmp_path / t) for t in TERMINALS}
    yield opened
    for store in opened.values():
        store.close()


def decide_registration(store: Store, terminal: str) -> tuple[str, int | None]:
    """An approved registration stored as the journey stores it: with a serial taken in the same
    transaction, or accepted with the licence to follow when none is left."""
    with store.durable() as conn:
        serial = take_licence_serial(conn)
        case = CaseRepository(store, terminal).insert_decided(
            conn,
            item_id="individual-business-registration",
            item_version="1+abc",
            rules_version="r1",
            outcome="approved" if serial is not None else "accepted_pending",
            personal={"applicant": {}, "answers": {}},
            summary={"item_name": "个体工商户设立登记"},
        )
    return case.outcome, serial


def test_two_terminals_deciding_offline_never_issue_the_same_licence_number(central, stores) -> None:
    for terminal, store in stores.items():
        client = CentralClient(central.url, terminal, central.secrets[terminal])
        assert refill(client, store, low_water=0, block_size=6).startswith("added ")
        assert refill(client, store, low_water=0, block_size=6) == "enough"
    central.stop()  # the link goes down: both keep deciding
    codes: dict[str, list[str]] = {}
    for terminal, store in stores.items():
        outcomes = [decide_registration(store, terminal) for _ in range(8)]
        serials = [s for _, s in outcomes if s is not None]
        assert len(serials) == 6
        assert [o for o, s in outcomes if s is None] == [
            "accepted_pending"
        ] * 2  # licence later, never a duplicate
        codes[terminal] = [individual_business_credit_code("370302", s) for s in serials]
    first, second = codes.values()
    assert not set(first) & set(second) and len(set(first)) == 6


def test_a_lost_answer_is_asked_for_again_and_gets_the_same_block(central, stores) -> None:
    terminal, store = TERMINALS[0], stores[TERMINALS[0]]
    proxy = FaultProxy(central.url, ["drop_after_commit"])
    try:
        client = CentralClient(proxy.url, terminal, central.secrets[terminal], timeout=2)
        assert refill(client, store, low_water=0, block_size=10).startswith("failed")
        assert refill(client, store, low_water=0, block_size=10).startswith("added ")
    finally:
        proxy.stop()
    assert licence_serials_left(store) == 10
    assert len(central.store().licence_blocks()) == 1  # the centre allocated one block, not two
