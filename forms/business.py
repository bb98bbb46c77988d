"""Individual-business names: composition and the built-in list of forbidden words."""

from __future__ import annotations

from functools import cache

from forms.name_rules import shipped_name_rules


@cache
def forbidden_name_words() -> tuple[str, ...]:
    """The words `has_forbidden_word` always refuses besides the centre's list: 中国, 中华, …
    and the company forms (the full clauses are in forms/name_rules.py)."""
    clauses = shipped_name_rules().clauses
    return tuple(sorted(clauses["china-words"].words | clauses["organisation-form"].words))


def compose_name(division_name: str, trade_name: str, industry: str, organisation_form: str) -> str:
    """Compose 行政区划 + 字号 + 行业 + 组织形式; an empty 字号 means the business has no name."""
    trade_name = (trade_name or "").strip()
    if not trade_name:
        return ""
    return f"{division_name}{trade_name}{industry}{organisation_form}"
