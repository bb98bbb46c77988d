"""The facts a rule can read: every field of the item, plus the standard facts below.

Standard facts come from the identity document and the terminal, never from the resident's
typing, so a rule like `applicant_age >= 18` cannot be answered around.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.ids import age_on, parse_resident_id

STANDARD_FACTS = frozenset(
    {
        "applicant_name",
        "applicant_id",
        "applicant_age",
        "applicant_sex",
        "id_card_expired",
        "identified_by",
        "today",
        "division_code",
        "network_online",
        "face_verified",
        "e_licence",
        "live",
    }
)

EMPTY_BY_TYPE: dict[str, Any] = {"multi_choice": [], "scope": [], "confirm": False}


@dataclass(frozen=True)
class Applicant:
    """The person the case is for, as the identity document says."""

    name: str
    id_number: str
    birth_date: dt.date
    valid_to: dt.date | None = None  # None: no expiry (长期)
    sex: str = ""
    address: str = ""
    identified_by: str = "id_card"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Applicant:
        """Build from a card reader's mapping (name, id_number, birth_date, valid_to, …)."""
        return cls(
            name=data["name"],
            id_number=data["id_number"],
            birth_date=data["birth_date"],
            valid_to=data.get("valid_to"),
            sex=data.get("sex", ""),
            address=data.get("address", ""),
            identified_by=data.get("identified_by", "id_card"),
        )


@dataclass(frozen=True)
class TerminalFacts:
    """What the terminal knows about the moment of the decision."""

    today: dt.date
    division_code: str
    division_name: str
    network_online: bool = False
    # 人证核验: the terminal matched the live face, with liveness, to an official photo (the
    # card's chip or the household register's); False after the staff alternative or none
    face_verified: bool = False
    e_licence: Mapping[str, Any] = field(default_factory=dict)
    live: Mapping[str, Any] = field(default_factory=dict)


def standard_facts(applicant: Applicant, terminal: TerminalFacts) -> dict[str, Any]:
    """The standard facts for one applicant at one terminal."""
    parts = parse_resident_id(applicant.id_number)
    birth = parts.birth_date if parts else applicant.birth_date
    return {
        "applicant_name": applicant.name,
        "applicant_id": applicant.id_number,
        "applicant_age": age_on(birth, terminal.today),
        "applicant_sex": applicant.sex,
        "id_card_expired": applicant.valid_to is not None and applicant.valid_to < terminal.today,
        "identified_by": applicant.identified_by,
        "today": terminal.today,
        "division_code": terminal.division_code,
        "network_online": terminal.network_online,
        "face_verified": terminal.face_verified,
        "e_licence": dict(terminal.e_licence),
        "live": dict(terminal.live),
    }
