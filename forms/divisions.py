"""Administrative divisions known to the deployment and their registration authorities."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIVISIONS_FILE = Path(__file__).parent / "data" / "divisions.toml"


@dataclass(frozen=True)
class Division:
    """A county-level division: its code, its name and its registration authority."""

    code: str
    name: str
    city: str
    authority: str


@cache
def known_divisions() -> dict[str, Division]:
    """Every division in the data file, keyed by 6-digit code."""
    data = tomllib.loads(DIVISIONS_FILE.read_text(encoding="utf-8"))
    return {
        code: Division(code, d["name"], d["city"], d["authority"]) for code, d in data["divisions"].items()
    }
