"""人证核验 through the QML UI on simulated devices: an item that asks for it shows the consent
and the face screens after the card; the simulated camera plays the card holder blinking and
turning; a declined consent goes to the hall staff's card and PIN; the case records how the
resident was matched, and nothing of the face frames or the card photo reaches the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.demo_residents import demo_residents
from devices.face.photo import JPEG_MAGIC, PNG_MAGIC
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import (
    STAFF_ID,
    STAFF_PIN,
    business_page,
    operator_page,
    premises_page,
    staff_confirm,
    to_consent,
)
from kiosk.services import KioskServices
from kiosk.ui.app import LANDSCAPE, PORTRAIT
from tests.test_ui_journey import open_driver
from tests.test_ui_touch_targets import sized_driver


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


@pytest.fixture
def central_database() -> None:
    """The terminal is under test here."""
    return None


def card_at_consent(driver: UiDriver, resident: str) -> None:
    to_consent(driver, resident)
    texts = " ".join(i.property("text") or "" for i in driver.items() if isinstance(i.property("text"), str))
    assert "删除" in texts and "工作人员" in texts  # the images are deleted; the alternative


def register_to_decision(driver: UiDriver, pinyin: str, trade_name: str) -> dict:
    driver.click("guideAccept")
    driver.wait_screen("form")
    operator_page(driver)
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("2"), "the business page")
    business_page(driver, pinyin, trade_name)
    premises_page(driver)
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    return driver.controller.decision


def test_consent_then_the_live_face_then_the_guide_recorded_on_the_case(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    card_at_consent(driver, "elder")  # 李秀兰's card carries a photo; the camera plays her face
    driver.click("consentAgree")
    driver.wait_screen("face")
    driver.wait_item("faceOval")
    prompts = driver.controller.face_check.prompts
    assert sorted(prompts) == sorted(["请眨一下眼睛", "请慢慢向左或向右转一下头"])
    first = "blink" if prompts[0] == "请眨一下眼睛" else "turn"  # said in the order shown
    assert driver.controller.voice.played[-2:] == ["consent", f"face_{first}_first"]
    driver.wait_until(lambda: driver.controller.screen == "guide", "the comparison", timeout=90)
    check = driver.controller.session.identity_check
    assert check["method"] == "face" and check["passed"] and check["liveness"] == "passed"
    assert check["score"] < check["threshold"] and check["model_version"]

    decision = register_to_decision(driver, "huaxing", "华星")
    assert decision["outcome"] == "approved_on_commitment"
    [case] = services.cases.all()
    recorded = case.summary["identity_check"]
    assert recorded["method"] == "face" and recorded["score"] == check["score"]
    assert "verified_by" not in recorded

    # Nothing of the frames or the card photo is kept: no JPEG or PNG in the store's bytes
    # (the signature is a PNG kept as an attachment: only the face check's pictures are looked for).
    services.store.conn.commit()
    raw = b"".join(p.read_bytes() for p in services.store.path.parent.glob(services.store.path.name + "*"))
    assert JPEG_MAGIC not in raw
    signatures = services.store.conn.execute("SELECT count(*) FROM attachments").fetchone()[0]
    assert raw.count(PNG_MAGIC) <= signatures
    # Nor anywhere else the terminal writes (its data folder: store, logs, keys; the print
    # spool): not the card's photo, not a JPEG (the spool's PNGs are receipt previews).
    photo = demo_residents()["elder"][1].photo
    roots = (services.config.data_dir, tmp_path / "spool")
    written = [p for root in roots for p in root.rglob("*") if p.is_file()]
    assert written and all(photo[100:400] not in p.read_bytes() for p in written)
    assert not [p for p in written if p.read_bytes().startswith(JPEG_MAGIC)]


def test_declined_consent_goes_to_the_staff_card_and_pin_and_is_audited(
    driver: UiDriver, services: KioskServices
) -> None:
    card_at_consent(driver, "elder")
    driver.click("consentDecline")
    driver.wait_screen("staff_check")
    # A PIN without the staff card on the reader does not unlock.
    for digit in STAFF_PIN:
        driver.click(f"staffPinKey_{digit}")
    driver.click("staffPinKey_ok")
    driver.wait_until(lambda: not driver.controller.busy, "the PIN check")
    assert driver.controller.screen == "staff_check" and "工作人员卡" in driver.controller.notice
    staff_confirm(driver)
    driver.wait_screen("guide")
    check = driver.controller.session.identity_check
    assert check["method"] == "staff" and check["why"] == "declined"

    decision = register_to_decision(driver, "xingchen", "星辰")
    assert decision["outcome"] == "approved_on_commitment"
    [case] = services.cases.all()
    assert case.summary["identity_check"]["verified_by"] == f"staff {STAFF_ID}"
    rows = services.store.conn.execute(
        "SELECT actor FROM audit_log WHERE action = 'identity_checked_by_staff'"
    ).fetchall()
    assert [tuple(r) for r in rows] == [(STAFF_ID,)]


def test_the_window_instead_ends_the_session(driver: UiDriver) -> None:
    card_at_consent(driver, "elder")
    driver.click("consentDecline")
    driver.click("toWindow")
    driver.wait_screen("home")
    assert driver.controller.session.identity is None


def _fail_once(driver: UiDriver) -> str:
    driver.wait_screen("face")
    driver.wait_until(
        lambda: driver.controller.face_check.state == "failed" or driver.controller.screen != "face",
        "the comparison",
        timeout=90,
    )
    return driver.controller.face_check.message


def test_a_held_up_photo_fails_liveness_and_may_try_again(driver: UiDriver, services: KioskServices) -> None:
    driver.dock.devFaceScene("photo")
    card_at_consent(driver, "elder")
    driver.click("consentAgree")
    message = _fail_once(driver)
    assert driver.controller.screen == "face" and "还可以再试2次" in message
    [failure] = driver.controller.session.face_failures
    assert failure["method"] == "face" and not failure["passed"] and failure["liveness"] != "passed"
    driver.dock.devFaceScene("holder")  # now she does the actions herself
    driver.click("faceRetry")
    driver.wait_until(lambda: driver.controller.screen == "guide", "the second try", timeout=90)
    assert driver.controller.session.identity_check["passed"]


def test_someone_else_fails_three_times_then_hall_staff(driver: UiDriver) -> None:
    driver.dock.devFaceScene("other")  # another person does the actions with her card
    card_at_consent(driver, "elder")
    driver.click("consentAgree")
    for left in (2, 1):
        message = _fail_once(driver)
        assert f"还可以再试{left}次" in message and "未能确认是本人" in message
        driver.click("faceRetry")
    driver.wait_until(lambda: driver.controller.screen == "staff_check", "the third try", timeout=90)
    failures = driver.controller.session.face_failures
    assert len(failures) == 3
    assert all(f["method"] == "face" and not f["passed"] and f["score"] > f["threshold"] for f in failures)
    assert driver.controller.session.identity is not None  # staff may still confirm; nothing lost
    staff_confirm(driver)
    driver.wait_screen("guide")
    check = driver.controller.session.identity_check
    assert check["verified_by"] == f"staff {STAFF_ID}" and check["why"] == "face_failed"
    assert [f["score"] for f in check["face_failures"]] == [f["score"] for f in failures]


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_card_consent_face_form_and_the_staff_way_in_every_layout(
    qapp, services: KioskServices, size: tuple[int, int], elder: bool
) -> None:
    """The card, the consent, the live face, the form; and a declined consent through hall
    staff: every control found and tapped in portrait and landscape, normal and elder mode."""
    for driver in sized_driver(services, size):
        _both_ways(driver, elder)


def _both_ways(driver: UiDriver, elder: bool) -> None:
    """Through the face check to the form, then home and through hall staff instead."""
    if elder:
        driver.click("elderToggle")
    card_at_consent(driver, "elder")
    driver.click("consentAgree")
    driver.wait_screen("face")
    driver.wait_item("faceOval")
    driver.wait_item("facingPicture")  # how to face the camera, drawn beside the prompts
    driver.wait_until(lambda: driver.controller.screen == "guide", "the comparison", timeout=90)
    assert driver.controller.session.identity_check["passed"]
    driver.click("guideAccept")
    driver.wait_screen("form")
    assert driver.controller.elderMode == elder
    driver.go_home()
    driver.dock.devRemoveCard()
    if elder and not driver.controller.elderMode:
        driver.click("elderToggle")
    card_at_consent(driver, "adult")
    driver.click("consentDecline")
    driver.wait_screen("staff_check")
    staff_confirm(driver)
    driver.wait_screen("guide")
    assert driver.controller.session.identity_check["verified_by"] == f"staff {STAFF_ID}"
