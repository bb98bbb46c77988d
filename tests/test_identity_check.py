"""人证核验 on the case: the summary of the face comparison or of the staff's check — never an
image — and the staff's confirmation in the audit log, behind the admin gate's card and PIN."""

from __future__ import annotations

import pytest

from devices.demo_residents import demo_residents
from devices.face.engine import FaceMatch
from devices.face.liveness import LivenessVerdict
from devices.face.verify import FaceVerification
from devices.staff_card import SimulatedStaffCard
from kiosk.admin.gate import AdminGate
from kiosk.admin.staff import StaffRegistry
from kiosk.admin.staff_check import confirm_by_staff
from kiosk.config import AdminConfig
from kiosk.core.audit import verify_audit
from kiosk.core.identity import Refused
from kiosk.core.identity_check import face_check
from kiosk.core.session import Screen, Session
from kiosk.services import KioskServices
from tests.clock import FakeClock
from tests.demo_data import catalogue, sign_every_signature_field

KEY = bytes(range(32))
ANSWERS = {
    "credit_code": "92370302MA000Y6G98",
    "reason": "停止经营",
    "debts_settled": True,
    "taxes_settled": True,
}
ITEM = "individual-business-deregistration"


def at_consent() -> Session:
    session = Session(90, 15, face_checks=True)
    session.start()
    session.choose_item(catalogue()[ITEM])
    session.identified(demo_residents()["adult"][1])
    assert session.screen is Screen.CONSENT
    return session


def commit(services: KioskServices, session: Session):
    sign_every_signature_field(session)
    session.answers.update(ANSWERS)
    decision = services.journey.decide(session)
    return services.journey.commit(session, decision)


def test_a_passed_face_check_is_summarised_on_the_case(services: KioskServices) -> None:
    session = at_consent()
    session.consent_given()
    verification = FaceVerification(
        FaceMatch(0.3141592, 0.6, True, "match", model_version="dlib-resnet-v1"),
        LivenessVerdict(True, "passed", order=("blink", "turn")),
        3,
    )
    session.face_checked(face_check(verification, at="2026-12-07T08:00:00"), verification.passed)
    assert session.screen is Screen.GUIDE
    session.accept_guide()
    case = commit(services, session)
    assert case.summary["identity_check"] == {
        "method": "face",
        "passed": True,
        "score": 0.3142,
        "threshold": 0.6,
        "model_version": "dlib-resnet-v1",
        "liveness": "passed",
        "at": "2026-12-07T08:00:00",
    }


def test_the_staff_alternative_unlocks_with_card_and_pin_and_is_audited(services: KioskServices) -> None:
    store = services.store
    StaffRegistry(store).add("ZC-07", "李娜", "staff", "428615", KEY)
    card = SimulatedStaffCard()
    gate = AdminGate(store, AdminConfig(), card, FakeClock(1_800_000_000.0))
    session = at_consent()
    session.consent_declined()
    no_card = confirm_by_staff(gate, "428615", ITEM, session.staff_reason)
    assert isinstance(no_card, Refused) and no_card.reason == "card_needed" and "工作人员卡" in no_card.message
    card.insert("ZC-07", KEY)
    wrong = confirm_by_staff(gate, "000000", ITEM, session.staff_reason)
    assert isinstance(wrong, Refused) and wrong.reason == "wrong_pin" and wrong.message
    record = confirm_by_staff(gate, "428615", ITEM, session.staff_reason)
    assert isinstance(record, dict) and record["verified_by"] == "staff ZC-07"
    session.staff_confirmed(record)
    session.accept_guide()
    case = commit(services, session)
    check = case.summary["identity_check"]
    assert check["method"] == "staff" and check["why"] == "declined" and check["verified_by"] == "staff ZC-07"
    rows = store.conn.execute(
        "SELECT actor, detail FROM audit_log WHERE action = 'identity_checked_by_staff'"
    ).fetchall()
    assert len(rows) == 1 and rows[0][0] == "ZC-07" and ITEM in rows[0][1]
    assert verify_audit(store.conn) is None


def test_a_face_item_is_never_stored_without_its_identity_check(services: KioskServices) -> None:
    """Defence in depth: the screens always pass through 人证核验, and the journey refuses to
    store a register-changing case whose session somehow skipped it."""
    from forms.catalogue import load_catalogue
    from kiosk.core.session import FlowError, Screen

    session = Session(60, 10, face_checks=True)
    session.start()
    session.choose_item(load_catalogue()["individual-business-registration"])
    session.identified(demo_residents()["adult"][1])
    assert session.screen is Screen.CONSENT
    session.screen = Screen.REVIEW  # as a flaw in the flow would
    decision = services.journey.decide(session)
    with pytest.raises(FlowError, match="人证核验"):
        services.journey.commit(session, decision)
    assert services.cases.all() == []
