"""The synthetic residents the simulators offer (assets/demo/residents.toml)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from devices.id_card import IdCardData
from devices.ss_card import SsCardData

RESIDENTS_FILE = Path(__file__).resolve().parent.parent / "assets" / "demo" / "residents.toml"


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def demo_residents(path: Path = RESIDENTS_FILE) -> dict[str, tuple[str, IdCardData]]:
    """Each demo resident's key → (label for the dev dock, card data)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for r in data["residents"]:
        card = IdCardData(
            name=r["name"],
            sex=r["sex"],
            ethnicity=r["ethnicity"],
            birth_date=dt.date.fromisoformat(r["birth_date"]),
            address=r["address"],
            id_number=r["id_number"],
            issuer=r["issuer"],
            valid_from=dt.date.fromisoformat(r["valid_from"]),
            valid_to=_date(r["valid_to"]),
        )
        out[r["key"]] = (r["label"], card)
    return out


def demo_ss_card(card: IdCardData) -> SsCardData:
    """The same resident's social-security card (the card number is made up from the ID number)."""
    return SsCardData(
        card_number="A" + card.id_number[6:14],
        ss_number=card.id_number,
        name=card.name,
        sex=card.sex,
        ethnicity=card.ethnicity,
        birth_date=card.birth_date,
    )
