"""Cases waiting for licence numbers get them when a block arrives, oldest first, on the real store:
a case the office approved while the numbers were used up is numbered like the others (and can
then be printed here, 自助打证), a case that stopped waiting is passed over, and only running out
of serials ends the round."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.demo_residents import demo_residents
from forms.ids import individual_business_credit_code
from kiosk.core.back_office import (
    LateLicenceStatus,
    apply_office_decision,
    issue_waiting_licence,
    issue_waiting_licences,
)
from kiosk.core.case_status import statuses
from kiosk.core.licence_serials import LICENCE_WAIT, add_licence_block, licence_serials_left
from kiosk.core.lifecycle import CaseState
from kiosk.core.session import Session
from kiosk.services import KioskServices
from tests.demo_data import catalogue, sign_every_signature_field
from tests.test_issuing import commit
from tests.test_office_decisions import REGISTRATION

ITEM = "individual-business-registration"


def use_up_every_number(services: KioskServices) -> None:
    with services.store.durable() as conn:
        conn.execute("UPDATE licence_blocks SET next_serial = last_serial + 1")
    assert licence_serials_left(services.store) == 0


def waiting_registration(services: KioskServices, resident: str, trade_name: str) -> str:
    """Approved by the rules with every number used up: accepted, the licence printed later."""
    decision, case = commit(services, ITEM, resident, {**REGISTRATION, "trade_name": trade_name})
    assert decision.outcome == "approved" and case.outcome == "accepted_pending"
    services.journey.leave_undone(case)  # the resident goes; the case awaits its number
    assert services.cases.get(case.id).state is CaseState.AWAITING_REVIEW
    return case.id


def office_approved_waiting(services: KioskServices, trade_name: str) -> str:
    """Sent for review, then approved by the office while every number was used up."""
    decision, case = commit(services, ITEM, "dishonest", {**REGISTRATION, "trade_name": trade_name})
    assert decision.outcome == "manual_review"
    services.journey.issue(case)
    use_up_every_number(services)
    approved = apply_office_decision(services.journey, case.id, True, "", "REF-1")
    assert approved.state is CaseState.APPROVED_BY_OFFICE
    assert approved.summary["pending_reason"] == LICENCE_WAIT and "credit_code" not in approved.summary
    return case.id


def three_waiting(services: KioskServices) -> list[str]:
    """The office-approved case first (oldest), then two accepted by the rules."""
    office = office_approved_waiting(services, "华星")
    first = waiting_registration(services, "adult", "晨曦")
    second = waiting_registration(services, "elder", "顺达")
    assert services.cases.waiting_for_licence_numbers() == [office, first, second]
    return [office, first, second]


def code_of(services: KioskServices, serial: int) -> str:
    return individual_business_credit_code(services.journey.division.code, serial)


def licence_actions(services: KioskServices, case_id: str) -> list[dict]:
    """The licence_issued actions queued for the centre for one case."""
    rows = services.store.conn.execute(
        "SELECT payload FROM outbox WHERE case_id = ? AND kind = 'licence_issued' ORDER BY seq", (case_id,)
    ).fetchall()
    return [services.store.cipher.open(row[0], case_id)["detail"] for row in rows]


def registered(services: KioskServices, code: str) -> bool:
    row = services.store.conn.execute("SELECT 1 FROM business_registry WHERE credit_code = ?", (code,))
    return row.fetchone() is not None


def test_the_decision_shown_without_a_licence_number_is_the_one_stored(services: KioskServices) -> None:
    use_up_every_number(services)
    session = Session(90, 15)
    session.start()
    session.choose_item(catalogue()[ITEM])
    session.identified(demo_residents()["adult"][1])
    sign_every_signature_field(session)
    session.answers.update({**REGISTRATION, "trade_name": "晨曦"})
    committed = services.journey.decide_and_commit(session)
    assert committed.case is not None
    assert committed.decision.outcome == committed.case.outcome == "accepted_pending"
    [waiting] = [f for f in committed.decision.failures if f.rule_id == LICENCE_WAIT]
    assert "编号暂时用完" in waiting.message and "办件查询" in waiting.remedy.text
    assert committed.decision.documents == ("acceptance_notice", "receipt")
    assert committed.case.summary["decided_outcome"] == "approved"
    assert session.live == {}  # the worker's answers come back in `committed`, not in the session


def test_an_office_approved_case_no_longer_blocks_the_cases_after_it(
    services: KioskServices, tmp_path: Path
) -> None:
    office, first, second = three_waiting(services)
    assert issue_waiting_licences(services.journey) == []  # no block yet: all keep waiting
    assert services.cases.waiting_for_licence_numbers() == [office, first, second]

    assert add_licence_block(services.store, "B-LATE-1", 20_000, 20_002)
    issued = issue_waiting_licences(services.journey)
    assert [r.id for r in issued] == [office, first, second]  # oldest first
    assert [r.summary["licence_serial"] for r in issued] == [20_000, 20_001, 20_002]
    codes = [r.summary["credit_code"] for r in issued]
    assert codes == [code_of(services, s) for s in (20_000, 20_001, 20_002)] and len(set(codes)) == 3
    assert all("pending_reason" not in r.summary for r in issued)
    assert all(registered(services, code) for code in codes)  # the registry effects applied
    assert services.cases.waiting_for_licence_numbers() == []
    assert issue_waiting_licences(services.journey) == []  # nothing twice
    assert licence_serials_left(services.store) == 0

    approved, *accepted = issued
    assert approved.state is CaseState.APPROVED_BY_OFFICE and approved.outcome == "approved_by_office"
    assert approved.summary["office"]["reference"] == "REF-1"
    assert [(r.state, r.outcome) for r in accepted] == [(CaseState.PRINT_PENDING, "approved")] * 2
    for record, code in zip(issued, codes, strict=True):  # the centre hears of each number once
        [action] = licence_actions(services, record.id)
        assert action["credit_code"] == code and action["outcome"] == record.outcome

    # 自助打证: the resident finds the case printable and prints the licence with its number.
    resident = demo_residents()["dishonest"][1]
    [status] = [s for s in statuses(services.cases, resident.id_number) if s.case_id == office]
    assert status.printable
    result = services.journey.issue(services.cases.get(office))
    assert "营业执照" in result.documents and result.credit_code == codes[0]
    assert (tmp_path / "spool" / f"licence-{codes[0]}.pdf").exists()
    assert services.cases.get(office).state is CaseState.ISSUED


def test_a_block_too_small_numbers_the_oldest_and_the_next_block_the_rest(services: KioskServices) -> None:
    office, first, second = three_waiting(services)

    assert add_licence_block(services.store, "B-LATE-1", 30_000, 30_000)
    [only] = issue_waiting_licences(services.journey)
    assert only.id == office and only.summary["licence_serial"] == 30_000
    assert only.state is CaseState.APPROVED_BY_OFFICE and "pending_reason" not in only.summary
    assert services.cases.waiting_for_licence_numbers() == [first, second]
    for case_id in (first, second):  # untouched: no number, still waiting, nothing told the centre
        case = services.cases.get(case_id)
        assert case.state is CaseState.AWAITING_REVIEW and case.outcome == "accepted_pending"
        assert case.summary["pending_reason"] == LICENCE_WAIT and "licence_serial" not in case.summary
        assert licence_actions(services, case_id) == []

    assert add_licence_block(services.store, "B-LATE-2", 30_001, 30_004)
    rest = issue_waiting_licences(services.journey)
    assert [(r.id, r.summary["licence_serial"]) for r in rest] == [(first, 30_001), (second, 30_002)]
    assert all(r.state is CaseState.PRINT_PENDING for r in rest)
    assert services.cases.waiting_for_licence_numbers() == []
    assert licence_serials_left(services.store) == 2


@pytest.mark.parametrize("meanwhile", ["returned", "approved_with_a_number"])
def test_a_case_that_stopped_waiting_is_passed_over_and_the_round_goes_on(
    services: KioskServices, monkeypatch: pytest.MonkeyPatch, meanwhile: str
) -> None:
    use_up_every_number(services)
    first = waiting_registration(services, "adult", "晨曦")
    second = waiting_registration(services, "elder", "顺达")
    assert add_licence_block(services.store, "B-LATE-1", 40_000, 40_001)
    listed = services.cases.waiting_for_licence_numbers

    def listed_then_office_decides() -> list[str]:
        """The oldest case stops waiting between the listing and its number being issued."""
        waiting = listed()
        if meanwhile == "returned":
            apply_office_decision(services.journey, first, False, "请到窗口补充材料", "REF-R")
        else:  # the office approved it with a number in hand: it took the block's first serial
            apply_office_decision(services.journey, first, True, "", "REF-A")
        return waiting

    monkeypatch.setattr(services.cases, "waiting_for_licence_numbers", listed_then_office_decides)
    [issued] = issue_waiting_licences(services.journey)
    monkeypatch.undo()

    assert issued.id == second and issued.state is CaseState.PRINT_PENDING
    passed_over = services.cases.get(first)
    assert licence_actions(services, first) == []  # nothing issued late for it
    if meanwhile == "returned":
        assert passed_over.state is CaseState.RETURNED_BY_OFFICE
        assert "licence_serial" not in passed_over.summary
        assert issued.summary["licence_serial"] == 40_000 and licence_serials_left(services.store) == 1
    else:  # numbered once, by the office decision; never a second number
        assert passed_over.state is CaseState.APPROVED_BY_OFFICE
        assert passed_over.summary["licence_serial"] == 40_000
        assert passed_over.summary["credit_code"] == code_of(services, 40_000)
        assert issued.summary["licence_serial"] == 40_001 and licence_serials_left(services.store) == 0
    assert services.cases.waiting_for_licence_numbers() == []

    # Asked directly: not waiting is told apart from no serial left, and neither takes a serial.
    left = licence_serials_left(services.store)
    late = issue_waiting_licence(services.journey, first, catalogue()[ITEM])
    assert late.status is LateLicenceStatus.NOT_WAITING and late.record is None
    assert licence_serials_left(services.store) == left


def test_no_serial_left_is_told_apart_from_not_waiting(services: KioskServices) -> None:
    use_up_every_number(services)
    case_id = waiting_registration(services, "adult", "晨曦")
    late = issue_waiting_licence(services.journey, case_id, catalogue()[ITEM])
    assert late.status is LateLicenceStatus.NO_SERIAL_LEFT and late.record is None
    assert services.cases.waiting_for_licence_numbers() == [case_id]
    missing = issue_waiting_licence(services.journey, "no-such-case", catalogue()[ITEM])
    assert missing.status is LateLicenceStatus.NOT_WAITING


def test_a_resident_approved_while_numbers_are_used_up_takes_an_acceptance_notice_then_the_licence(
    services: KioskServices,
) -> None:
    """No licence without a number and no printer fault either: the resident at the screen gets
    an acceptance notice saying the licence follows, 办件查询 does not offer a print until the
    number comes, and then the licence prints through 自助打证."""
    use_up_every_number(services)
    decision, case = commit(services, ITEM, "adult", {**REGISTRATION, "trade_name": "晨曦"})
    assert decision.outcome == "approved" and case.outcome == "accepted_pending"
    issued = services.journey.issue(case)
    assert not issued.problems, issued.problems
    assert [r.kind for r in issued.rendered] == ["acceptance_notice"]
    assert services.cases.get(case.id).state is CaseState.AWAITING_REVIEW
    adult_id = demo_residents()["adult"][1].id_number
    (status,) = statuses(services.cases, adult_id, case.number)
    assert not status.printable and "执照编号下发后" in status.next_step

    assert add_licence_block(services.store, "B-LATE-9", 40_000, 40_000)
    (numbered,) = issue_waiting_licences(services.journey)
    (status,) = statuses(services.cases, adult_id, case.number)
    assert status.printable
    printed = services.journey.issue(numbered)
    assert [r.kind for r in printed.rendered] == ["business_licence"]
    assert printed.credit_code == numbered.summary["credit_code"]
