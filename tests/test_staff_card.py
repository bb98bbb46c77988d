"""The staff card driver through a real pcscd, vpcd and a virtual staff card; then the admin
gate unlocking with it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.staff_card import StaffCardAnswer, StaffCardReader, genuine
from kiosk.admin.gate import AdminGate, Refused
from kiosk.admin.staff import StaffRegistry
from kiosk.config import AdminConfig
from kiosk.core.store import Store
from tests.test_ss_card import READER, WANG, VirtualCard

APPLET = Path(__file__).parent / "virtual_cards" / "staff_card_applet.py"
KEY = bytes.fromhex("5f" * 32)


@pytest.fixture
def staff_card(pcsc) -> Iterator[VirtualCard]:
    virtual = VirtualCard("--staff-id", "ZC-07", "--key", KEY.hex(), applet=APPLET)
    yield virtual
    virtual.pull()


def test_the_card_names_its_holder_and_answers_a_fresh_challenge_with_its_key(staff_card) -> None:
    challenge = os.urandom(16)
    answer = StaffCardReader(READER).ask(challenge)
    assert isinstance(answer, StaffCardAnswer) and answer.staff_id == "ZC-07"
    assert genuine(answer, KEY, challenge)
    assert not genuine(answer, KEY, os.urandom(16))  # an answer is good for its challenge only


def test_the_gate_unlocks_with_the_real_card_and_its_holders_pin(staff_card, store: Store) -> None:
    StaffRegistry(store).add("ZC-07", "李娜", "staff", "428615", KEY)
    gate = AdminGate(store, AdminConfig(), StaffCardReader(READER))
    assert gate.unlock("428615").staff_id == "ZC-07"
    assert gate.unlock("428614") == Refused("wrong_pin")


def test_another_card_or_none_is_explained(pcsc) -> None:
    reader = StaffCardReader(READER)
    assert reader.ask(os.urandom(16)) == "no_card"
    social_security = VirtualCard(*WANG)
    try:
        assert reader.ask(os.urandom(16)) == "not_staff_card"
    finally:
        social_security.pull()
    assert StaffCardReader("no such reader").ask(os.urandom(16)) == "no_reader"
