"""SAM frames: preamble AA AA AA 96 69, a 2-byte big-endian length, the body, an XOR checksum.

Requests carry command, parameter and data; responses carry SW1 SW2 SW3 and data. The length
counts the body and the checksum; the checksum is the XOR of the length bytes and the body.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

PREAMBLE = bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69])
MAX_BODY = 4096  # a base-info read is 1,295 bytes of body; anything far larger is noise


class Command(bytes, enum.Enum):
    """The commands the terminal sends (command byte, parameter byte)."""

    FIND = b"\x20\x01"
    SELECT = b"\x20\x02"
    READ_BASE = b"\x30\x01"
    READ_ADDRESS = b"\x30\x03"
    RESET = b"\x10\xff"
    STATUS = b"\x11\xff"
    SAM_ID = b"\x12\xff"


class Sw3(enum.IntEnum):
    """The result byte of a response."""

    OK = 0x90
    CARD_FOUND = 0x9F
    FIND_FAILED = 0x80
    SELECT_FAILED = 0x81
    READ_FAILED = 0x41
    CHECKSUM_ERROR = 0x10
    LENGTH_ERROR = 0x11


def _checksum(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_frame(body: bytes) -> bytes:
    """A complete frame around `body` (command+parameter+data, or SW1 SW2 SW3 + data)."""
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([_checksum(length + body)])


def request(command: Command, data: bytes = b"") -> bytes:
    """The frame of one request."""
    return encode_frame(command.value + data)


@dataclass(frozen=True)
class Response:
    """A decoded response: the three status bytes and the data after them."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes


class FrameError(ValueError):
    """Bytes that are not a valid frame; the message says what is wrong."""


def find_frame(buffer: bytes) -> tuple[bytes | None, int]:
    """Look for one whole frame in `buffer`: (body or None if more bytes are needed, bytes consumed).

    Bytes before a preamble are skipped (a reader may send noise when powered); a frame with a
    bad checksum or an impossible length raises FrameError after consuming its preamble, so the
    caller can resynchronise.
    """
    start = buffer.find(PREAMBLE)
    if start < 0:
        # Keep a possible partial preamble at the end; drop the rest.
        keep = max((n for n in range(1, len(PREAMBLE)) if buffer.endswith(PREAMBLE[:n])), default=0)
        return None, len(buffer) - keep
    header = start + len(PREAMBLE)
    if len(buffer) < header + 2:
        return None, start
    length = int.from_bytes(buffer[header : header + 2], "big")
    if length < 2 or length > MAX_BODY:
        raise FrameError(f"impossible length {length}")
    end = header + 2 + length
    if len(buffer) < end:
        return None, start
    body, checksum = buffer[header + 2 : end - 1], buffer[end - 1]
    if _checksum(buffer[header : header + 2] + body) != checksum:
        raise FrameError("checksum mismatch")
    return body, end


def decode_response(body: bytes) -> Response:
    """Split a response body into its status bytes and data."""
    if len(body) < 3:
        raise FrameError(f"response body of {len(body)} bytes has no status")
    return Response(body[0], body[1], body[2], body[3:])
