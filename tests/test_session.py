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
