"""Every target a resident touches is at least 12 mm in both directions on the smallest panel a
terminal may have, on every screen of the registration journey, in portrait and landscape,
normal and elder mode."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.touch_targets import SMALLEST_PANEL_INCHES, pixels_per_mm, small_targets, touch_targets
from kiosk.devtools.ui.walkthrough import registration_journey
from kiosk.services import KioskServices
from kiosk.ui.app import LANDSCAPE, PORTRAIT, open_window


def sized_driver(services: KioskServices, size: tuple[int, int]) -> Iterator[UiDriver]:
    kiosk = open_window(services.config, lambda: services, size)
    driver = UiDriver(kiosk)
    driver.wait_ready()
    yield driver
    kiosk.close()


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_target_is_at_least_12_mm(qapp, services: KioskServices, size: tuple[int, int], elder: bool) -> None:
    per_mm = pixels_per_mm(*size, SMALLEST_PANEL_INCHES)
    problems: dict[str, list] = {}
    screens: list[str] = []

    for driver in sized_driver(services, size):
        if elder:
            driver.click("elderToggle")

        def check(name: str, driver: UiDriver = driver) -> None:
            if elder and not driver.controller.elderMode:
                driver.click("elderToggle")
            screens.append(name)
            assert list(touch_targets(driver.window.contentItem())), f"no targets found on {name}"
            small = small_targets(driver.window.contentItem(), per_mm)
            if small:
                problems[name] = small

        registration_journey(driver, check)
    assert len(screens) == 16  # with the consent and hall-staff screens of 人证核验
    assert problems == {}
