"""Every item's outcomes, through the engine's public API, from the scenario files."""

from __future__ import annotations

from collections import defaultdict

import pytest

from forms.scenarios import load_scenarios, run_scenario
from tests.demo_data import DIVISION, ROOT, TODAY, applicants, catalogue, demo_engine

SCENARIOS = load_scenarios(ROOT / "tests" / "scenarios")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario) -> None:
    item = catalogue()[scenario.item_id]
    result = run_scenario(demo_engine(), item, applicants().get(scenario.resident), scenario, TODAY, *DIVISION)
    assert result.problem == ""
    decision = result.assessment.decision
    if decision is not None:
        assert (
            decision.item_version == item.version_label and decision.rules_version == item.rules_version_label
        )
        for failure in decision.failures:  # never a bare "no"
            assert failure.message and failure.remedy.text


def test_every_item_has_a_scenario_for_every_outcome_it_can_produce() -> None:
    covered = defaultdict(set)
    for scenario in SCENARIOS:
        covered[scenario.item_id].add(scenario.expect)
    for item in catalogue().values():
        possible = {item.outcome_when_all_pass} | {rule.outcome for rule in item.rules}
        assert possible <= covered[item.id], f"{item.id}: no scenario for {possible - covered[item.id]}"


def test_the_scenario_residents_have_valid_identity_numbers() -> None:
    from forms.ids import is_valid_resident_id

    for scenario in SCENARIOS:
        resident = scenario.applicant or applicants()[scenario.resident]
        assert is_valid_resident_id(resident.id_number), scenario.name
