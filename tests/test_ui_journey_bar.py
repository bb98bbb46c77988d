"""Where am I: the six steps of an item under the header, spoken as each step begins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.core.session import Screen
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import REGISTRATION, open_item
from kiosk.services import KioskServices
from kiosk.ui.journey_steps import STEPS, step_of
from kiosk.voice import prompts
from tests.test_ui_journey import open_driver


@pytest.fixture
def driver(services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def _current(driver: UiDriver) -> list[int]:
    return [
        i for i in range(len(STEPS)) if (s := driver.find(f"journeyStep_{i}")) and s.property("isCurrent")
    ]


def test_every_screen_of_an_item_has_its_step_and_only_those() -> None:
    outside = {Screen.HOME, Screen.ITEMS}
    for screen in Screen:
        assert (step_of(screen) == -1) == (screen in outside), screen


def test_each_step_is_spoken_where_it_begins() -> None:
    said = prompts()
    for screen, number in (
        ("identify", "第一步"),
        ("guide", "第二步"),
        ("form", "第三步"),
        ("review", "第四步"),
    ):
        assert said[screen].startswith(number), screen
    assert said["decision"].startswith("第五步") and said["printing"].startswith("第六步")


def test_the_bar_follows_the_resident_and_is_gone_at_home(driver: UiDriver) -> None:
    assert driver.find("journeyBar") is None
    driver.click("startButton")
    driver.wait_screen("items")
    assert driver.find("journeyBar") is None
    driver.click(f"item_{REGISTRATION}")
    driver.wait_screen("identify")
    assert _current(driver) == [0]
    driver.go_home()
    open_item(driver, "adult")
    driver.wait_frame()
    assert _current(driver) == [2]
    done = [i for i in range(len(STEPS)) if driver.find(f"journeyStep_{i}").property("isDone")]
    assert done == [0, 1]
