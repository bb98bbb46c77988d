"""The social-security card driver through a real pcscd, vpcd, and a virtual card applet."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smartcard import scard

from devices.ss_card import SsCardReader, SsCardStatus, TlvError, decode_field, parse_tlv
from tests.waiting import wait_until

APPLET = Path(__file__).parent / "virtual_cards" / "ss_card_applet.py"
READER = "Virtual PCD 00 00"
WANG = [
    "--name",
    "王建国",
    "--ss-number",
    "370302197503080116",
    "--sex",
    "1",
    "--ethnicity",
    "01",
    "--birth",
    "19750308",
    "--card-number",
    "A12345678",
]


class VirtualCard:
    """The applet process; stopping it pulls the card out of the virtual reader."""

    def __init__(self, *args: str, applet: Path = APPLET) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(applet), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            assert self.process.stdout.readline().strip() == "READY"
            assert wait_until(lambda: reader_state()[1] & scard.SCARD_STATE_PRESENT), (
                "pcscd never saw the card"
            )
        except BaseException:
            self.process.kill()
            raise
        self.events_when_inserted = reader_state()[0]

    def pull(self) -> None:
        """Stop the card and wait until pcscd's reader thread has seen it go.

        The disconnect after a failed transmission already marks the reader empty, but pcscd's
        event thread notices only at its next poll (~0.4 s); a card arriving before then looks
        like the same card still there and is never announced. The event counter tells.
        """
        self.process.kill()
        self.process.wait(timeout=5)
        assert wait_until(
            lambda: (
                reader_state()[0] != self.events_when_inserted and reader_state()[1] & scard.SCARD_STATE_EMPTY
            )
        ), "pcscd never saw the virtual card go"


@pytest.fixture
def card(pcsc, request) -> Iterator[VirtualCard]:
    virtual = VirtualCard(*(getattr(request, "param", None) or WANG))
    yield virtual
    virtual.pull()


def reader_state() -> tuple[int, int]:
    """pcscd's event count for the reader and its state flags (SCARD_STATE_PRESENT, _EMPTY, …)."""
    _, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    try:
        _, states = scard.SCardGetStatusChange(context, 0, [(READER, scard.SCARD_STATE_UNAWARE)])
    finally:
        scard.SCardReleaseContext(context)
    event_state = states[0][1]
    return event_state >> 16, event_state & 0xFFFF


def test_the_card_reads_through_select_get_response_and_the_records(card) -> None:
    result = SsCardReader(READER).read()
    assert result.status is SsCardStatus.CARD_PRESENT
    data = result.data
    assert (data.card_number, data.ss_number, data.name, data.sex, data.ethnicity) == (
        "A12345678",
        "370302197503080116",
        "王建国",
        "1",
        "01",
    )
    assert data.birth_date.isoformat() == "1975-03-08"
    assert data.as_applicant()["identified_by"] == "social_security_card"


def test_no_card_in_the_reader_is_waiting(pcsc) -> None:
    result = SsCardReader(READER).read()
    assert result.status is SsCardStatus.WAITING and result.detail == "no_card"


@pytest.mark.parametrize("card", [[*WANG, "--remove-after", "3"]], indirect=True)
def test_a_card_pulled_mid_read_is_reported_as_such(card) -> None:
    # The applet leaves after its third APDU (SELECT, GET RESPONSE, READ RECORD 07 …).
    result = SsCardReader(READER).read()
    assert result.status is SsCardStatus.WAITING and result.detail == "removed_mid_read"
    assert result.data is None


@pytest.mark.parametrize("card", [[*WANG, "--no-ssse"]], indirect=True)
def test_a_card_of_another_kind_is_a_card_error(card) -> None:
    result = SsCardReader(READER).read()
    assert result.status is SsCardStatus.CARD_ERROR and result.detail == "not_ssse"


def test_the_monitor_follows_insertion_and_removal(pcsc) -> None:
    reader = SsCardReader(READER)
    seen: list[SsCardStatus] = []
    lock = threading.Lock()
    reader.on_status_change(lambda status: (lock.acquire(), seen.append(status), lock.release()))
    reader.start_monitoring()
    try:
        virtual = VirtualCard(*WANG)
        assert wait_until(lambda: SsCardStatus.CARD_PRESENT in seen)
        virtual.pull()
        assert wait_until(lambda: seen[-1] is SsCardStatus.WAITING)
    finally:
        reader.stop_monitoring()


def test_without_pcscd_there_is_no_reader() -> None:
    def broken():
        raise RuntimeError("pcscd not running")

    result = SsCardReader(READER, list_readers=broken).read()
    assert result.status is SsCardStatus.NO_READER


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_break_the_tlv_parser(data: bytes) -> None:
    try:
        for value in parse_tlv(data).values():
            for encoding in ("ascii", "gbk", "bcd"):
                try:
                    decode_field(value, encoding)
                except TlvError:
                    pass
    except TlvError:
        pass


def test_unplugging_and_plugging_the_reader_is_followed() -> None:
    names: list[list[str]] = [["Virtual PCD 00 00"]]
    reader = SsCardReader("Virtual PCD 00 00", list_readers=lambda: names[0])
    seen: list[SsCardStatus] = []
    reader.on_status_change(seen.append)
    names[0] = []
    reader.readers_changed([], ["Virtual PCD 00 00"])
    reader.readers_changed([], ["Another Reader 01"])  # somebody else's reader: no change
    names[0] = ["Virtual PCD 00 00"]
    reader.readers_changed(["Virtual PCD 00 00"], [])
    reader.cards_changed(["Virtual PCD 00 00"], [])
    reader.cards_changed(["Another Reader 01"], ["Another Reader 01"])
    assert seen == [SsCardStatus.NO_READER, SsCardStatus.WAITING, SsCardStatus.CARD_PRESENT]
