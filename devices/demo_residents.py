"""The synthetic residents the simulators offer (assets/demo/residents.toml)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from devices.id_card import IdCardData
from devices.ss_card import SsCardData

RESIDENTS_FILE = Path(__file__).resolve().parent.parent / "assets" / "demo" / "residents.toml"
FACES_DIR = RESIDENTS_FILE.parent / "faces"


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
            # A simulated card may carry a JPEG photo (assets/demo/faces) where a real one has WLT.
            photo=(FACES_DIR / f"{r['face']}-card.jpg").read_bytes() if r.get("face") else b"",
        )
        out[r["key"]] = (r["label"], card)
    return out


def demo_face(key: str, path: Path = RESIDENTS_FILE) -> Path | None:
    """The larger photo of a demo resident's face (for the simulated camera), or None."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    face = next((r.get("face") for r in data["residents"] if r["key"] == key), None)
    return FACES_DIR / f"{face}.jpg" if face else None


def other_demo_face(key: str, path: Path = RESIDENTS_FILE) -> Path | None:
    """Another person's face than demo resident `key`'s (someone else at the camera), or None."""
    own = demo_face(key, path)
    others = sorted(p for p in FACES_DIR.glob("*.jpg") if not p.stem.endswith("-card") and p != own)
    return others[0] if others else None


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
