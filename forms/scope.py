"""The standardised business-scope catalogue (经营范围规范表述目录)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCOPE_FILE = Path(__file__).parent / "data" / "business_scope.toml"


@dataclass(frozen=True)
class ScopeEntry:
    """One standard wording of a business activity; `kind` is general or licensed."""

    code: str
    name: str
    kind: str
    permit: str = ""  # licensed: the permit needed before the activity starts
    filing: str = ""  # general but filed after the licence (食品安全法 第三十五条: 预包装食品)
    items: tuple[str, ...] = ()  # service items that grant the permit or filing (证照联办)


@cache
def scope_catalogue(path: Path = SCOPE_FILE) -> dict[str, ScopeEntry]:
    """All scope entries keyed by code, in catalogue order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = {}
    for raw in data["entries"]:
        if raw["kind"] not in ("general", "licensed"):
            raise ValueError(f"{path.name}: entry {raw['code']}: kind must be general or licensed")
        if raw["code"] in entries:
            raise ValueError(f"{path.name}: code {raw['code']} appears twice")
        entries[raw["code"]] = ScopeEntry(
            raw["code"],
            raw["name"],
            raw["kind"],
            raw.get("permit", ""),
            raw.get("filing", ""),
            tuple(raw.get("items", ())),
        )
    return entries
