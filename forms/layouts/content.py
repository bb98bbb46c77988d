"""What documents say, independent of how they are drawn: titles, numbers, business facts.

Kept free of reportlab so the kiosk can number documents and gather their data without
loading the renderer at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

TITLES = {
    "deregistration_notice": "准予注销登记通知书",
    "food_filing_certificate": "仅销售预包装食品备案凭证",
    "industry_licence": "行业综合许可证",
    "insurance_certificate": "社会保险参保证明",
    "temporary_identity_proof": "临时身份证明",
    "acceptance_notice": "受理通知书",
    "guide": "办事指南",
}


def document_number(
    kind: str, division_code: str, division_name: str, year: int, terminal_id: str, seq: int
) -> str:
    """The printed number of a document: unique per terminal (its last three characters) and year."""
    tail = terminal_id[-3:]
    return {
        "deregistration_notice": f"（{division_name}）登记个销字〔{year}〕第{tail}{seq:05d}号",
        "food_filing_certificate": f"YB{division_code}{year}{tail}{seq:05d}",
        "industry_licence": f"{division_code}YYYZ{year}{tail}{seq:05d}",
        "insurance_certificate": f"SB{division_code}{year}{tail}{seq:06d}",
        "temporary_identity_proof": f"LS{division_code}{year}{tail}{seq:05d}",
        "guide": f"ZN{division_code}{year}{tail}{seq:06d}",
    }[kind]


@dataclass(frozen=True)
class BusinessFacts:
    """A registered business as its documents print it."""

    credit_code: str
    name: str
    operator: str
    organisation_type: str
    premises: str
    scope_text: str
    registered_on: dt.date


def permit_line(scope_name: str, permit: str, kind: str) -> str:
    """What a chosen business-scope entry still needs, in one plain sentence (the decision
    screen, the receipt and the acceptance notice say it alike)."""
    if kind == "filing":
        return f"经营“{scope_name}”需要办理{permit}"
    return f"经营“{scope_name}”需要先取得{permit}"


def permit_lines(permits: Iterable[Mapping[str, Any]]) -> list[str]:
    """The sentences of a case summary's `permits` ({scope_name, permit, kind} each)."""
    return [
        permit_line(str(p.get("scope_name", "")), str(p.get("permit", "")), str(p.get("kind", "permit")))
        for p in permits
        if p.get("permit")
    ]
