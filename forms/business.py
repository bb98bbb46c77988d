"""Individual-business names: composition and the built-in list of forbidden words."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

NAME_RULES_FILE = Path(__file__).parent / "data" / "name_rules.toml"


@cache
def forbidden_name_words() -> tuple[str, ...]:
    """Words no individual-business name may contain (the built-in list)."""
    return tuple(tomllib.loads(NAME_RULES_FILE.read_text(encoding="utf-8"))["forbidden_words"])


def compose_name(division_name: str, trade_name: str, industry: str, organisation_form: str) -> str:
    """Compose 行政区划 + 字号 + 行业 + 组织形式; an empty 字号 means the business has no name."""
    trade_name = (trade_name or "").strip()
    if not trade_name:
        return ""
    return f"{division_name}{trade_name}{industry}{organisation_form}"
