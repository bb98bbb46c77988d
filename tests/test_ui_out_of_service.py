"""Out of service on the resident's screen: a fault found while the kiosk runs (the disk
filling up, a damaged store page) closes the door to new sessions with one plain sentence, and
the door opens again by itself when the fault clears."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.core.refusal import RESIDENT_MESSAGE
from kiosk.devtools.ui.driver import UiDriver
from kiosk.services import KioskServices
from tests.test_ui_journey import open_driver


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:  # noqa: ANN001
    yield from open_driver(services)


def test_a_fault_closes_the_home_screen_and_its_clearing_opens_it(
    driver: UiDriver, services: KioskServices
) -> None:
    start = driver.wait_item("startButton")
    assert start.property("enabled")
    # The terminal's own disk check (every half minute, and once as the kiosk starts) would clear
    # the fault this test reports as soon as it looked at the real, roomy disk.
    assert services.health is not None
    services.health.stop()
    services.availability.report("disk_space", "12 bytes free on /var/lib/kiosk", "磁盘空间不足")
    driver.wait_until(lambda: not start.property("enabled"), "the start button closed")
    assert driver.wait_item("homeHint").property("text") == RESIDENT_MESSAGE
    driver.controller.start()  # a tap that slipped through changes nothing
    assert driver.controller.screen == "home"
    services.availability.clear("disk_space")
    driver.wait_until(lambda: start.property("enabled"), "the start button open again")
    driver.click("startButton")
    driver.wait_screen("items")
