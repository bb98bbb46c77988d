"""The rule-coverage report: for every rule, the scenarios that make it fire."""

from __future__ import annotations

from forms.scenarios import format_coverage, load_scenarios, rule_coverage, run_scenario
from tests.demo_data import DIVISION, ROOT, TODAY, applicants, catalogue, demo_engine


def test_every_refusing_rule_fires_in_some_scenario(capsys) -> None:
    engine, items = demo_engine(), catalogue()
    results = [
        run_scenario(engine, items[s.item_id], applicants().get(s.resident), s, TODAY, *DIVISION)
        for s in load_scenarios(ROOT / "tests" / "scenarios")
    ]
    coverage = rule_coverage(items, results)
    report = format_coverage(coverage)
    print(report)
    never = [f"{c.item_id}:{c.rule_id}" for c in coverage if not c.fired_by]
    assert never == [], report
    assert len(coverage) == sum(len(item.rules) for item in items.values())
