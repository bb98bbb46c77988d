"""The 秒批 decision engine: field validation, then the item's rules, then one outcome.

Every refusal carries the rule's message and remedy; the outcome is the most serious one
among the failed rules (a problem the resident can fix comes first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.catalogue import FormField, Remedy, ServiceItem
from forms.expressions import compile_expression, evaluate
from forms.validators import VALIDATORS

# Most serious first: the resident fixes what can be fixed before anything is queued.
SEVERITY = ("needs_fixing", "manual_review", "accepted_pending", "approved_on_commitment", "approved")

OUTCOME_LABELS = {
    "approved": "秒批通过",
    "approved_on_commitment": "告知承诺通过",
    "accepted_pending": "容缺受理",
    "manual_review": "已受理，转人工审核",
    "needs_fixing": "需要修改",
}


@dataclass(frozen=True)
class RuleFailure:
    """A rule that did not hold, with what the resident is told."""

    rule_id: str
    outcome: str
    message: str
    remedy: Remedy


@dataclass(frozen=True)
class Decision:
    """The outcome of a case under a given item version and rules version."""

    outcome: str
    failures: tuple[RuleFailure, ...]
    item_id: str
    item_version: str
    rules_version: str

    @property
    def issues_documents_now(self) -> bool:
        """True when the terminal may print the item's documents on the spot."""
        return self.outcome in ("approved", "approved_on_commitment")


def validate_field(field: FormField, value: Any) -> str | None:
    """The problem with one answer, in Chinese, or None."""
    empty = value is None or value == "" or value == []
    if empty:
        return f"请填写“{field.label}”。" if field.required else None
    if field.type == "choice" and value not in field.choices:
        return f"请从列表中选择“{field.label}”。"
    if field.validate:
        return VALIDATORS[field.validate](str(value))
    return None


def validate_answers(item: ServiceItem, answers: Mapping[str, Any]) -> dict[str, str]:
    """Problems with the answers, keyed by field id (empty when every field is fine)."""
    problems = {}
    for field in item.fields:
        if field.readonly:
            continue
        problem = validate_field(field, answers.get(field.id))
        if problem:
            problems[field.id] = problem
    return problems


def decide(item: ServiceItem, facts: Mapping[str, Any]) -> Decision:
    """Evaluate every rule of `item` against `facts` and return the decision."""
    failures = []
    for rule in item.rules:
        if not evaluate(compile_expression(rule.require), facts):
            failures.append(RuleFailure(rule.id, rule.outcome, rule.message, rule.remedy))
    outcome = item.outcome_when_all_pass
    for failure in failures:
        if SEVERITY.index(failure.outcome) < SEVERITY.index(outcome):
            outcome = failure.outcome
    return Decision(outcome, tuple(failures), item.id, item.version_label, item.rules_version_label)
