"""What a case's summary holds: the facts about a case that are not personal (they go to the
centre and the staff's screens in the clear), as the journey writes them.

Stored as JSON in the cases table; these types say which keys exist and what they hold, so a
reader of `case.summary` is checked against what a writer put there.
"""

from __future__ import annotations

from typing import Any, Required, TypedDict


class Notice(TypedDict):
    """Something the resident is told on the acceptance notice: what is missing and the remedy."""

    message: str
    remedy: str
    place: str
    within_days: int | str  # "" when the remedy has no deadline


class PermitNote(TypedDict):
    """A permit or filing the chosen business scope still needs (后置审批)."""

    scope_name: str
    permit: str
    kind: str


class OfficeNote(TypedDict):
    """The back office's decision on a reviewed case."""

    approved: bool
    note: str
    reference: str


class CaseSummary(TypedDict, total=False):
    """A case's summary, by key."""

    item_name: Required[str]
    applicant_masked: str  # 王*国: the applicant's name as staff screens show it
    documents: list[str]  # the document kinds this case issues (receipt included)
    documents_if_approved: list[str]  # what an approval by the back office would issue
    notices: list[Notice]
    permits: list[PermitNote]
    identity_check: dict[str, Any]  # 人证核验: how the resident was matched with the card
    assisted_by: str  # 帮办: the staff member who helped
    commitment_sha256: str  # the 告知承诺 text the resident accepted, by digest
    licence_serial: int
    credit_code: str
    pending_reason: str | None  # licence_numbers_exhausted while waiting for a number
    decided_outcome: str  # the outcome decided before the licence number ran out
    office: OfficeNote
