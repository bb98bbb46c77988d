import datetime as dt

import pytest

from forms.ids import (
    CREDIT_ALPHABET,
    age_on,
    individual_business_credit_code,
    is_valid_credit_code,
    is_valid_resident_id,
    parse_resident_id,
)

ID_EXAMPLES = ["11010519491231002X", "440524188001010014"]
CREDIT_EXAMPLES = ["9144030071526726XG", "914403001922038216"]


@pytest.mark.parametrize("number", ID_EXAMPLES)
def test_domain_id_examples_pass(number: str) -> None:
    assert is_valid_resident_id(number)


@pytest.mark.parametrize("number", ID_EXAMPLES)
def test_every_one_character_change_of_an_id_number_is_rejected(number: str) -> None:
    for position in range(18):
        for replacement in "0123456789X":
            if replacement == number[position] or (replacement == "X" and position < 17):
                continue
            changed = number[:position] + replacement + number[position + 1 :]
            assert not is_valid_resident_id(changed), changed


@pytest.mark.parametrize("code", CREDIT_EXAMPLES)
def test_domain_credit_code_examples_pass(code: str) -> None:
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", CREDIT_EXAMPLES)
def test_every_one_character_change_of_a_credit_code_is_rejected(code: str) -> None:
    for position in range(18):
        for replacement in CREDIT_ALPHABET:
            if replacement != code[position]:
                assert not is_valid_credit_code(code[:position] + replacement + code[position + 1 :])


def test_id_parts_sex_and_birth_date() -> None:
    parts = parse_resident_id("11010519491231002X")
    assert parts is not None
    assert parts.birth_date == dt.date(1949, 12, 31)
    assert parts.division_code == "110105"
    assert not parts.is_male


def test_impossible_birth_date_is_rejected_even_with_a_correct_check() -> None:
    from forms.ids import resident_id_check_char

    first17 = "37030219900230001"  # 30 February
    assert not is_valid_resident_id(first17 + resident_id_check_char(first17))


def test_full_width_and_lower_case_x_are_normalised() -> None:
    assert is_valid_resident_id("１１０１０５１９４９１２３１００２ｘ")


def test_individual_business_codes_are_valid_92_codes_of_the_division() -> None:
    codes = {individual_business_credit_code("370302", serial) for serial in range(1, 2000)}
    assert len(codes) == 1999
    for code in codes:
        assert code.startswith("92370302")
        assert is_valid_credit_code(code)


def test_age_on_the_day_counts_birthdays_including_29_february() -> None:
    assert age_on(dt.date(2008, 11, 23), dt.date(2026, 11, 23)) == 18
    assert age_on(dt.date(2008, 11, 24), dt.date(2026, 11, 23)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18
