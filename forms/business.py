"""Individual-business facts: the composed name and the facts the registration rules read."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from forms.ids import age_on
from forms.scope import scope_catalogue

NAME_RULES_FILE = Path(__file__).parent / "data" / "name_rules.toml"


@cache
def forbidden_name_words() -> tuple[str, ...]:
    """Words no individual-business name may contain (the built-in list)."""
    return tuple(tomllib.loads(NAME_RULES_FILE.read_text(encoding="utf-8"))["forbidden_words"])


def business_name(division_name: str, trade_name: str, industry: str, organisation_form: str) -> str:
    """Compose 行政区划 + 字号 + 行业 + 组织形式; an empty 字号 means the business has no name."""
    trade_name = (trade_name or "").strip()
    if not trade_name:
        return ""
    return f"{division_name}{trade_name}{industry}{organisation_form}"


def registration_facts(
    answers: Mapping[str, Any],
    applicant: Mapping[str, Any],
    today: dt.date,
    division_name: str,
) -> dict[str, Any]:
    """The variables the registration rules are written against."""
    scope = scope_catalogue()
    codes = list(answers.get("business_scope") or [])
    valid_to = applicant.get("valid_to")
    return {
        "operator_age": age_on(applicant["birth_date"], today),
        "id_card_expired": valid_to is not None and valid_to < today,
        "trade_name": (answers.get("trade_name") or "").strip(),
        "business_name": business_name(
            division_name,
            answers.get("trade_name", ""),
            answers.get("industry", ""),
            answers.get("organisation_form", ""),
        ),
        "scope_kinds": [scope[c].kind if c in scope else "unknown" for c in codes],
        "forbidden_name_words": list(forbidden_name_words()),
    }
