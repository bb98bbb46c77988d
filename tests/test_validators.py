import pytest

from forms.validators import validate_address, validate_mobile, validate_person_name, validate_trade_name


@pytest.mark.parametrize("value", ["13912345678", "19800001111", "１３９１２３４５６７８"])
def test_good_mobiles(value: str) -> None:
    assert validate_mobile(value) is None


@pytest.mark.parametrize("value", ["", "1391234567", "23912345678", "1391234567a", "139 1234 5678x"])
def test_bad_mobiles_say_what_is_expected(value: str) -> None:
    assert "11位" in validate_mobile(value)


@pytest.mark.parametrize("name", ["王建国", "王䶮", "𠮷田华", "阿依古丽·买买提"])
def test_names_with_rare_characters_and_the_middle_dot(name: str) -> None:
    assert validate_person_name(name) is None


@pytest.mark.parametrize("name", ["", "Wang", "王" * 31, "王\u202e建国", "·王"])
def test_bad_names(name: str) -> None:
    assert validate_person_name(name)


def test_trade_names() -> None:
    assert validate_trade_name("") is None
    assert validate_trade_name("华星") is None
    assert "至少" in validate_trade_name("华")
    assert "汉字" in validate_trade_name("华星123")
    assert "最多" in validate_trade_name("华" * 11)


def test_addresses() -> None:
    assert validate_address("山东省淄博市淄川区般阳路街道东关村125号") is None
    assert validate_address("淄川")
    assert validate_address("地" * 200)
    assert validate_address("淄川区东关村\x00125号")


def test_a_credit_code_failing_its_check_is_accepted_with_a_warning() -> None:
    from forms.validators import validate_credit_code, warn_credit_code

    pilot = "9144030071526726XA"  # well formed, wrong check character
    assert validate_credit_code(pilot) is None
    assert "校验位" in warn_credit_code(pilot)
    assert warn_credit_code("9144030071526726XG") is None
    assert validate_credit_code("9144030071526726XO")  # O is not in the code alphabet


def test_the_engine_looks_up_a_pilot_code_and_only_warns() -> None:
    from forms.facts import TerminalFacts
    from forms.reference import BusinessRecord, id_hash
    from forms.rules import Engine
    from tests.demo_data import DIVISION, TODAY, applicants, catalogue, demo_reference

    reference = demo_reference()
    pilot = "9144030071526726XA"
    reference.businesses[pilot] = BusinessRecord(
        pilot,
        "淄川区老字号杂货店",
        id_hash(applicants()["adult"].id_number),
        "百货",
        ("F1201",),
        "淄川区东关村1号",
        "active",
    )
    engine = Engine(reference, *DIVISION)
    item = catalogue()["licence-print"]
    answers = {"credit_code": pilot, "purpose": "遗失补打"}
    warnings = engine.field_warnings(item, answers)
    assert set(warnings) == {"credit_code"} and "校验位" in warnings["credit_code"]
    decision = engine.assess(item, answers, applicants()["adult"], TerminalFacts(TODAY, *DIVISION)).decision
    assert decision is not None and decision.outcome == "approved"
