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
