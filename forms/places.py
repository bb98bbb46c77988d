"""Townships and villages of a division, for picking an address instead of typing it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PLACES_FILE = Path(__file__).parent / "data" / "places.toml"


@dataclass(frozen=True)
class Township:
    """A township (乡镇) or street office (街道) and its villages (村) and communities (社区)."""

    name: str
    villages: tuple[str, ...]


@cache
def townships(division_code: str) -> tuple[Township, ...]:
    """The townships of a division in the data file's order (none for an unknown division)."""
    data = tomllib.loads(PLACES_FILE.read_text(encoding="utf-8"))
    listed = data.get("places", {}).get(division_code, {})
    return tuple(Township(name, tuple(villages)) for name, villages in listed.items())


def compose_address(division_name: str, township: str, village: str, house: str) -> str:
    """The address as it is written on a licence: 淄川区般阳路街道东关村125号."""
    house = house.strip()
    if house and house[-1].isdigit():
        house += "号"  # a bare house number is a 门牌号
    return f"{division_name}{township}{village}{house}"
