import pytest

from forms.expressions import ExpressionError, compile_expression, evaluate


def test_conditions_evaluate_over_the_given_variables() -> None:
    env = {"age": 30, "kinds": ["general", "general"], "name": "淄川区华星百货店"}
    assert evaluate("age >= 18 and all_in(kinds, ['general'])", env)
    assert not evaluate("contains_any(name, ['公司', '中国'])", env)
    assert evaluate("18 <= age < 60", env)
    assert evaluate("len(name) if name else 0", env) == 8


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('true')",
        "age.__class__",
        "(lambda: 1)()",
        "[x for x in kinds]",
        "open('/etc/passwd')",
        "globals()",
        "name.upper()",
    ],
)
def test_anything_outside_the_allow_list_is_refused(source: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(source)


def test_unknown_names_are_an_error_not_a_silent_false() -> None:
    with pytest.raises(ExpressionError, match="unknown name 'agee'"):
        evaluate("agee >= 18", {"age": 20})


def test_syntax_errors_name_the_column() -> None:
    with pytest.raises(ExpressionError, match="syntax error"):
        compile_expression("age >=")
