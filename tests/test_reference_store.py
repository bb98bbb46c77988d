"""The reference tables in the store, the effects of approved cases, and unfinished cases."""

from __future__ import annotations

import datetime as dt

import pytest

from devices.demo_residents import demo_residents
from forms.reference import id_hash
from kiosk.core.cases import settle_unfinished
from kiosk.core.lifecycle import CaseState
from kiosk.core.session import Session
from kiosk.services import KioskServices
from tests.demo_data import catalogue, demo_reference, sign_every_signature_field

REGISTRATION = {
    "phone": "13912345678",
    "organisation_type": "个人经营",
    "trade_name": "新华",
    "industry": "百货",
    "organisation_form": "店",
    "business_scope": ["F1201"],
    "premises": "淄川区般阳路街道东关村125号",
    "premises_proof": "拍摄场所使用证明",
    "premises_document": "capture-1",
}


def session_for(item_id: str, resident: str, answers: dict) -> Session:
    session = Session(90, 15)
    session.start()
    session.choose_item(catalogue()[item_id])
    session.identified(demo_residents()[resident][1])
    sign_every_signature_field(session)
    session.answers.update(answers)
    return session


def decide_and_commit(services: KioskServices, session: Session):
    decision = services.journey.decide(session)
    return decision, (
        services.journey.commit(session, decision) if decision.outcome != "needs_fixing" else None
    )


def test_the_store_answers_like_the_demo_data_in_memory(services: KioskServices) -> None:
    stored, memory = services.journey.reference, demo_reference()
    for code in memory.businesses:
        assert stored.business(code) == memory.business(code)
    for division, industry, name in memory.names:
        assert stored.trade_name_taken(division, industry, name)
    assert not stored.trade_name_taken("370302", "百货", "没登记过")
    resident = demo_residents()["dishonest"][1]
    assert stored.dishonesty_entry(resident.id_number) and memory.dishonesty_entry(resident.id_number)
    assert len(stored.scope_entries()) == len(memory.scope_entries()) >= 60


def test_the_dishonesty_list_keeps_no_id_numbers(services: KioskServices) -> None:
    raw = services.store.conn.execute("SELECT id_hash FROM dishonesty_list").fetchall()
    assert raw and all(len(r[0]) == 64 for r in raw)
    assert raw[0][0] == id_hash(demo_residents()["dishonest"][1].id_number)


def test_a_registration_here_takes_the_name_for_the_next_resident(services: KioskServices) -> None:
    decision, case = decide_and_commit(
        services, session_for("individual-business-registration", "adult", REGISTRATION)
    )
    assert decision.outcome == "approved" and case.summary["credit_code"].startswith("92370302")
    record = services.journey.reference.business(case.summary["credit_code"])
    assert record is not None and record.name == "淄川区新华百货店" and record.status == "active"
    again, _ = decide_and_commit(
        services, session_for("individual-business-registration", "minority", REGISTRATION)
    )
    assert again.outcome == "needs_fixing" and [f.rule_id for f in again.failures] == ["name-unique"]


def test_on_commitment_the_registry_changes_only_after_the_signature(services: KioskServices) -> None:
    answers = {**REGISTRATION, "trade_name": "春风", "premises_proof": "签署住所申报承诺"}
    decision, case = decide_and_commit(
        services, session_for("individual-business-registration", "adult", answers)
    )
    assert decision.outcome == "approved_on_commitment" and decision.commitment.startswith("本人承诺")
    assert not services.journey.reference.trade_name_taken("370302", "百货", "春风")
    services.journey.accept_commitment(case, catalogue()["individual-business-registration"])
    assert services.journey.reference.trade_name_taken("370302", "百货", "春风")
    assert "commitment_accepted" in [kind for kind, _ in services.cases.events(case.id)]


def test_food_filing_and_deregistration_change_the_registry(services: KioskServices) -> None:
    gulj = "92370302MA000Y6GCH"
    filing = session_for(
        "prepackaged-food-filing",
        "minority",
        {"credit_code": gulj, "storage_conditions": ["常温"], "food_safety_manager": "阿依古丽·买买提"},
    )
    _, case = decide_and_commit(services, filing)
    services.journey.accept_commitment(case, catalogue()["prepackaged-food-filing"])
    assert services.journey.reference.business(gulj).has_food_filing
    dereg = session_for(
        "individual-business-deregistration",
        "minority",
        {"credit_code": gulj, "reason": "停止经营", "debts_settled": True, "taxes_settled": True},
    )
    _, case = decide_and_commit(services, dereg)
    services.journey.accept_commitment(case, catalogue()["individual-business-deregistration"])
    assert services.journey.reference.business(gulj).status == "deregistered"


@pytest.mark.parametrize(
    ("answers", "signed", "expected"),
    [
        ({}, False, CaseState.PRINT_PENDING),
        ({"premises_proof": "签署住所申报承诺"}, False, CaseState.AWAITING_SIGNATURE),
        ({"premises_proof": "签署住所申报承诺"}, True, CaseState.PRINT_PENDING),
        ({"business_scope": ["H6201"]}, False, CaseState.AWAITING_REVIEW),
    ],
)
def test_an_unfinished_case_is_settled_where_it_can_be_resumed(
    services: KioskServices, answers, signed, expected
):
    _, case = decide_and_commit(
        services, session_for("individual-business-registration", "adult", {**REGISTRATION, **answers})
    )
    if signed:
        services.journey.accept_commitment(case, catalogue()["individual-business-registration"])
    assert settle_unfinished(services.cases, case.id, "test") is expected
    assert settle_unfinished(services.cases, case.id, "again") is None  # only DECIDED cases move


def test_decisions_use_the_terminal_date_for_age(services: KioskServices) -> None:
    journey = services.journey
    session = session_for("individual-business-registration", "minor", REGISTRATION)
    assert journey.decide(session).outcome == "needs_fixing"
    journey.today = lambda: dt.date(2028, 3, 15)  # the minor's 18th birthday
    assert journey.decide(session).outcome == "approved"
