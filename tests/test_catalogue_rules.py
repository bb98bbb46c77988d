import datetime as dt
from pathlib import Path

import pytest

from devices.demo_residents import demo_residents
from forms.business import registration_facts
from forms.catalogue import ItemFileError, load_catalogue, parse_item
from forms.rules import decide, validate_answers

TODAY = dt.date(2026, 11, 23)
ITEM_ID = "individual-business-registration"
GOOD_ANSWERS = {
    "phone": "13912345678",
    "trade_name": "华星",
    "industry": "百货",
    "organisation_form": "店",
    "business_scope": ["F1201", "F1203"],
    "premises": "山东省淄博市淄川区般阳路街道东关村125号",
}


@pytest.fixture(scope="module")
def item():
    return load_catalogue()[ITEM_ID]


def facts_for(resident: str, **answers):
    card = demo_residents()[resident][1]
    return registration_facts({**GOOD_ANSWERS, **answers}, card.as_applicant(), TODAY, "淄川区")


def test_catalogue_loads_with_the_ten_standard_elements_and_versions(item) -> None:
    for element in (
        "name",
        "code",
        "type",
        "legal_basis",
        "level",
        "conditions",
        "target",
        "materials",
        "time_limit",
        "fees",
    ):
        assert item.standard[element]
    assert len(item.content_hash) == 64
    assert item.version_label.startswith(item.version + "+")


def test_an_adult_with_general_scope_is_approved_on_the_spot(item) -> None:
    decision = decide(item, facts_for("adult"))
    assert decision.outcome == "approved"
    assert decision.failures == ()
    assert decision.item_version == item.version_label
    assert decision.rules_version == item.rules_version_label


def test_a_minor_is_told_who_can_apply_instead(item) -> None:
    decision = decide(item, facts_for("minor"))
    assert decision.outcome == "needs_fixing"
    [failure] = decision.failures
    assert failure.rule_id == "operator-adult"
    assert "家庭成员" in failure.remedy.text


def test_an_expired_id_card_is_sent_to_the_police_station_with_a_workaround(item) -> None:
    decision = decide(item, facts_for("expired"))
    assert [f.rule_id for f in decision.failures] == ["id-card-valid"]
    assert decision.failures[0].remedy.place == "户籍所在地派出所"


def test_forbidden_words_lead_back_to_the_trade_name_field(item) -> None:
    decision = decide(item, facts_for("adult", trade_name="中华"))
    assert decision.outcome == "needs_fixing"
    assert decision.failures[0].remedy.field == "trade_name"


def test_a_licensed_scope_goes_to_manual_review_with_the_window_named(item) -> None:
    decision = decide(item, facts_for("adult", business_scope=["F1201", "H6201"]))
    assert decision.outcome == "manual_review"
    assert "窗口" in decision.failures[0].remedy.place


def test_something_to_fix_outranks_manual_review(item) -> None:
    decision = decide(item, facts_for("minor", business_scope=["H6201"]))
    assert decision.outcome == "needs_fixing"
    assert {f.outcome for f in decision.failures} == {"needs_fixing", "manual_review"}


def test_a_business_may_register_without_a_name(item) -> None:
    facts = facts_for("adult", trade_name="")
    assert facts["business_name"] == ""
    assert decide(item, facts).outcome == "approved"


def test_field_validation_names_each_problem_in_chinese(item) -> None:
    problems = validate_answers(item, {**GOOD_ANSWERS, "phone": "123", "industry": "银行"})
    assert set(problems) == {"phone", "industry"}
    assert "11位" in problems["phone"]


def _item_text(rules: str) -> bytes:
    source = (Path(__file__).parent.parent / "forms/items/individual_business_registration.toml").read_text()
    head = source.split("[[rules]]")[0]
    return (head + rules).encode()


def test_a_refusing_rule_without_a_remedy_is_rejected_with_file_and_location() -> None:
    raw = _item_text(
        '[[rules]]\nid = "x"\nrequire = "operator_age >= 18"\noutcome = "needs_fixing"\nmessage = "m"\n'
    )
    with pytest.raises(ItemFileError, match=r"broken\.toml: rules\[0\]\.remedy"):
        parse_item(raw, Path("broken.toml"))


def test_a_rule_with_unsafe_syntax_is_rejected_at_load() -> None:
    raw = _item_text(
        '[[rules]]\nid = "x"\nrequire = "__import__(\'os\')"\noutcome = "needs_fixing"\nmessage = "m"\n'
        'remedy = { action = "info", text = "t" }\n'
    )
    with pytest.raises(ItemFileError, match=r"rules\[0\]\.require"):
        parse_item(raw, Path("broken.toml"))


def test_a_fix_field_remedy_must_name_a_real_field() -> None:
    raw = _item_text(
        '[[rules]]\nid = "x"\nrequire = "true"\noutcome = "needs_fixing"\nmessage = "m"\n'
        'remedy = { action = "fix_field", field = "nope", text = "t" }\n'
    )
    with pytest.raises(ItemFileError, match="'nope' is not a field"):
        parse_item(raw, Path("broken.toml"))
