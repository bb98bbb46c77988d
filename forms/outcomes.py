"""The outcomes a case can have: decided by the rules at the terminal, or later by a person in
the back office. Values are the wire and store spelling (a StrEnum: equal to those strings)."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """Where a case stands after a decision, and what the resident is told."""

    APPROVED = "approved"  # 秒批: documents issued on the spot
    APPROVED_ON_COMMITMENT = "approved_on_commitment"  # 告知承诺: issued once the resident signs
    ACCEPTED_PENDING = "accepted_pending"  # 容缺受理: accepted, something follows
    MANUAL_REVIEW = "manual_review"  # a person decides in the back office
    NEEDS_FIXING = "needs_fixing"  # the resident changes an answer first; nothing is stored
    APPROVED_BY_OFFICE = "approved_by_office"  # the back office approved a reviewed case
    RETURNED = "returned"  # the back office returned it, with a note saying what to do

    @property
    def label(self) -> str:
        """The outcome as the resident reads it on the screen and the receipt."""
        return OUTCOME_LABELS[self]

    @property
    def issues_now(self) -> bool:
        """True when the terminal may issue the item's documents on the spot."""
        return self in ISSUED_NOW

    @property
    def waits_for_office(self) -> bool:
        """True when a person in the back office decides next."""
        return self in (Outcome.ACCEPTED_PENDING, Outcome.MANUAL_REVIEW)


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.APPROVED: "当场办结",
    Outcome.APPROVED_ON_COMMITMENT: "签承诺后当场办结",
    Outcome.ACCEPTED_PENDING: "已受理，材料以后补交",
    Outcome.MANUAL_REVIEW: "已受理，转人工审核",
    Outcome.NEEDS_FIXING: "需要修改",
    Outcome.APPROVED_BY_OFFICE: "审核通过",
    Outcome.RETURNED: "退回，请按说明补正",
}
ISSUED_NOW = frozenset({Outcome.APPROVED, Outcome.APPROVED_ON_COMMITMENT})
# The rules' outcomes from worst to best: a case takes the worst of its failed rules.
SEVERITY = (
    Outcome.NEEDS_FIXING,
    Outcome.MANUAL_REVIEW,
    Outcome.ACCEPTED_PENDING,
    Outcome.APPROVED_ON_COMMITMENT,
    Outcome.APPROVED,
)
# What a service item's rules may decide (the back office's outcomes are not theirs).
RULE_OUTCOMES = tuple(o.value for o in SEVERITY)
