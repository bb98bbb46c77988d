"""Scenarios: worked cases for an item (who applies, what they answer, what the terminal knows)
with the outcome and the rules that must fire. Tests run them; the coverage report reads them.

A scenario file holds one item's cases:

    item = "individual-business-registration"
    [base]                       # answers shared by every case in the file
    phone = "13912345678"
    [[scenario]]
    name = "a minor is told who can apply"
    resident = "minor"           # a key of the synthetic residents
    answers = { trade_name = "华星" }
    terminal = { network_online = true, live = { insurance_record_found = true }, face_verified = true }
    today = 2026-11-23           # optional: the day of the decision (the runner's day otherwise)
    expect = "needs_fixing"      # an outcome, or "field_errors"
    fires = ["operator-adult"]   # exactly these rules fail
    field_errors = []            # with expect = "field_errors": exactly these fields
    documents = ["receipt"]      # optional: exactly these documents are issued
    message_has = ["联合国"]      # optional: words the resident's message or remedy must say
    permits = ["食品经营许可证"]   # optional: exactly these permits and filings are named

A file may also define its own synthetic residents, so a rule author can write a boundary case
without touching the shared demo data. The ID number must carry a valid check character; the
birth date is read from it:

    [residents.turns_18_today]
    name = "赵一"
    id_number = "370302200811230016"
    valid_to = "2030-01-01"      # or "长期" (no expiry)
    address = "山东省淄博市淄川区般阳路街道东关村1号"
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from forms.catalogue import ServiceItem
from forms.facts import Applicant, TerminalFacts
from forms.ids import parse_resident_id
from forms.rules import Assessment, Engine


@dataclass(frozen=True)
class Scenario:
    """One worked case for one item."""

    source: str
    name: str
    item_id: str
    resident: str
    answers: Mapping[str, Any]
    expect: str
    fires: tuple[str, ...] = ()
    field_errors: tuple[str, ...] = ()
    documents: tuple[str, ...] | None = None
    terminal: Mapping[str, Any] = field(default_factory=dict)
    identified_by: str = "id_card"
    applicant: Applicant | None = None  # a resident the scenario file defines itself
    today: dt.date | None = None
    message_has: tuple[str, ...] = ()
    permits: tuple[str, ...] | None = None


class ScenarioFileError(ValueError):
    """A scenario file that cannot be run; the message names the file and the place."""


def inline_resident(raw: Mapping[str, Any], where: str) -> Applicant:
    """A synthetic resident written in a scenario file, checked like a card read would be."""
    try:
        number = str(raw["id_number"])
        name = str(raw["name"])
    except KeyError as exc:
        raise ScenarioFileError(f"{where}: needs {exc.args[0]}") from None
    parts = parse_resident_id(number)
    if parts is None:
        raise ScenarioFileError(f"{where}: id_number {number} has a wrong check character or date")
    valid_to = raw.get("valid_to", "长期")
    if isinstance(valid_to, str):
        valid_to = None if valid_to in ("长期", "") else dt.date.fromisoformat(valid_to)
    return Applicant(
        name=name,
        id_number=number,
        birth_date=parts.birth_date,
        valid_to=valid_to,
        sex=str(raw.get("sex", "男" if parts.is_male else "女")),
        address=str(raw.get("address", "")),
    )


@dataclass(frozen=True)
class ScenarioResult:
    """What the engine did with a scenario and whether that is what the scenario expects."""

    scenario: Scenario
    assessment: Assessment
    fired: tuple[str, ...]
    problem: str  # empty when the scenario holds


def load_scenarios(directory: Path) -> list[Scenario]:
    """Every scenario in every `*.toml` file of `directory`."""
    out = []
    for path in sorted(directory.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        base = data.get("base", {})
        residents = {
            key: inline_resident(raw, f"{path.name}: residents.{key}")
            for key, raw in data.get("residents", {}).items()
        }
        for raw in data["scenario"]:
            out.append(
                Scenario(
                    source=path.name,
                    name=raw["name"],
                    item_id=data["item"],
                    resident=raw["resident"],
                    answers={**base, **raw.get("answers", {})},
                    expect=raw["expect"],
                    fires=tuple(raw.get("fires", ())),
                    field_errors=tuple(raw.get("field_errors", ())),
                    documents=tuple(raw["documents"]) if "documents" in raw else None,
                    terminal=raw.get("terminal", {}),
                    identified_by=raw.get("identified_by", "id_card"),
                    applicant=residents.get(raw["resident"]),
                    today=raw.get("today"),
                    message_has=tuple(raw.get("message_has", ())),
                    permits=tuple(raw["permits"]) if "permits" in raw else None,
                )
            )
    return out


def run_scenario(
    engine: Engine,
    item: ServiceItem,
    applicant: Applicant | None,
    scenario: Scenario,
    today: dt.date,
    division_code: str,
    division_name: str,
) -> ScenarioResult:
    """Assess the scenario's answers and compare with what it expects."""
    terminal = TerminalFacts(
        scenario.today or today,
        division_code,
        division_name,
        network_online=scenario.terminal.get("network_online", False),
        face_verified=scenario.terminal.get("face_verified", False),
        live=scenario.terminal.get("live", {}),
    )
    who = scenario.applicant or applicant
    if who is None:
        raise ScenarioFileError(f"{scenario.source}: {scenario.name}: no resident '{scenario.resident}'")
    applicant = replace(who, identified_by=scenario.identified_by)
    assessment = engine.assess(item, scenario.answers, applicant, terminal)
    decision = assessment.decision
    fired = tuple(f.rule_id for f in decision.failures) if decision else ()
    problem = ""
    if scenario.expect == "field_errors":
        if decision is not None:
            problem = f"expected field errors, got {decision.outcome}"
        elif set(assessment.field_errors) != set(scenario.field_errors):
            problem = f"field errors {sorted(assessment.field_errors)} != {sorted(scenario.field_errors)}"
    elif decision is None:
        problem = f"unexpected field errors: {dict(assessment.field_errors)}"
    elif decision.outcome != scenario.expect:
        problem = f"outcome {decision.outcome} != {scenario.expect} (fired {list(fired)})"
    elif set(fired) != set(scenario.fires):
        problem = f"fired {sorted(fired)} != {sorted(scenario.fires)}"
    elif decision.rule_errors:
        problem = f"rules could not be evaluated: {list(decision.rule_errors)}"
    elif scenario.documents is not None and set(decision.documents) != set(scenario.documents):
        problem = f"documents {sorted(decision.documents)} != {sorted(scenario.documents)}"
    elif scenario.permits is not None and [p.permit for p in decision.permits] != list(scenario.permits):
        problem = f"permits {[p.permit for p in decision.permits]} != {list(scenario.permits)}"
    else:
        said = " ".join(f"{f.message} {f.remedy.text}" for f in decision.failures)
        unsaid = [w for w in scenario.message_has if w not in said]
        if unsaid:
            problem = f"the resident is not told {unsaid}: {said}"
    return ScenarioResult(scenario, assessment, fired, problem)


@dataclass(frozen=True)
class RuleCoverage:
    """One rule of one item and the scenarios that make it fire."""

    item_id: str
    rule_id: str
    outcome: str
    fired_by: tuple[str, ...]


def rule_coverage(items: Mapping[str, ServiceItem], results: list[ScenarioResult]) -> list[RuleCoverage]:
    """For every rule of every item, the scenarios in which it fired."""
    out = []
    for item in items.values():
        for rule in item.rules:
            names = tuple(
                r.scenario.name for r in results if r.scenario.item_id == item.id and rule.id in r.fired
            )
            out.append(RuleCoverage(item.id, rule.id, rule.outcome, names))
    return out


def format_coverage(coverage: list[RuleCoverage]) -> str:
    """The coverage report as a text table."""
    lines = [f"{'item':<36} {'rule':<30} {'outcome':<24} fired by"]
    for c in coverage:
        fired = f"{len(c.fired_by)}: {c.fired_by[0]}" if c.fired_by else "NEVER"
        lines.append(f"{c.item_id:<36} {c.rule_id:<30} {c.outcome:<24} {fired}")
    never = sum(1 for c in coverage if not c.fired_by)
    lines.append(f"{len(coverage)} rules, {len(coverage) - never} fired by a scenario, {never} never")
    return "\n".join(lines)
