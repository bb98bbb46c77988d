"""The done screen: what to take away comes first (the card the resident used, every printed
paper, the receipt), then the numbers to keep, whole, in both orientations and modes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.devtools.ui.text_fit import text_problems
from kiosk.services import KioskServices
from kiosk.ui.app import LANDSCAPE, PORTRAIT
from tests.test_ui_journey import registration_journey_until_printed
from tests.ui_window import kiosk_window

SHOTS = os.environ.get("KIOSK_TEST_SHOTS")


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_done_screen_lists_what_to_take_and_every_number_whole(
    services: KioskServices, size, elder
) -> None:
    with kiosk_window(services, size, elder) as driver:
        registration_journey_until_printed(driver)
        driver.click("skipRatingButton")
        driver.wait_screen("done")
        driver.wait_frame()
        if SHOTS:
            driver.screenshot(Path(SHOTS) / f"done-{size[0]}x{size[1]}-{'elder' if elder else 'normal'}.png")
        take = driver.wait_item("takeAway")
        listed = [str(i.property("text")) for i in driver.items() if i.parentItem() is not None
                  and i.parentItem().parentItem() is take and i.property("text")]
        assert listed == ["请带走：", "☐ 您的身份证", "☐ 营业执照", "☐ 办件回执（小票）"]
        code = driver.controller.issuing.result["creditCode"]
        assert driver.wait_item("done_1").property("text") == code
        assert text_problems(driver.window.contentItem()) == []  # the code is not cut at the side
