"""Property tests: whatever is typed or picked, the engine answers in Chinese and never raises;
every approved case satisfies every rule."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.catalogue import RULE_FUNCTIONS, FormField, ServiceItem
from forms.expressions import compile_expression, evaluate
from forms.facts import TerminalFacts
from forms.scope import scope_catalogue
from tests.demo_data import DIVISION, TODAY, applicants, catalogue, demo_engine

CJK = re.compile(r"[\u4e00-\u9fff]")
CODES = sorted(scope_catalogue())
CREDIT_CODES = [
    "92370302MA000Y6G98",
    "92370302MA000Y6GAB",
    "92370302MA000Y6GBE",
    "92370302MA000Y6GCH",
    "92370302MA000Y6GDL",
    "92370302MA000Y6GEP",
    "9144030071526726XG",
]
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NASTY = st.sampled_from(
    [
        "",
        " ",
        "'; DROP TABLE cases; --",
        "\u202e建国",
        "😀😀",
        "䶮𠮷",
        "１３９１２３４５６７８",
        "a" * 10_000,
        "\x00\x1b[2J",
        "华" * 200,
    ]
)


def plausible(field: FormField) -> st.SearchStrategy:
    """Values a resident could really give, so that decisions (not only errors) are exercised."""
    if field.type in ("choice",):
        return st.sampled_from(field.choices)
    if field.type == "multi_choice":
        return st.lists(st.sampled_from(field.choices), min_size=1, unique=True)
    if field.type == "scope":
        return st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True)
    if field.type == "confirm":
        return st.booleans()
    by_validator = {
        "mobile": st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
        "trade_name": st.text(HAN, min_size=0, max_size=10),
        "person_name": st.sampled_from(["王建国", "王䶮", "阿依古丽·买买提"]),
        "person_names": st.sampled_from(["李秀兰", "王𠮷、阿依古丽·买买提"]),
        "address": st.sampled_from(["山东省淄博市淄川区般阳路街道东关村125号", "淄川区昆仑镇南坪村8号"]),
        "credit_code": st.sampled_from(CREDIT_CODES),
        "case_number": st.sampled_from(["ZC-370302-001-000123", ""]),
    }
    return by_validator.get(field.validate or "", st.text(max_size=30))


def anything() -> st.SearchStrategy:
    """Any value a broken screen or a fuzzer could hand the engine."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        st.text(max_size=50),
        NASTY,
        st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=4),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


@st.composite
def applications(draw, item: ServiceItem):
    """Mostly what a resident could give (so decisions are exercised), sometimes one or many junk values."""
    mode = draw(st.sampled_from(["plausible", "plausible", "one_junk", "chaos"]))
    junk_field = draw(st.sampled_from([f.id for f in item.fields])) if item.fields else None
    answers = {}
    for field in item.fields:
        if mode == "chaos" and draw(st.booleans()):
            if draw(st.booleans()):
                continue  # left unanswered
            answers[field.id] = draw(anything())
        elif mode == "one_junk" and field.id == junk_field:
            answers[field.id] = draw(anything())
        else:
            answers[field.id] = draw(plausible(field))
    resident = draw(st.sampled_from(sorted(applicants())))
    terminal = TerminalFacts(
        TODAY,
        *DIVISION,
        network_online=draw(st.booleans()),
        face_verified=draw(st.booleans()),
        live={
            key: draw(st.booleans())
            for key in ("insurance_record_found", "population_record_found", "case_found")
        },
    )
    return answers, applicants()[resident], terminal


ENGINE = demo_engine()


def check(item: ServiceItem, answers, applicant, terminal) -> None:
    assessment = ENGINE.assess(item, answers, applicant, terminal)
    if assessment.decision is None:
        assert assessment.field_errors
        for field_id, message in assessment.field_errors.items():
            assert field_id in {f.id for f in item.fields}
            assert CJK.search(message), message
        return
    decision = assessment.decision
    assert decision.rule_errors == (), f"a rule faulted on validated answers: {decision.rule_errors}"
    for failure in decision.failures:
        assert CJK.search(failure.message) and CJK.search(failure.remedy.text)
    if decision.outcome == "approved":
        facts = ENGINE.facts(item, answers, applicant, terminal)
        for rule in item.rules:
            assert evaluate(compile_expression(rule.require, RULE_FUNCTIONS), facts, ENGINE.functions), (
                rule.id
            )


def make_test(item_id: str):
    item = catalogue()[item_id]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(applications(item))
    def test(application) -> None:
        check(item, *application)

    return test


for _item_id in catalogue():
    globals()[f"test_engine_answers_any_input_for_{_item_id.replace('-', '_')}"] = make_test(_item_id)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([f.id for f in catalogue()["individual-business-registration"].fields]),
        anything(),
        max_size=12,
    )
)
def test_pure_junk_in_every_field_is_answered_with_field_errors(answers) -> None:
    item = catalogue()["individual-business-registration"]
    check(item, answers, applicants()["adult"], TerminalFacts(TODAY, *DIVISION))
