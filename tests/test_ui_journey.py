"""The resident journey through the real QML UI, offscreen, on simulated devices."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject

from kiosk.core.lifecycle import CaseState
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import (
    SIGNATURE_STROKES,
    ScreenshotSeries,
    business_page,
    pass_face_check,
    premises_page,
    registration_journey,
    to_business_page,
)
from kiosk.services import KioskServices
from kiosk.ui.app import KioskWindow, application, cjk_family, has_bold_face, open_window
from sync import outbox
from tests.clock import FakeClock


def open_driver(services: KioskServices) -> Iterator[UiDriver]:
    """A window on `services` whose idle countdown runs on a fake clock: it moves only when a
    test walks the resident away (`walk_away`), never because a slow machine took its time."""
    clock = FakeClock(time.monotonic())
    kiosk: KioskWindow = open_window(services.config, lambda: services, clock=clock)
    driver = UiDriver(kiosk)
    driver.wait_ready()
    yield driver
    kiosk.close()
    # Free this window's objects now, at a quiet point, not whenever a later garbage collection
    # happens to run. (Properties read as undefined in a later window were a meta-object freed
    # with its object: see test_qt_bridge.test_no_kiosk_object_gets_a_meta_object_of_its_own.)
    del driver, kiosk
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def walk_away(driver: UiDriver, seconds: float) -> None:
    """Nobody touches the screen for `seconds`; the idle check runs now."""
    clock = driver.controller.session.clock
    assert isinstance(clock, FakeClock)
    clock.now += seconds
    driver.controller.tick()


def qml_property_values(obj: QObject) -> dict[str, object]:
    """Every property `obj`'s class declares for QML, as QML reads it now."""
    meta = obj.metaObject()
    names = [meta.property(i).name() for i in range(meta.propertyOffset(), meta.propertyCount())]
    return {name: obj.property(name) for name in names}


def every_controller_property(driver: UiDriver) -> dict[str, dict[str, object]]:
    """What QML reads from each controller now, by the controller's name in QML."""
    return {name: qml_property_values(bound) for name, bound in driver.controller.controllers().items()}


def without_terminal_state(values: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    """The properties about the resident's session: the network's state belongs to the terminal."""
    return {
        name: {prop: value for prop, value in props.items() if prop != "networkState"}
        for name, props in values.items()
    }


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def walk_to_business_page(driver: UiDriver, resident: str = "adult") -> None:
    to_business_page(driver, resident)


def fill_business_page(driver: UiDriver, pinyin: str, trade_name: str) -> None:
    """The business page, then the premises commitment, and on to the review."""
    business_page(driver, pinyin, trade_name)
    premises_page(driver)
    driver.click("nextButton")


def test_a_cjk_font_is_installed_and_used(qapp) -> None:
    assert cjk_family() == "Noto Sans CJK SC"
    assert application().font().family() == cjk_family()


def test_titles_are_bold_from_a_real_bold_face(qapp) -> None:
    """Page titles must stand out from field labels: the UI font ships a bold face."""
    assert has_bold_face(cjk_family())
    assert not has_bold_face("WenQuanYi Micro Hei")


def test_the_whole_registration_journey_through_the_qml_ui(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    at_start = every_controller_property(driver)
    shots: list[Path] = []
    series = ScreenshotSeries(driver, tmp_path, "portrait", shots)
    clock = driver.controller.session.clock
    assert isinstance(clock, FakeClock)

    def shot_and_read(name: str) -> None:  # the resident spends 20 s on each screen
        series(name)
        clock.now += 20

    registration_journey(driver, shot_and_read)
    # 16 screens: the demo adult's card has no photo, so consent and the hall staff's check.
    assert len(shots) == 16 and all(p.stat().st_size > 10_000 for p in shots)

    [case] = services.cases.all()
    assert case.state is CaseState.ISSUED and case.outcome == "approved_on_commitment"
    check = case.summary["identity_check"]
    assert check["method"] == "staff" and check["why"] == "no_photo" and check["verified_by"] == "staff ZC-07"
    events = dict(services.cases.events(case.id))
    # The commitment names the signature drawn on the form, which is kept with the case.
    signature = events["commitment_accepted"]["signatures"]["signature"]
    kinds = dict(services.store.conn.execute("SELECT sha256, kind FROM attachments WHERE case_id = ?", (case.id,)))
    assert kinds == {signature: "signature"}
    assert events["rated"]["level"] == 5 and events["rated"]["reasons"] == ["一次办好"]
    # From the start button to the rating: 20 s on each screen shown after home, up to the rating's.
    rating_shot = next(i for i, path in enumerate(shots) if path.name.endswith("-rating.png"))
    assert events["rated"]["journey_seconds"] == 20 * rating_shot
    entries = outbox.entries_for_case(services.store.conn, case.id)
    assert [(e.kind, e.state) for e in entries] == [("case", "pending"), ("rating", "pending")]
    assert services.cases.personal(case.id)["answers"]["trade_name"] == "华星"
    spool = tmp_path / "spool"
    assert len(list(spool.glob("licence-92370302*.pdf"))) == 1
    assert len(list(spool.glob(f"receipt-{case.number}.escpos"))) == 1
    # Back home: nothing of the resident is left in the controller. Every property the screens
    # read is as it was before the resident came (a property that hides its state behind the
    # screen it belongs to would pass a check of that property alone).
    assert driver.controller.screen == "home"
    after = every_controller_property(driver)
    assert set(after) >= {"controller", "identity", "faceCheck", "capture", "issuing", "simulators"}
    assert without_terminal_state(after) == without_terminal_state(at_start)
    assert driver.controller.session.identity is None and driver.controller.session.answers == {}


def test_needs_fixing_leads_back_to_the_field_and_then_succeeds(
    driver: UiDriver, services: KioskServices
) -> None:
    walk_to_business_page(driver)
    fill_business_page(driver, "zhonghua", "中华")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    assert driver.controller.decision["outcome"] == "needs_fixing"
    assert services.cases.all() == []  # nothing is recorded for a case the resident must fix
    # The way on is in the bar; leaving is the header's 回首页, which asks, not a bar button.
    assert driver.find("homeButton") is None
    driver.click("headerHome")
    driver.wait_until(lambda: driver.controller.leaveAsked, "the question before leaving")
    driver.click("stayButton")
    driver.wait_until(lambda: not driver.controller.leaveAsked, "the question gone")
    assert driver.controller.screen == "decision"

    driver.click("fixButton")  # the first problem's field, as its own 去修改 would
    driver.wait_screen("form")
    field = driver.wait_item("field_trade_name")
    assert driver.controller.pageNumber.startswith("2") and field.property("activeFocus")
    driver.erase("field_trade_name", 2)
    driver.type_pinyin("field_trade_name", "huaxing", "华星")
    driver.hide_keyboard()
    driver.click("nextButton")
    driver.wait_until(
        lambda: driver.controller.pageNumber.startswith("3"), "the premises page, still answered"
    )
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    assert driver.controller.decision["outcome"] == "approved_on_commitment"
    assert [c.outcome for c in services.cases.all()] == ["approved_on_commitment"]


def test_an_idle_timeout_mid_form_returns_home_and_wipes_the_session(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    walk_to_business_page(driver)
    timeouts = services.config.timeouts
    walk_away(driver, timeouts.idle_seconds)
    driver.wait_item("countdownOverlay")
    assert driver.controller.countingDown and driver.controller.idleSecondsLeft == timeouts.countdown_seconds
    driver.screenshot(tmp_path / "countdown.png")
    walk_away(driver, timeouts.countdown_seconds - 1)
    assert driver.controller.screen == "form" and driver.controller.idleSecondsLeft == 1
    walk_away(driver, 1)
    driver.wait_screen("home")
    session = driver.controller.session
    assert session.identity is None and session.answers == {}
    assert not driver.find("countdownOverlay")


def test_continue_on_the_countdown_keeps_the_resident_where_they_were(
    driver: UiDriver, services: KioskServices
) -> None:
    walk_to_business_page(driver)
    walk_away(driver, services.config.timeouts.idle_seconds)
    driver.click("continueButton")
    assert not driver.controller.countingDown
    walk_away(driver, services.config.timeouts.countdown_seconds)  # the continue restarted the timer
    assert driver.controller.screen == "form" and not driver.controller.countingDown
    assert driver.controller.session.answers["phone"] == "13912345678"


def test_a_damaged_card_gets_a_clear_message_and_the_resident_can_try_again(driver: UiDriver) -> None:
    driver.click("startButton")
    driver.click("item_individual-business-registration")
    driver.wait_screen("identify")
    driver.dock.devDamagedCard()
    driver.wait_until(lambda: "无法读取" in driver.controller.notice, "the card error message")
    driver.dock.devInsertCard("adult")
    pass_face_check(driver)


def test_a_card_pulled_away_during_the_read_says_so_and_the_next_try_works(
    driver: UiDriver, services: KioskServices
) -> None:
    driver.click("startButton")
    driver.click("item_individual-business-registration")
    driver.wait_screen("identify")
    services.devices.id_card.pull_during_next_read()
    driver.dock.devInsertCard("adult")
    notice = driver.wait_item("identifyNotice")
    driver.wait_until(lambda: "被移开" in notice.property("text"), "the message about the moved card")
    assert driver.controller.screen == "identify" and driver.controller.session.identity is None
    driver.dock.devInsertCard("adult")
    pass_face_check(driver)


def test_the_card_taken_away_or_swapped_mid_form_changes_nothing_and_the_case_is_its_holders(
    driver: UiDriver, services: KioskServices
) -> None:
    walk_to_business_page(driver)
    driver.dock.devRemoveCard()  # the resident pockets the card: it has been read
    driver.dock.devInsertCard("dishonest")  # someone else's card on the reader meanwhile
    fill_business_page(driver, "huaxing", "华星")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    assert driver.controller.decision["outcome"] == "approved_on_commitment"  # not 钱志强's review
    driver.click("commitButton")
    driver.wait_screen("rating")
    [case] = services.cases.all()
    assert services.cases.personal(case.id)["applicant"]["name"] == "王建国"


def test_an_identity_the_item_does_not_take_says_which_it_does(driver: UiDriver) -> None:
    driver.click("startButton")
    driver.click("item_individual-business-registration")
    driver.wait_screen("identify")
    assert "社会保障卡" not in driver.wait_item("identifyAlternatives").property("text")
    driver.dock.devInsertSsCard("adult")
    driver.wait_until(lambda: "居民身份证或电子身份证二维码" in driver.controller.notice, "the ways it takes")
    assert driver.controller.screen == "identify" and driver.controller.session.identity is None
    driver.dock.devRemoveSsCard()
    driver.dock.devInsertCard("adult")
    pass_face_check(driver)


def test_a_scribble_is_not_a_signature_and_the_pad_says_so(driver: UiDriver) -> None:
    walk_to_business_page(driver)
    business_page(driver, "huaxing", "华星")
    driver.click("sign_signature")
    driver.wait_screen("sign")
    driver.draw("signaturePad", [[(0.5, 0.5), (0.52, 0.5)]])
    driver.click("keepSignButton")
    driver.wait_until(lambda: "签名太短" in driver.wait_item("signMessage").property("text"), "the refusal")
    assert driver.controller.screen == "sign"
    driver.click("clearSignButton")
    driver.draw("signaturePad", SIGNATURE_STROKES)
    driver.click("keepSignButton")
    driver.wait_screen("form")
    token = driver.controller.session.answers["signature"]
    kind, png = driver.controller.session.captures[token]
    assert kind == "signature" and png.startswith(b"\x89PNG")


def test_a_printer_out_of_paper_keeps_the_case_and_says_what_to_do(
    driver: UiDriver, services: KioskServices
) -> None:
    driver.dock.devDocumentPrinter("no_paper")
    registration_journey_until_printed(driver)
    [case] = services.cases.all()
    assert case.state is CaseState.PRINT_PENDING
    assert any(p.startswith("打印机缺纸，营业执照已办结保存") for p in driver.controller.issuing.result["problems"])


def test_paper_out_is_seen_to_before_the_rating_and_prints_again_once_refilled(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    """No rating is asked while the licence is not in the tray: the resident prints again once
    staff have put paper in (or chooses to take it later), then rates."""
    driver.dock.devDocumentPrinter("no_paper")
    registration_journey_until_printed(driver)
    assert driver.wait_item("printAgainButton").isVisible()
    assert not any(driver.find(n) and driver.find(n).isVisible() for n in ("rate_5", "submitRatingButton"))
    driver.click("printAgainButton")  # still no paper: the same problem, the case still waiting
    driver.wait_until(lambda: not driver.controller.busy, "the second try")
    [case] = services.cases.all()
    assert services.cases.get(case.id).state is CaseState.PRINT_PENDING
    assert driver.wait_item("printAgainButton").isVisible()
    driver.dock.devDocumentPrinter("idle")  # staff refilled the paper
    driver.click("printAgainButton")
    driver.wait_until(lambda: not driver.controller.issuing.result["problems"], "printed this time")
    assert services.cases.get(case.id).state is CaseState.ISSUED
    code = services.cases.get(case.id).summary["credit_code"]
    assert (tmp_path / "spool" / f"licence-{code}.pdf").exists()
    driver.click("rate_5")
    driver.click("submitRatingButton")
    driver.wait_screen("done")


def registration_journey_until_printed(driver: UiDriver) -> None:
    """Register 华星百货店 up to the rating screen, which shows once printing has finished."""
    walk_to_business_page(driver)
    fill_business_page(driver, "huaxing", "华星")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    driver.click("commitButton")
    driver.wait_screen("rating")


def test_a_fault_while_deciding_returns_to_the_review_with_the_answers_kept(
    driver: UiDriver, services, monkeypatch
):
    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(services.journey.engine, "assess", broken)  # the rules, mid-decision
    walk_to_business_page(driver)
    fill_business_page(driver, "huaxing", "华星")
    driver.click("submitButton")
    driver.wait_item("reviewNotice")
    assert driver.controller.screen == "review"
    assert driver.controller.session.answers["trade_name"] == "华星"
    assert services.cases.all() == []


def test_a_fault_while_printing_keeps_the_case_and_marks_it_to_print_later(
    driver: UiDriver, services, monkeypatch
):
    def broken(pdf, name):
        raise RuntimeError("printer driver crashed")

    monkeypatch.setattr(services.devices.document_printer, "print_pdf", broken)
    registration_journey_until_printed(driver)
    [case] = services.cases.all()
    assert case.state is CaseState.PRINT_PENDING
    assert "办件已保存" in driver.controller.issuing.result["problems"][0]
    assert driver.controller.issuing.result["caseNumber"] == case.number


def test_a_pilot_credit_code_is_warned_about_once_then_the_licence_prints(
    driver: UiDriver, services, tmp_path
):
    import json

    from devices.demo_residents import demo_residents
    from forms.reference import id_hash

    pilot = "9144030071526726XA"  # well formed, fails its check character: legal for early pilots
    adult = demo_residents()["adult"][1]
    with services.store.transaction() as conn:
        conn.execute(
            "INSERT INTO business_registry(credit_code, name, operator_id_hash, industry, scope, premises, status,"
            " registered_on) VALUES (?,?,?,?,?,?, 'active', '2015-06-01')",
            (
                pilot,
                "淄川区老字号杂货店",
                id_hash(adult.id_number),
                "百货",
                json.dumps(["F1201"]),
                "淄川区东关村1号",
            ),
        )
    driver.click("startButton")
    driver.click("item_licence-print")
    driver.wait_screen("identify")
    driver.dock.devInsertCard("adult")
    pass_face_check(driver)
    driver.wait_screen("form")  # a licence reprint: straight to its page, no guide first
    driver.controller.setAnswer("credit_code", pilot)
    driver.click("choice_purpose_遗失补打")
    driver.click("nextButton")
    assert driver.wait_item("warning_credit_code") and driver.controller.screen == "form"
    driver.click("nextButton")  # seen: the second press (打印) goes on, and prints once approved
    driver.wait_screen("rating")
    assert driver.controller.decision["outcome"] == "approved"
    assert driver.controller.issuing.result["creditCode"] == pilot
    assert (tmp_path / "spool" / f"licence-{pilot}.pdf").exists()


def test_skipping_the_rating_records_none_and_says_thank_you(
    driver: UiDriver, services: KioskServices
) -> None:
    registration_journey_until_printed(driver)
    assert not driver.wait_item("submitRatingButton").property("enabled")  # a level comes first
    driver.click("skipRatingButton")
    driver.wait_screen("done")
    [case] = services.cases.all()
    assert "rated" not in dict(services.cases.events(case.id))
    assert [e.kind for e in outbox.entries_for_case(services.store.conn, case.id)] == ["case"]


def test_a_poor_rating_offers_reasons_to_improve_and_is_kept(
    driver: UiDriver, services: KioskServices
) -> None:
    registration_journey_until_printed(driver)
    driver.click("rate_5")
    assert driver.find("reason_字太小") is None  # not offered with a good rating
    driver.click("rate_2")
    driver.click("reason_字太小")
    driver.click("reason_操作步骤多")
    driver.click("reason_字太小")  # changed their mind
    driver.click("submitRatingButton")
    driver.wait_screen("done")
    [case] = services.cases.all()
    rated = dict(services.cases.events(case.id))["rated"]
    assert (rated["level"], rated["reasons"]) == (2, ["操作步骤多"])


def test_walking_away_from_the_rating_screen_goes_home_and_keeps_no_rating(
    driver: UiDriver, services: KioskServices
) -> None:
    registration_journey_until_printed(driver)
    timeouts = services.config.timeouts
    walk_away(driver, timeouts.idle_seconds)  # the resident walks off here
    driver.wait_item("countdownOverlay")
    walk_away(driver, timeouts.countdown_seconds)
    driver.wait_screen("home")
    [case] = services.cases.all()
    assert "rated" not in dict(services.cases.events(case.id))
    assert driver.controller.issuing.result == {} and driver.controller.session.result == {}


def test_going_home_mid_item_asks_first_and_continuing_keeps_everything(
    driver: UiDriver, tmp_path: Path
) -> None:
    walk_to_business_page(driver)
    driver.click("headerHome")
    driver.wait_item("leaveOverlay")  # one tap does not throw the answers away
    assert driver.controller.screen == "form" and driver.controller.leaveAsked
    assert driver.screenshot(tmp_path / "leave.png").stat().st_size > 10_000
    driver.click("stayButton")
    driver.wait_until(lambda: driver.find("leaveOverlay") is None, "the question to close")
    assert driver.controller.screen == "form" and driver.controller.session.answers["phone"] == "13912345678"
    driver.click("headerHome")
    driver.click("leaveButton")
    driver.wait_screen("home")
    assert driver.controller.session.answers == {} and not driver.controller.leaveAsked


def test_going_home_from_the_item_list_asks_nothing(driver: UiDriver) -> None:
    driver.click("startButton")
    driver.wait_screen("items")
    driver.click("headerHome")
    driver.wait_screen("home")
    assert driver.find("leaveOverlay") is None
