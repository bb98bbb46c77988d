"""The 秒批 decision engine: field validation, then the item's rules, then one outcome.

`assess` is the public entry point: it never raises for anything a resident can type. Field
problems come back as Chinese messages keyed by field; otherwise every rule is evaluated and
the most serious failed outcome wins (a problem the resident can fix comes first). A rule
that cannot be evaluated (a fault in rule data) sends the case to a person, never to a crash.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from forms.business import forbidden_name_words
from forms.catalogue import PICTURE_TYPES, PLACEHOLDER, RULE_FUNCTIONS, FormField, Remedy, Rule, ServiceItem
from forms.expressions import compile_expression, evaluate
from forms.facts import EMPTY_BY_TYPE, Applicant, TerminalFacts, standard_facts
from forms.outcomes import SEVERITY, Outcome
from forms.reference import ReferenceData, rule_functions
from forms.validators import VALIDATORS, WARNINGS

log = logging.getLogger(__name__)

DEFAULT_MAX_TEXT = 100

RULE_FAULT_REMEDY = Remedy("wait", "您的申请已保存，工作人员会人工审核并通知您结果。")
UNPRINTABLE_RULE = "characters-printable"
UNPRINTABLE_REMEDY = Remedy(
    "go_to",
    "申请已保存，不会丢失。请带身份证到窗口，工作人员核对这个字后为您打印证照。",
    place="便民服务中心市场监管窗口",
)


@dataclass(frozen=True)
class RuleFailure:
    """A rule that did not hold, with what the resident is told."""

    rule_id: str
    outcome: Outcome
    message: str
    remedy: Remedy


@dataclass(frozen=True)
class PermitNeed:
    """A permit or filing that a chosen business-scope entry needs before that activity starts.

    `items` are the service items that grant it (证照联办): the terminal offers the ones in
    its catalogue in the same session; without one the resident is sent to the window.
    """

    scope_code: str
    scope_name: str
    permit: str
    kind: str  # "permit" (许可项目: the case waits for it) or "filing" (备案 after the licence)
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """The outcome of a case under a given item version and rules version."""

    outcome: Outcome
    failures: tuple[RuleFailure, ...]
    item_id: str
    item_version: str
    rules_version: str
    documents: tuple[str, ...] = ()
    commitment: str = ""
    rule_errors: tuple[str, ...] = ()
    permits: tuple[PermitNeed, ...] = ()

    @property
    def issues_documents_now(self) -> bool:
        """True when the terminal may issue the item's documents on the spot."""
        return Outcome(self.outcome).issues_now  # a Decision built from a stored string too


@dataclass(frozen=True)
class Assessment:
    """Either field problems to fix on the form, or a decision."""

    field_errors: Mapping[str, str]
    decision: Decision | None


def _unreadable(field: FormField) -> str:
    return f"“{field.label}”的内容无法识别，请重新填写。"


def validate_field(field: FormField, value: Any, scope_codes: frozenset[str] = frozenset()) -> str | None:
    """The problem with one answer, in Chinese, or None. Any value of any type is handled."""
    if value is None or value == "" or value == [] or (field.type == "confirm" and value is False):
        if not field.required:
            return None
        if field.type == "confirm":
            return f"请阅读并勾选“{field.label}”。"
        if field.type == "signature":
            return f"请点“签名”，完成“{field.label}”。"
        if field.type in PICTURE_TYPES:
            return f"请拍摄“{field.label}”。"
        verb = "选择" if field.type in ("choice", "multi_choice", "scope") else "填写"
        return f"请{verb}“{field.label}”。"
    if field.type == "text" or field.type in PICTURE_TYPES:
        if not isinstance(value, str):
            return _unreadable(field)
        limit = field.max_length or DEFAULT_MAX_TEXT
        if len(value) > limit:
            return f"“{field.label}”最多{limit}个字，请缩短。"
        if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value):
            return f"“{field.label}”中有无法识别的字符，请重新填写。"
        return VALIDATORS[field.validate](value) if field.validate else None
    if field.type == "choice":
        return (
            None if isinstance(value, str) and value in field.choices else f"请从列表中选择“{field.label}”。"
        )
    if field.type in ("multi_choice", "scope"):
        allowed = set(field.choices) if field.type == "multi_choice" else scope_codes
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v in allowed for v in value):
            return f"“{field.label}”中有无法识别的选项，请重新选择。"
        return None
    if field.type == "confirm":
        return None if value is True else _unreadable(field)
    return _unreadable(field)


def typed_value(field: FormField, value: Any) -> Any:
    """The answer if it has the field's type, else the field's empty value."""
    empty = EMPTY_BY_TYPE.get(field.type)
    if field.type in PICTURE_TYPES:  # no token, no picture
        return value if isinstance(value, str) and value else empty
    if field.type in ("text", "choice"):
        return value if isinstance(value, str) else empty
    if field.type in ("multi_choice", "scope"):
        ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
        return list(value) if ok else empty
    if field.type == "confirm":
        return value if isinstance(value, bool) else empty
    return empty


def visible(
    condition: str | None, facts: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]
) -> bool:
    """Whether a page or field with this `visible_when` shows (a faulty condition shows it)."""
    if condition is None:
        return True
    try:
        return bool(evaluate(compile_expression(condition, RULE_FUNCTIONS), facts, functions))
    except Exception:  # rule data fault: showing the field is the safe side
        log.exception("visibility condition failed: %s", condition)
        return True


class Engine:
    """Decides cases for one terminal: its division, its reference data, the built-in word list."""

    def __init__(
        self,
        reference: ReferenceData,
        division_code: str,
        division_name: str,
        unprintable: Callable[[Iterable[str]], list[str]] | None = None,
    ) -> None:
        self.reference = reference
        self.functions = rule_functions(reference, division_code, division_name, forbidden_name_words())
        self.scope_codes = frozenset(reference.scope_entries())
        self._unprintable = unprintable

    def unprintable(self, texts: Iterable[str]) -> list[str]:
        """Characters of `texts` that no embedded font prints (the documents' fonts, by default)."""
        if self._unprintable is None:
            from forms.fonts import unprintable_characters

            self._unprintable = unprintable_characters
        return self._unprintable(texts)

    def facts(
        self, item: ServiceItem, answers: Mapping[str, Any], applicant: Applicant, terminal: TerminalFacts
    ) -> dict[str, Any]:
        """Every field's answer (empty if not given, not shown, or mistyped) plus the standard facts.

        Conditions only ever see values of their field's type, so a junk value cannot make a
        rule fault; validation still reports it to the resident.
        """
        facts = standard_facts(applicant, terminal)
        facts.update(item.fixed_answers)
        for f in item.fields:
            facts[f.id] = typed_value(f, answers.get(f.id))
        for page in item.pages:
            page_shown = visible(page.visible_when, facts, self.functions)
            for f in page.fields:
                if not page_shown or not visible(f.visible_when, facts, self.functions):
                    facts[f.id] = EMPTY_BY_TYPE.get(f.type)
        return facts

    def visible_fields(self, item: ServiceItem, facts: Mapping[str, Any]) -> list[FormField]:
        """The fields the resident sees, given the answers so far."""
        return [
            f
            for p in item.pages
            if visible(p.visible_when, facts, self.functions)
            for f in p.fields
            if visible(f.visible_when, facts, self.functions)
        ]

    def field_errors(
        self,
        item: ServiceItem,
        answers: Mapping[str, Any],
        facts: Mapping[str, Any],
        fields: list[FormField] | None = None,
    ) -> dict[str, str]:
        """Problems with the visible, editable fields (or only those in `fields`)."""
        shown = {f.id for f in self.visible_fields(item, facts)}
        problems = {}
        for f in fields if fields is not None else item.fields:
            if f.readonly or f.id not in shown:
                continue
            problem = validate_field(f, answers.get(f.id), self.scope_codes)
            if problem:
                problems[f.id] = problem
        return problems

    def field_warnings(self, item: ServiceItem, answers: Mapping[str, Any]) -> dict[str, str]:
        """Notes that never block (a credit code whose check character fails), keyed by field."""
        notes = {}
        for f in item.fields:
            value = answers.get(f.id)
            if f.validate in WARNINGS and isinstance(value, str) and value:
                note = WARNINGS[f.validate](value)
                if note:
                    notes[f.id] = note
        return notes

    def documents_on_approval(self, item: ServiceItem, facts: Mapping[str, Any]) -> tuple[str, ...]:
        """The documents an approval of this application issues (kept for a later office approval)."""
        return tuple(
            d.kind for d in item.documents if d.when is None or visible(d.when, facts, self.functions)
        )

    def decide(self, item: ServiceItem, facts: Mapping[str, Any]) -> Decision:
        """Evaluate every rule of `item` against `facts` and return the decision."""
        failures, errors = [], []
        for rule in item.rules:
            try:
                holds = bool(
                    evaluate(compile_expression(rule.require, RULE_FUNCTIONS), facts, self.functions)
                )
            except Exception as exc:  # a fault in rule data: a person decides, the resident is told
                log.error("rule %s of %s could not be evaluated: %s", rule.id, item.id, exc)
                errors.append(rule.id)
                message = "这项申请需要工作人员审核。"
                failures.append(RuleFailure(rule.id, Outcome.MANUAL_REVIEW, message, RULE_FAULT_REMEDY))
                continue
            if not holds:
                failures.append(self._failure(item, rule, facts))
        outcome = item.outcome_when_all_pass
        for failure in failures:
            if SEVERITY.index(failure.outcome) < SEVERITY.index(outcome):
                outcome = failure.outcome
        if outcome in (Outcome.APPROVED, Outcome.APPROVED_ON_COMMITMENT):
            unprintable = self._unprintable_failure(facts)
            if unprintable is not None:  # a document that drops a character differs from its signed data
                failures.append(unprintable)
                outcome = Outcome.MANUAL_REVIEW
        documents: tuple[str, ...] = ()
        if outcome in (Outcome.APPROVED, Outcome.APPROVED_ON_COMMITMENT):
            documents = self.documents_on_approval(item, facts)
        elif outcome in (Outcome.ACCEPTED_PENDING, Outcome.MANUAL_REVIEW):
            # Accepted for later: a 受理通知书 saying what happens next, and the receipt.
            documents = ("acceptance_notice", "receipt")
        return Decision(
            outcome,
            tuple(failures),
            item.id,
            item.version_label,
            item.rules_version_label,
            documents,
            item.commitment if outcome == Outcome.APPROVED_ON_COMMITMENT else "",
            tuple(errors),
            self.permits_needed(item, facts),
        )

    def _unprintable_failure(self, facts: Mapping[str, Any]) -> RuleFailure | None:
        """Why the documents cannot be issued here with every character, or None when they can."""
        from forms.fonts import FontMissingError

        try:
            missing = self.unprintable(v for v in facts.values() if isinstance(v, str))
        except FontMissingError as exc:  # nothing can print right; the start check says so too
            log.error("documents cannot be issued: %s", exc)
            message = "本机的打印字库没有安装好，证照暂时不能在本机打印。"
            return RuleFailure(UNPRINTABLE_RULE, Outcome.MANUAL_REVIEW, message, UNPRINTABLE_REMEDY)
        if not missing:
            return None
        log.warning("characters no embedded font has: %s", " ".join(f"U+{ord(c):04X}" for c in missing))
        shown = "”“".join(missing[:3])
        return RuleFailure(
            UNPRINTABLE_RULE,
            Outcome.MANUAL_REVIEW,
            f"“{shown}”字在本机的字库里没有，打印出来会缺字，所以证照要由窗口打印。",
            UNPRINTABLE_REMEDY,
        )

    def _failure(self, item: ServiceItem, rule: Rule, facts: Mapping[str, Any]) -> RuleFailure:
        """The failure as the resident reads it, its `{places}` filled from the rule's explain."""
        if not rule.explain:
            return RuleFailure(rule.id, rule.outcome, rule.message, rule.remedy)
        values: dict[str, str] = {}
        for name, expression in rule.explain:
            try:
                value = evaluate(compile_expression(expression, RULE_FUNCTIONS), facts, self.functions)
            except Exception as exc:  # the rule failed anyway; say it without the detail
                log.error("explain %s of rule %s of %s failed: %s", name, rule.id, item.id, exc)
                value = ""
            values[name] = "、".join(map(str, value)) if isinstance(value, list | tuple) else str(value)

        def fill(text: str) -> str:
            return PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)

        return RuleFailure(
            rule.id, rule.outcome, fill(rule.message), replace(rule.remedy, text=fill(rule.remedy.text))
        )

    def permits_needed(self, item: ServiceItem, facts: Mapping[str, Any]) -> tuple[PermitNeed, ...]:
        """The permits and filings the chosen business scope needs, each once, in scope order."""
        entries = self.reference.scope_entries()
        needs: dict[str, PermitNeed] = {}
        for f in item.fields:
            if f.type != "scope" or not isinstance(facts.get(f.id), list):
                continue
            for code in facts[f.id]:
                entry = entries.get(code) if isinstance(code, str) else None
                if entry is None:
                    continue
                if entry.kind == "licensed" and entry.permit:
                    needs.setdefault(
                        entry.permit, PermitNeed(code, entry.name, entry.permit, "permit", entry.items)
                    )
                elif entry.filing:
                    needs.setdefault(
                        entry.filing, PermitNeed(code, entry.name, entry.filing, "filing", entry.items)
                    )
        return tuple(needs.values())

    def assess(
        self, item: ServiceItem, answers: Mapping[str, Any], applicant: Applicant, terminal: TerminalFacts
    ) -> Assessment:
        """Field problems, or else the decision: the one call the kiosk makes per submission."""
        facts = self.facts(item, answers, applicant, terminal)
        problems = self.field_errors(item, answers, facts)
        if problems:
            return Assessment(problems, None)
        return Assessment({}, self.decide(item, facts))
