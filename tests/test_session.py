import pytest

from devices.demo_residents import demo_residents
from forms.catalogue import load_catalogue
from kiosk.core.session import FlowError, Screen, Session
from tests.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock) -> Session:
    return Session(idle_seconds=60, countdown_seconds=10, clock=clock)


def to_form(session: Session) -> None:
    session.start()
    session.choose_item(load_catalogue()["individual-business-registration"])
    session.identified(demo_residents()["adult"][1])
    session.accept_guide()


def test_the_card_prefills_the_form(session: Session) -> None:
    to_form(session)
    assert session.answers["operator_name"] == "王建国"
    assert session.answers["operator_id_number"] == demo_residents()["adult"][1].id_number


def test_the_card_address_is_only_offered_until_the_resident_taps_it(session: Session) -> None:
    to_form(session)
    assert "premises" not in session.answers  # where the business is, the resident says
    assert session.suggestions["premises"].startswith("山东省淄博市")
    session.use_suggestion("premises")
    assert session.answers["premises"] == session.suggestions["premises"]
    with pytest.raises(FlowError):
        session.use_suggestion("phone")  # nothing is offered for it


def test_a_page_with_problems_stays_and_focuses_the_first_problem(session: Session) -> None:
    to_form(session)
    assert not session.next_page(
        {"phone": "请填写“联系电话”。", "organisation_type": "请选择“组成形式”。"}, 1
    )
    assert session.focus_field == "phone" and session.page_index == 0
    session.set_answer("phone", "13912345678")
    assert "phone" not in session.field_errors
    assert session.next_page({}, 2) and session.page_index == 2  # the journey may skip a hidden page
    assert session.next_page({}, None) and session.screen is Screen.REVIEW


def test_methods_on_the_wrong_screen_raise(session: Session) -> None:
    with pytest.raises(FlowError):
        session.accept_guide()


def test_idle_countdown_then_expiry(session: Session, clock: FakeClock) -> None:
    to_form(session)
    clock.now += 59
    assert not session.idle().counting_down
    clock.now += 3
    state = session.idle()
    assert state.counting_down and state.seconds_left == 8 and not state.expired
    session.touch()
    assert not session.idle().counting_down
    clock.now += 71
    assert session.idle().expired


def test_home_never_times_out(session: Session, clock: FakeClock) -> None:
    clock.now += 10_000
    assert not session.idle().counting_down


def test_reset_forgets_everything_personal(session: Session) -> None:
    to_form(session)
    session.set_answer("phone", "13912345678")
    session.reset()
    assert session.screen is Screen.HOME
    assert session.identity is None and session.answers == {} and session.item is None
    assert session.decision is None and session.result == {}


def test_back_from_the_first_page_returns_to_the_items_without_personal_data(session: Session) -> None:
    to_form(session)
    session.back(None)
    assert session.screen is Screen.ITEMS and session.identity is None


def test_typing_the_identity_is_only_for_items_with_a_face_photo(session: Session) -> None:
    session.start()
    session.choose_item(load_catalogue()["individual-business-registration"])
    with pytest.raises(FlowError, match="manual entry"):
        session.identify_manually()
    session.reset()
    session.start()
    session.choose_item(load_catalogue()["temporary-identity-proof"])
    session.identify_manually()
    assert session.screen is Screen.MANUAL_ID
    session.back()
    assert session.screen is Screen.IDENTIFY


def test_a_field_answered_on_its_own_screen_comes_back_to_its_page(session: Session) -> None:
    to_form(session)
    session.page_index = 2
    session.start_capture("premises", Screen.ADDRESS)
    session.address_picked("淄川区般阳路街道东关村125号")
    assert session.screen is Screen.FORM and session.answers["premises"] == "淄川区般阳路街道东关村125号"
    session.start_capture("signature", Screen.SIGN)
    session.keep_capture("capture-a", "signature", b"png-1")
    session.start_capture("signature", Screen.SIGN)
    session.keep_capture("capture-b", "signature", b"png-2")  # signed again: the first is dropped
    assert session.answers["signature"] == "capture-b" and list(session.captures) == ["capture-b"]
    with pytest.raises(FlowError):
        session.start_capture("signature", Screen.REVIEW)


# ---- 人证核验: consent, the face check, the staff alternative -----------------------------
def to_consent(clock: FakeClock, item_id: str = "individual-business-registration") -> Session:
    session = Session(idle_seconds=60, countdown_seconds=10, clock=clock, face_checks=True)
    session.start()
    session.choose_item(load_catalogue()[item_id])
    session.identified(demo_residents()["adult"][1])
    return session


FACE_PASSED = {"method": "face", "passed": True, "score": 0.3, "threshold": 0.6}


def test_a_face_item_asks_consent_then_the_face_before_the_guide(clock: FakeClock) -> None:
    session = to_consent(clock)
    assert session.screen is Screen.CONSENT and session.identity_check is None
    session.consent_given()
    assert session.screen is Screen.FACE
    session.face_checked(FACE_PASSED, passed=True)
    assert session.screen is Screen.GUIDE and session.identity_check == FACE_PASSED


def test_an_item_without_the_assurance_goes_straight_to_its_guide(clock: FakeClock) -> None:
    session = to_consent(clock, "prepackaged-food-filing")
    assert session.screen is Screen.GUIDE and session.identity_check is None


def test_without_face_checks_the_journey_is_as_before(session: Session) -> None:
    session.start()
    session.choose_item(load_catalogue()["individual-business-registration"])
    session.identified(demo_residents()["adult"][1])
    assert session.screen is Screen.GUIDE


def test_three_failed_tries_offer_the_staff_alternative(clock: FakeClock) -> None:
    session = to_consent(clock)
    session.consent_given()
    failed = dict(FACE_PASSED, passed=False, score=0.9)
    assert session.face_checked(failed, passed=False) == 2
    assert session.face_checked(failed, passed=False) == 1
    assert session.screen is Screen.FACE
    assert session.face_checked(failed, passed=False) == 0
    assert session.screen is Screen.STAFF_CHECK and session.staff_reason == "face_failed"
    assert session.identity_check is None
    session.staff_confirmed({"method": "staff", "verified_by": "staff S001"})
    assert session.screen is Screen.GUIDE and session.identity_check["method"] == "staff"


def test_declining_consent_offers_the_staff_alternative_or_back(clock: FakeClock) -> None:
    session = to_consent(clock)
    session.consent_declined()
    assert session.screen is Screen.STAFF_CHECK and session.staff_reason == "declined"
    session.back()  # to the window instead: nothing kept
    assert session.screen is Screen.ITEMS and session.identity is None


def test_the_identity_check_is_forgotten_with_the_session(clock: FakeClock) -> None:
    session = to_consent(clock)
    session.consent_given()
    session.face_checked(FACE_PASSED, passed=True)
    session.reset()
    assert session.identity_check is None and session.face_tries == 0


def test_a_typed_identity_unmatched_goes_to_the_guide_for_an_officer_never_to_staff(clock: FakeClock) -> None:
    from kiosk.core.identity import ManualIdentity

    session = Session(idle_seconds=60, countdown_seconds=10, clock=clock, face_checks=True)
    session.start()
    session.choose_item(load_catalogue()["temporary-identity-proof"])
    session.identify_manually()
    card = demo_residents()["elder"][1]
    session.identified(ManualIdentity(card.name, card.id_number, card.birth_date, card.sex))
    assert session.screen is Screen.CONSENT and session.typed_identity()
    session.consent_given()
    failed = dict(FACE_PASSED, passed=False, score=0.9)
    for _ in range(3):
        session.face_checked(failed, passed=False)
    # No card for hall staff to hold against her: the officer compares the form's photo.
    assert session.screen is Screen.GUIDE
    check = session.identity_check
    assert check is not None and check["method"] == "none" and check["why"] == "face_failed"
    assert [f["score"] for f in check["face_failures"]] == [0.9, 0.9, 0.9]


def test_going_home_leaves_the_session_exactly_as_a_new_one(session: Session, clock: FakeClock) -> None:
    session.assisted_by, session.assistant_name = "ZC-07", "李娜"
    to_form(session)
    session.answers["trade_name"] = "华星"
    session.captures["t1"] = ("premises_photo", b"\xff\xd8")
    session.live["names"] = {"taken": False}
    session.face_tries = 2
    clock.now += 30
    session.reset()
    fresh = Session(idle_seconds=60, countdown_seconds=10, clock=clock)
    assert vars(session) == vars(fresh)


def test_a_certificate_printed_straight_away_goes_from_the_card_to_its_preset_choices(
    session: Session,
) -> None:
    session.start()
    session.choose_item(load_catalogue()["social-insurance-certificate"])
    session.identified(demo_residents()["elder"][1])
    assert session.screen is Screen.FORM and session.page_index == 0  # no guide first
    assert session.answers["certificate_type"] == "城乡居民养老保险参保证明"
    assert session.answers["period"] == "近12个月"
    session.set_answer("period", "近36个月")  # a preset is only a preset
    assert session.answers["period"] == "近36个月"


def test_an_item_with_a_guide_still_shows_it_first(session: Session) -> None:
    session.start()
    session.choose_item(load_catalogue()["individual-business-registration"])
    session.identified(demo_residents()["adult"][1])
    assert session.screen is Screen.GUIDE


def test_revise_from_the_review_keeps_every_answer(session: Session) -> None:
    to_form(session)
    session.set_answer("phone", "13912345678")
    session.screen = Screen.REVIEW
    session.revise(1)
    assert session.screen is Screen.FORM and session.page_index == 1
    assert session.answers["phone"] == "13912345678"
    session.screen = Screen.REVIEW
    with pytest.raises(FlowError):
        session.revise(99)
