"""呼叫工作人员 from any screen: the resident is told help is coming, the hall's log and the admin
page say which terminal, item and screen; the next resident starts without a call."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.staff_calls import calls_on
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import open_item
from kiosk.services import KioskServices
from kiosk.ui.admin_pages import staff_call_rows
from kiosk.ui.app import LANDSCAPE, PORTRAIT
from tests.test_ui_journey import open_driver
from tests.ui_window import kiosk_window

SHOTS = os.environ.get("KIOSK_TEST_SHOTS")


@pytest.fixture
def driver(services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def test_a_call_is_said_logged_and_listed_and_the_answers_stay(
    driver: UiDriver, services: KioskServices, caplog
) -> None:
    open_item(driver, "adult")
    driver.type_digits("field_phone", "139")
    with caplog.at_level(logging.WARNING):
        driver.click("callStaffButton")
        driver.wait_item("staffCallOverlay")
    record = next(r for r in caplog.records if r.getMessage() == "resident called for staff")
    assert (record.terminal, record.item, record.screen) == (  # type: ignore[attr-defined]
        services.config.terminal_id,
        "个体工商户设立登记",
        "form",
    )
    driver.wait_until(lambda: calls_on(services.store, dt.date.today()), "the call in the audit log")
    [call] = calls_on(services.store, dt.date.today())
    assert (call.item, call.screen) == ("个体工商户设立登记", "form")
    [row] = staff_call_rows(services, dt.date.today())  # the admin page's 今日统计
    assert (row["terminal"], row["item"], row["where"]) == (
        services.config.terminal_id,
        call.item,
        "第3步 填写",
    )
    driver.click("staffCallOk")
    driver.wait_until(lambda: driver.find("staffCallOverlay") is None, "the message to go")
    assert driver.controller.screen == "form" and driver.controller.session.answers["phone"] == "139"
    assert driver.wait_item("callStaffButton").property("text") == "已呼叫工作人员"
    driver.click("callStaffButton")  # again: the message again, the hall not called twice
    driver.click("staffCallOk")
    assert len(calls_on(services.store, dt.date.today())) == 1
    driver.go_home()
    assert not driver.controller.staff_call.called
    assert driver.wait_item("callStaffButton").property("text") == "呼叫工作人员"


def test_the_call_button_is_on_the_home_screen_too(driver: UiDriver, services: KioskServices) -> None:
    driver.click("callStaffButton")
    driver.wait_item("staffCallOverlay")
    driver.wait_until(lambda: calls_on(services.store, dt.date.today()), "the call in the audit log")
    assert calls_on(services.store, dt.date.today())[0].screen == "home"


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_header_holds_every_button_inside_the_window(services: KioskServices, size, elder) -> None:
    with kiosk_window(services, size, elder) as driver:
        driver.click("startButton")
        driver.wait_screen("items")
        driver.wait_frame()
        window = driver.window.contentItem()
        bounds = window.mapRectToScene(window.boundingRect())
        names = ("hallName", "networkIndicator", "callStaffButton", "elderToggle", "headerHome")
        rects = {n: (i := driver.wait_item(n)).mapRectToScene(i.boundingRect()) for n in names}
        for name, rect in rects.items():
            assert bounds.contains(rect), name
        for a in names:
            for b in names:
                assert a == b or not rects[a].intersects(rects[b]), (a, b)
        if SHOTS:
            driver.screenshot(Path(SHOTS) / f"header-{size[0]}-{elder}.png")
