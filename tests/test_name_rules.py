"""The name rules as data: what a county may publish, and the ways a 字号 might slip past a word
list (compatibility ideographs, traditional forms, a division name opening the 字号)."""

from __future__ import annotations

import pytest

from forms.jurisdiction import shipped_division_table
from forms.name_rules import NameChecker, NameRules, NameRulesError, shipped_name_rules


@pytest.fixture(scope="module")
def checker() -> NameChecker:
    return NameChecker(shipped_name_rules(), shipped_division_table().names_of_county_or_higher())


def test_every_clause_names_the_article_it_encodes() -> None:
    for clause in shipped_name_rules().clauses.values():
        assert clause.basis and all("《" in b for b in clause.basis), clause.id


def test_a_compatibility_ideograph_cannot_hide_a_word(checker) -> None:
    """U+F949 and U+F934 look like 雷 and 老: NFKC folds them before any list is read."""
    assert checker.hit("famous-persons", "\uf949锋", "百货", "店") == "雷锋"
    assert checker.hit("foreign-names", "\uf934挝", "百货", "店") == "老挝"


def test_a_traditional_form_is_named_even_where_a_word_list_would_miss_it(checker) -> None:
    assert checker.hit("international-organisations", "聯合國", "百货", "店") == ""
    assert checker.hit("standard-characters", "聯合國") == "聯"
    assert checker.hit("standard-characters", "喆堃") == ""  # standard, though not in GB 2312


def test_full_width_digits_do_not_hide_an_army_designation(checker) -> None:
    assert checker.hit("army-designations", "３８９团", "百货", "店") == "389团"


def test_a_division_opening_the_trade_name_is_found_but_not_a_division_inside_a_word(checker) -> None:
    assert checker.hit("division-name", "淄川华星") == "淄川"
    assert checker.hit("division-name", "北京华星") == "北京"
    assert checker.hit("division-name", "川华") == ""
    assert checker.hit("division-name", "和平") == ""  # another common meaning


def test_the_operators_own_name_is_exempt_where_the_regulation_allows_it(checker) -> None:
    assert checker.hit("division-name", "江山") == "江山"
    assert checker.hit("division-name", "江山", own_name="江山") == ""
    assert checker.hit("famous-persons", "陈云", own_name="陈云") == ""
    assert checker.hit("china-words", "张中国", own_name="张中国") == "中国"  # no exemption there


def test_an_empty_trade_name_breaks_no_clause(checker) -> None:
    for clause in shipped_name_rules().clauses:
        assert checker.hit(clause, "") == ""


def test_an_unknown_clause_is_a_fault_in_rule_data(checker) -> None:
    with pytest.raises(KeyError):
        checker.hit("no-such-clause", "华星")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ({"version": "1", "clauses": []}, "non-empty"),
        ({"version": "1", "clauses": [{"id": "Bad", "basis": ["《x》"]}]}, "lower-case"),
        ({"version": "1", "clauses": [{"id": "a-b", "basis": []}]}, "article"),
        ({"version": "1", "clauses": [{"id": "a-b", "basis": ["《x》"], "match": "fuzzy"}]}, "match"),
        ({"version": "1", "clauses": [{"id": "a-b", "basis": ["《x》"], "patterns": ["(unclosed"]}]}, "patterns"),
        ({"version": "1", "clauses": [{"id": "a-b", "basis": ["《x》"], "words": [1]}]}, "words"),
        ({"version": 2, "clauses": [{"id": "a-b", "basis": ["《x》"]}]}, "version"),
        (
            {"version": "1", "clauses": [{"id": "a-b", "basis": ["《x》"]}, {"id": "a-b", "basis": ["《x》"]}]},
            "twice",
        ),
    ],
)
def test_rules_a_county_might_publish_by_mistake_are_refused_with_the_reason(content, problem) -> None:
    with pytest.raises(NameRulesError, match=problem):
        NameRules.from_mapping(content)
