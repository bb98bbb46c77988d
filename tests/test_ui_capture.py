"""Material captured by the camera through the QML UI, on the simulated camera: the premises
document for a registration is photographed, straightened, checked by the resident, kept
encrypted with the case and approved on the spot; cancelling or a missing camera leaves the
form as it was and the case can still be accepted with the material to follow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.core import attachments
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import business_page, premises_page, to_business_page
from kiosk.services import KioskServices
from tests.test_ui_journey import open_driver


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def signature_digest(services: KioskServices, case_id: str) -> str:
    """The signature kept with the case (the page of material is the other attachment)."""
    [(digest,)] = services.store.conn.execute(
        "SELECT sha256 FROM attachments WHERE case_id = ? AND kind = 'signature'", (case_id,)
    ).fetchall()
    return digest


def to_premises_document(driver: UiDriver) -> None:
    to_business_page(driver)
    business_page(driver, "huaxing", "华星")
    premises_page(driver, "拍摄场所使用证明")
    driver.click("capture_premises_document")
    driver.wait_screen("capture")


def test_a_captured_premises_document_is_checked_kept_with_the_case_and_approves_it(
    driver: UiDriver, services: KioskServices
) -> None:
    to_premises_document(driver)
    assert driver.controller.capture.state == "watching"
    services.devices.camera_source.show_document()
    driver.wait_until(lambda: driver.controller.capture.state == "review", "the page to be taken")
    preview = driver.wait_item("capturePreview")
    driver.wait_until(lambda: preview.property("implicitWidth") > 0, "the straightened page to show")
    driver.click("useCaptureButton")
    driver.wait_screen("form")
    thumbnail = driver.wait_item("captured_premises_document")
    driver.wait_until(lambda: thumbnail.property("implicitWidth") > 0, "the thumbnail on the form")
    token = driver.controller.session.answers["premises_document"]
    assert token.startswith("capture-")

    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    assert driver.controller.decision["outcome"] == "approved"  # 秒批: no commitment, no waiting
    [case] = services.cases.all()
    digest = token.removeprefix("capture-")
    assert set(attachments.waiting(services.store)) == {digest, signature_digest(services, case.id)}
    kind, sealed = services.store.conn.execute(
        "SELECT kind, sealed FROM attachments WHERE sha256 = ?", (digest,)
    ).fetchone()
    assert kind == "document_page" and not sealed.startswith(b"\xff\xd8")  # not a JPEG in clear
    assert services.store.cipher.open_bytes(sealed, digest).startswith(b"\xff\xd8")
    driver.click("printButton")
    driver.wait_screen("rating")
    driver.click("skipRatingButton")
    driver.wait_screen("done")
    driver.click("homeButton")
    driver.wait_screen("home")
    assert driver.controller.session.captures == {} and driver.controller.capture.picture(token) is None


def test_cancelling_the_capture_returns_to_the_form_unanswered(driver: UiDriver) -> None:
    to_premises_document(driver)
    driver.click("cancelCaptureButton")
    driver.wait_screen("form")
    assert not driver.controller.session.answers.get("premises_document")
    assert driver.controller.capture.state == ""


def test_without_a_camera_the_resident_is_told_and_the_case_is_accepted_with_material_to_follow(
    driver: UiDriver,
) -> None:
    driver.dock.devPlug("camera", False)
    to_premises_document(driver)
    driver.wait_until(lambda: driver.controller.capture.state == "failed", "the capture to give up")
    assert "摄像头暂时无法使用" in driver.wait_item("captureMessage").property("text")
    driver.click("cancelCaptureButton")
    driver.wait_screen("form")
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    assert driver.controller.decision["outcome"] == "accepted_pending"


def test_back_from_the_camera_the_keyboard_stays_closed(driver: UiDriver, services: KioskServices) -> None:
    from PySide6.QtGui import QGuiApplication

    to_premises_document(driver)
    services.devices.camera_source.show_document()
    driver.wait_until(lambda: driver.controller.capture.state == "review", "the page to be taken")
    driver.click("useCaptureButton")
    driver.wait_screen("form")
    assert not QGuiApplication.inputMethod().isVisible()
