"""The 256-byte text block of the ID card (UCS-2LE, space padded) and the photo that follows."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from devices.id_card import IdCardData

ETHNICITIES_FILE = Path(__file__).resolve().parents[2] / "forms" / "data" / "ethnicities.toml"
# (field, bytes) in the order the card stores them.
LAYOUT = (
    ("name", 30),
    ("sex", 2),
    ("ethnicity", 4),
    ("birth", 16),
    ("address", 70),
    ("id_number", 36),
    ("issuer", 30),
    ("valid_from", 16),
    ("valid_to", 16),
    ("reserved", 36),
)
TEXT_BYTES = sum(size for _, size in LAYOUT)  # 256
PHOTO_BYTES = 1024
NO_EXPIRY = "长期"


class TextBlockError(ValueError):
    """A text block that cannot be an ID card's (wrong size, bad date, unknown code)."""


@cache
def ethnicities() -> dict[str, str]:
    """GB 3304 code → name."""
    return tomllib.loads(ETHNICITIES_FILE.read_text(encoding="utf-8"))["codes"]


@dataclass(frozen=True)
class ParsedText:
    """The card's fields, and whether the name holds characters only a vendor table can show."""

    card: IdCardData
    ethnicity_name: str
    unmapped_rare_characters: tuple[str, ...]


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError as exc:
        raise TextBlockError(f"{field} is not a date: {text!r}") from exc


def parse_text(block: bytes, photo: bytes = b"") -> ParsedText:
    """Decode the text block; TextBlockError for anything that is not a valid card's."""
    if len(block) != TEXT_BYTES:
        raise TextBlockError(f"text block is {len(block)} bytes, not {TEXT_BYTES}")
    values: dict[str, str] = {}
    at = 0
    for field, size in LAYOUT:
        raw = block[at : at + size]
        at += size
        try:
            values[field] = raw.decode("utf-16-le").rstrip(" \x00")
        except UnicodeDecodeError as exc:
            raise TextBlockError(f"{field} is not UCS-2: {raw.hex()}") from exc
    if values["sex"] not in ("1", "2"):
        raise TextBlockError(f"sex code {values['sex']!r} is not 1 or 2")
    if values["ethnicity"] not in ethnicities():
        raise TextBlockError(f"ethnicity code {values['ethnicity']!r} is not in GB 3304")
    # Rare characters without a Unicode code point are stored in the Private Use Area.
    rare = tuple(c for c in values["name"] if 0xE000 <= ord(c) <= 0xF8FF)
    valid_to = None if values["valid_to"] == NO_EXPIRY else _date(values["valid_to"], "valid_to")
    card = IdCardData(
        name=values["name"],
        sex=values["sex"],
        ethnicity=values["ethnicity"],
        birth_date=_date(values["birth"], "birth"),
        address=values["address"],
        id_number=values["id_number"],
        issuer=values["issuer"],
        valid_from=_date(values["valid_from"], "valid_from"),
        valid_to=valid_to,
        photo=photo,
    )
    return ParsedText(card, ethnicities()[values["ethnicity"]], rare)


def encode_text(card: IdCardData) -> bytes:
    """The text block a card holding `card` would carry (for the simulator and the tests)."""
    values = {
        "name": card.name,
        "sex": card.sex,
        "ethnicity": card.ethnicity,
        "birth": f"{card.birth_date:%Y%m%d}",
        "address": card.address,
        "id_number": card.id_number,
        "issuer": card.issuer,
        "valid_from": f"{card.valid_from:%Y%m%d}",
        "valid_to": NO_EXPIRY if card.valid_to is None else f"{card.valid_to:%Y%m%d}",
        "reserved": "",
    }
    out = b""
    for field, size in LAYOUT:
        raw = values[field].encode("utf-16-le")[:size]
        out += raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)
    return out
