"""Identifying through the QML UI by social-security card and by e-ID code (simulated reader and
camera, real OpenCV decoding), and what the resident is told when that goes wrong."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import pass_face_check
from kiosk.services import KioskServices
from kiosk.ui.app import LANDSCAPE, PORTRAIT, KioskWindow, open_window
from kiosk.ui.messages import QR_MESSAGES, SS_CARD_MESSAGES
from tests.ui_window import kiosk_window

SHOTS = os.environ.get("KIOSK_TEST_SHOTS")


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    kiosk: KioskWindow = open_window(services.config, lambda: services)
    driver = UiDriver(kiosk)
    driver.wait_ready()
    yield driver
    kiosk.close()


def to_identify(driver: UiDriver, item: str = "social-insurance-certificate") -> None:
    """The identify screen of an item every way identifies for (ID card, social-security card, e-ID)."""
    driver.click("startButton")
    driver.click(f"item_{item}")
    driver.wait_screen("identify")
    driver.click("devDockToggle")


def camera_open(services: KioskServices) -> bool:
    return services.devices.camera_source.is_open()


def test_a_social_security_card_identifies_the_resident(driver: UiDriver, services: KioskServices) -> None:
    to_identify(driver)
    driver.click("dev_ss_card_adult")
    pass_face_check(driver)
    identity = driver.controller.session.identity
    assert identity.name == "王建国" and identity.as_applicant()["identified_by"] == "social_security_card"


def test_an_e_id_code_shown_to_the_camera_identifies_the_resident(
    driver: UiDriver, services: KioskServices
) -> None:
    to_identify(driver)
    driver.wait_until(lambda: camera_open(services), "the camera to open on the identify screen")
    driver.click("dev_e_id_elder")
    pass_face_check(driver)
    identity = driver.controller.session.identity
    assert identity.name == "李秀兰" and identity.as_applicant()["identified_by"] == "e_id"
    driver.wait_until(lambda: not camera_open(services), "the camera to close once the screen has gone")
    assert services.devices.camera.users() == set()


def test_an_e_id_code_from_an_unknown_issuer_identifies_nobody(
    driver: UiDriver, services: KioskServices
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.core.identity import sign_credential
    from kiosk.services import DEMO_E_ID_ISSUER

    forged = sign_credential(
        "王建国", "370302197503080116", None, DEMO_E_ID_ISSUER, Ed25519PrivateKey.generate()
    )
    to_identify(driver)
    services.devices.camera_source.show_qr(forged)
    driver.wait_until(lambda: driver.controller.notice == QR_MESSAGES["identity_problem"], "the refusal")
    assert driver.controller.screen == "identify" and driver.controller.session.identity is None


@pytest.mark.parametrize(
    ("button", "message"), [("dev_qr_e_licence", "e_licence"), ("dev_qr_garbled", "unknown")]
)
def test_a_code_that_is_not_an_e_id_is_explained(driver: UiDriver, button: str, message: str) -> None:
    to_identify(driver)
    driver.click(button)
    driver.wait_until(lambda: driver.controller.notice == QR_MESSAGES[message], f"the {message} message")
    assert driver.controller.screen == "identify"


def test_an_unplugged_social_security_reader_points_to_the_id_card(driver: UiDriver) -> None:
    to_identify(driver)
    driver.click("dev_plug_ss_card")
    driver.wait_until(lambda: driver.controller.notice == SS_CARD_MESSAGES["no_reader"], "the message")
    driver.click("dev_plug_ss_card")  # plugged back in
    driver.click("dev_card_adult")
    pass_face_check(driver)


def test_an_unplugged_camera_says_scanning_is_unavailable(driver: UiDriver) -> None:
    to_identify(driver)
    driver.click("dev_plug_camera")
    driver.wait_until(lambda: "扫码暂时无法使用" in driver.controller.notice, "the camera message")


def test_leaving_the_identify_screen_releases_the_camera(driver: UiDriver, services: KioskServices) -> None:
    to_identify(driver)
    driver.wait_until(lambda: camera_open(services), "the camera to open")
    driver.click("devDockToggle")
    driver.click("backButton")
    driver.wait_screen("items")
    driver.wait_until(lambda: not camera_open(services), "the camera to close")


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_card_reader_is_drawn_between_the_words_and_the_buttons(services: KioskServices, size, elder) -> None:
    """Where the card goes, shown: the reader pad and a card moving onto it, in the room the
    screen has (not a small drawing in an empty half), clear of the words and the buttons."""
    with kiosk_window(services, size, elder) as driver:
        driver.click("startButton")
        driver.click("item_individual-business-registration")
        driver.wait_screen("identify")
        driver.wait_frame()
        if SHOTS:
            driver.screenshot(Path(SHOTS) / f"identify-{size[0]}x{size[1]}-{'elder' if elder else 'normal'}.png")
        picture, pad, back = (driver.wait_item(n) for n in ("cardReaderPicture", "readerPad", "backButton"))
        window = driver.window.contentItem()
        inside = window.mapRectToScene(window.boundingRect())
        drawn = pad.mapRectToScene(pad.boundingRect())
        assert inside.contains(drawn)
        assert not drawn.intersects(back.mapRectToScene(back.boundingRect()))
        assert pad.property("height") >= 0.15 * size[1]  # large enough to recognise from a step back
        assert picture.property("height") > 0
