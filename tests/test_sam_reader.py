"""The SAM ID card driver against a simulated reader speaking the byte protocol on a pty."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.demo_residents import demo_residents
from devices.id_card import IdCardStatus
from devices.sam.frames import (
    PREAMBLE,
    Command,
    FrameError,
    decode_response,
    encode_frame,
    find_frame,
    request,
)
from devices.sam.reader import CHECKSUM, INVALID_CARD, NO_DEVICE, REMOVED_MID_READ, SamIdCardReader
from devices.sam.simulator import SamSimulator
from devices.sam.text import TextBlockError, encode_text, parse_text


@pytest.fixture
def sim() -> Iterator[SamSimulator]:
    simulator = SamSimulator()
    yield simulator
    simulator.close()


@pytest.fixture
def reader(sim: SamSimulator) -> Iterator[SamIdCardReader]:
    driver = SamIdCardReader(sim.port, timeout=0.5, retries=2)
    yield driver
    driver.stop()


def card(key: str = "adult"):
    return demo_residents()[key][1]


def same_person(read, expected) -> bool:
    """Every text field equal, and the 1,024 photo bytes of the card kept (WLT, decoded elsewhere)."""
    from dataclasses import replace

    return (
        read is not None
        and replace(read, photo=b"") == replace(expected, photo=b"")
        and len(read.photo) == 1024
    )


def test_the_request_frames_are_the_documented_bytes() -> None:
    assert request(Command.FIND) == bytes.fromhex("AAAAAA9669 0003 2001 22".replace(" ", ""))
    assert request(Command.READ_BASE) == bytes.fromhex("AAAAAA9669 0003 3001 32".replace(" ", ""))


@pytest.mark.parametrize("key", sorted(demo_residents()))
def test_every_synthetic_resident_reads_back_exactly(sim, reader, key: str) -> None:
    sim.insert(card(key))
    assert reader.poll() is IdCardStatus.CARD_PRESENT
    result = reader.read()
    assert same_person(result.data, card(key)) and result.status is IdCardStatus.CARD_PRESENT


def test_the_card_must_leave_the_field_before_it_is_read_again(sim, reader) -> None:
    sim.insert(card())
    reader.poll()
    assert reader.read().data is not None
    assert reader.poll() is IdCardStatus.REMOVE_CARD
    assert reader.read().status is IdCardStatus.REMOVE_CARD  # nothing read twice
    sim.remove()
    sim.insert(card("elder"))
    assert reader.poll() is IdCardStatus.CARD_PRESENT
    assert same_person(reader.read().data, card("elder"))


def test_a_bad_checksum_is_retried_and_persistent_ones_are_reported(sim, reader) -> None:
    sim.insert(card())
    sim.faults.bad_checksums = 1
    assert reader.poll() is IdCardStatus.CARD_PRESENT
    sim.faults.bad_checksums = 10
    result = reader.read()
    assert result.data is None and result.detail == CHECKSUM


def test_a_truncated_frame_is_retried(sim, reader) -> None:
    sim.insert(card())
    reader.poll()
    sim.faults.truncate_next_read = True
    assert same_person(reader.read().data, card())


def test_a_slow_reply_within_the_timeout_is_fine_and_beyond_it_is_no_device(sim, reader) -> None:
    sim.insert(card())
    sim.faults.delay_seconds = 0.2
    assert reader.poll() is IdCardStatus.CARD_PRESENT
    sim.faults.delay_seconds = 0.0
    sim.faults.silent = True
    assert reader.poll() is IdCardStatus.NO_DEVICE


def test_a_card_pulled_mid_read_is_told_apart_from_a_damaged_card(sim, reader) -> None:
    sim.insert(card())
    reader.poll()
    sim.faults.pull_card_mid_read = True
    pulled = reader.read()
    assert pulled.data is None and pulled.detail == REMOVED_MID_READ and pulled.status is IdCardStatus.WAITING
    sim.insert(None, damaged=True)
    assert reader.poll() is IdCardStatus.CARD_PRESENT
    damaged = reader.read()
    assert damaged.detail == INVALID_CARD and damaged.status is IdCardStatus.CARD_ERROR


def test_a_missing_port_is_no_device() -> None:
    driver = SamIdCardReader("/dev/no-such-reader", timeout=0.2)
    assert driver.poll() is IdCardStatus.NO_DEVICE


def test_polling_in_the_background_reports_a_card(sim) -> None:
    seen = []
    driver = SamIdCardReader(sim.port, timeout=0.5)
    driver.on_status_change(seen.append)
    driver.start(interval=0.05)
    try:
        sim.insert(card())
        for _ in range(100):
            if IdCardStatus.CARD_PRESENT in seen:
                break
            threading_wait(0.02)
        assert IdCardStatus.CARD_PRESENT in seen
    finally:
        driver.stop()


def threading_wait(seconds: float) -> None:
    import threading

    threading.Event().wait(seconds)


# ---- parsers under random bytes: only their own errors escape --------------------------------
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_break_the_frame_parser(data: bytes) -> None:
    try:
        body, used = find_frame(data)
        if body is not None:
            decode_response(body)
        assert 0 <= used <= len(data)
    except FrameError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=3, max_size=600))
def test_any_framed_body_decodes_or_reports(body: bytes) -> None:
    frame = encode_frame(body)
    found, used = find_frame(b"\x00\x01" + frame)
    assert found == body and used == len(frame) + 2
    assert decode_response(found).data == body[3:]


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=256, max_size=256))
def test_random_text_blocks_are_rejected_cleanly(block: bytes) -> None:
    try:
        parse_text(block)
    except TextBlockError:
        pass


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=1400))
def test_a_reader_answering_garbage_gives_a_result_never_an_exception(garbage: bytes) -> None:
    class GarbagePort:
        in_waiting = 0

        def __init__(self) -> None:
            self.out = PREAMBLE + garbage

        def reset_input_buffer(self) -> None: ...

        def write(self, data: bytes) -> None: ...

        def read(self, size: int) -> bytes:
            chunk, self.out = self.out[:size], self.out[size:]
            return chunk

        def close(self) -> None: ...

    driver = SamIdCardReader("garbage", timeout=0.01, retries=0, open_serial=lambda *a: GarbagePort())
    assert driver.poll() in tuple(IdCardStatus)
    driver._status = IdCardStatus.CARD_PRESENT
    result = driver.read()
    assert result.data is None or result.data.id_number


def test_encode_text_pads_and_parse_text_keeps_private_use_rare_characters() -> None:
    from dataclasses import replace

    rare = replace(card(), name="王\ue8a5强")  # a character only the vendor's table can show
    parsed = parse_text(encode_text(rare))
    assert parsed.card.name == "王\ue8a5强" and parsed.unmapped_rare_characters == ("\ue8a5",)
    assert NO_DEVICE == "no_device"
