"""Elder mode and the network indicator, through the real QML UI offscreen.

Elder mode is one tap away on every screen, makes every size 1.3 times larger with a
high-contrast palette, and ends with the session. The network indicator follows the sync's own
probe of the real reference server; an item that needs the network says what can be done while
the centre cannot be reached.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from kiosk.config import KioskConfig
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import pass_face_check
from kiosk.services import KioskServices, build_services
from sync.credentials import save_secret
from tests.central import CentralServer
from tests.test_ui_journey import fill_business_page, open_driver, walk_to_business_page

INSURANCE = "social-insurance-certificate"


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def luminance(color: QColor) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_elder_mode_is_one_tap_away_on_every_screen_and_ends_with_the_session(driver: UiDriver) -> None:
    seen = []

    def toggle_twice_here() -> None:
        driver.click("elderToggle")
        driver.wait_until(lambda: driver.controller.elderMode, "elder mode on")
        driver.click("elderToggle")
        driver.wait_until(lambda: not driver.controller.elderMode, "elder mode off")
        seen.append(driver.controller.screen)

    toggle_twice_here()  # home
    driver.click("startButton")
    driver.wait_screen("items")
    toggle_twice_here()
    driver.click("item_individual-business-registration")
    driver.wait_screen("identify")
    toggle_twice_here()
    driver.dock.devInsertCard("adult")
    pass_face_check(driver)
    toggle_twice_here()
    driver.click("guideAccept")
    driver.wait_screen("form")
    toggle_twice_here()
    assert seen == ["home", "items", "identify", "guide", "form"]

    driver.click("elderToggle")  # on for the rest of this resident's session...
    driver.wait_until(lambda: driver.controller.elderMode, "elder mode on")
    driver.go_home()
    assert not driver.controller.elderMode  # ...and off for the next resident


def test_elder_mode_makes_every_size_larger_and_the_text_darker(driver: UiDriver) -> None:
    button, hint = driver.wait_item("startButton"), driver.wait_item("homeHint")
    normal_height = button.height()
    normal_hint = contrast(QColor(hint.property("color")), QColor(driver.window.property("color")))
    driver.click("elderToggle")
    driver.wait_until(lambda: button.height() > normal_height, "the start button to grow")
    assert button.height() == pytest.approx(normal_height * 1.3, rel=0.01)
    elder_hint = contrast(QColor(hint.property("color")), QColor(driver.window.property("color")))
    assert elder_hint >= 7.0 > normal_hint  # WCAG AAA in elder mode; the normal palette is softer


def test_elder_mode_survives_the_journey_to_a_decision(driver: UiDriver) -> None:
    driver.click("elderToggle")
    walk_to_business_page(driver)
    fill_business_page(driver, "zhonghua", "中华")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    assert driver.controller.elderMode and driver.controller.decision["outcome"] == "needs_fixing"
    assert driver.find("elderToggle") is not None


@pytest.fixture
def central_database() -> None:
    """The indicator is about the link, not the centre's database: SQLite is enough here."""
    return None


@pytest.fixture
def online_services(
    tmp_path: Path, central: CentralServer, demo_config: KioskConfig
) -> Iterator[KioskServices]:
    """A demo terminal enrolled with the reference server on loopback."""
    config = replace(demo_config, central_url=central.url, terminal_id="T-370302-0001")
    save_secret(config.data_dir, central.secret)
    built = build_services(config, spool_dir=tmp_path / "spool")
    yield built
    built.close()


@pytest.fixture
def online_driver(qapp, online_services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(online_services)


def test_the_indicator_follows_the_centre_and_network_items_say_what_to_do_meanwhile(
    online_driver: UiDriver, online_services: KioskServices, central: CentralServer
) -> None:
    driver = online_driver
    driver.wait_until(lambda: driver.controller.networkState == "online", "the centre to answer")
    assert driver.wait_item("networkLabel").property("text") == "已联网"
    driver.click("startButton")
    driver.wait_screen("items")
    assert "未联网" not in driver.wait_item(f"itemNote_{INSURANCE}").property("text")

    central.stop()
    online_services.sync.sync_now()
    driver.wait_until(lambda: driver.controller.networkState == "offline", "the probe to fail")
    assert driver.wait_item("networkLabel").property("text") == "未联网"
    assert "未联网" in driver.wait_item(f"itemNote_{INSURANCE}").property("text")
    driver.click(f"item_{INSURANCE}")
    driver.wait_screen("identify")
    driver.dock.devInsertCard("adult")
    pass_face_check(driver)
    notice = driver.wait_item("offlineNotice").childItems()[0].property("text")
    assert "网络中断" in notice and "联网后凭身份证在本机或社保窗口领取" in notice


def test_without_a_centre_the_indicator_says_not_connected(driver: UiDriver) -> None:
    driver.wait_until(lambda: driver.controller.networkState == "offline", "the first probe")
    assert driver.wait_item("networkLabel").property("text") == "未联网"


def test_the_screen_atlas_shoots_every_scene(qapp, demo_config: KioskConfig, tmp_path: Path) -> None:
    from kiosk.devtools.ui.atlas import write_atlas

    written = write_atlas(demo_config, tmp_path / "atlas", orientations=("landscape",), modes=("elder",))
    names = [p.name.split("-", 3)[-1] for p in written]
    assert names == [
        "home.png", "items.png", "identify.png", "consent.png", "staff-check.png", "guide.png", "form-operator.png", "form-keyboard.png",
        "form-business.png", "form-premises-card-address.png", "address-picker.png", "sign.png",
        "form-premises.png", "review.png",
        "decision-needs-fixing.png", "decision-commitment.png", "rating.png", "rating-chosen.png", "done.png",
        "capture-watching.png", "capture-review.png", "form-premises-captured.png", "countdown.png", "decision-manual-review.png",
        "decision-filing.png", "guide-follow-on.png", "form-food-filing-carried.png",
        "decision-licensed-scope.png", "decision-outside-area.png", "decision-guide-printed.png",
        "rating-paper-out.png", "rating-after-paper-out.png", "done-paper-out.png", "form-case-query.png", "cases.png",
        "items-offline.png", "guide-offline.png", "identity-face.png", "identity-face-verified.png",
        "identity-face-failed.png",
        "identify-typing-offered.png", "manual-id-keyboard.png", "manual-id-wrong-number.png",
        "guide-temporary-proof.png", "form-temporary-proof.png", "capture-face-watching.png",
        "capture-face-review.png", "form-photo.png", "review-temporary-proof.png",
        "decision-temporary-proof-offline.png",
        "form-change-1.png", "form-change-2.png", "form-deregistration-1.png", "form-deregistration-2.png",
        "form-food-filing-1.png", "form-convenience-store-1.png", "form-convenience-store-2.png",
        "form-licence-print-1.png", "form-insurance-1.png", "form-guide-1.png",
        "admin-unlock.png", "admin-wrong-pin.png", "admin-devices.png", "admin-paper.png", "admin-reprint.png",
        "admin-sync.png", "admin-today.png", "admin-versions.png", "admin-assist.png", "admin-system.png",
    ]
    assert all(p.name.startswith("landscape-elder-") and p.stat().st_size > 20_000 for p in written)
