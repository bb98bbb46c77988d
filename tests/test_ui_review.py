"""The review screen shows what will be printed: the business name as the licence will carry it,
every answer grouped by page with 修改 beside each group, in both orientations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import business_page, premises_page, to_business_page
from kiosk.services import KioskServices
from kiosk.ui.app import LANDSCAPE, PORTRAIT, open_window
from tests.test_ui_journey import open_driver
from tests.ui_window import kiosk_window

SHOTS = os.environ.get("KIOSK_TEST_SHOTS")


@pytest.fixture
def driver(services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def to_review(driver: UiDriver, pinyin: str = "huaxing", trade_name: str = "华星") -> None:
    to_business_page(driver)
    business_page(driver, pinyin, trade_name)
    premises_page(driver)
    driver.click("nextButton")
    driver.wait_screen("review")


def _text(driver: UiDriver, name: str) -> str:
    item = driver.wait_item(name)
    return str(item.property("text"))


def test_the_name_as_printed_heads_the_review(driver: UiDriver) -> None:
    to_review(driver)
    assert _text(driver, "reviewNameValue") == "淄川区华星百货店"
    groups = driver.controller.review
    assert [g["title"] for g in groups] == ["经营者信息", "经营信息", "经营场所"]
    labels = [row["label"] for g in groups for row in g["rows"]]
    assert "字号" in labels and "联系电话" in labels


def test_revise_goes_back_to_that_page_with_every_answer_kept(driver: UiDriver) -> None:
    to_review(driver)
    driver.click("revise_1")
    driver.wait_screen("form")
    assert driver.controller.pageNumber.startswith("2")
    assert driver.controller.session.answers["trade_name"] == "华星"
    driver.erase("field_trade_name", 2)
    driver.type_pinyin("field_trade_name", "xinhua", "新华")
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("3"), "the premises page")
    driver.click("nextButton")
    driver.wait_screen("review")
    assert _text(driver, "reviewNameValue") == "淄川区新华百货店"


def test_no_name_is_said_plainly(driver: UiDriver) -> None:
    to_business_page(driver)
    for name in ("choice_industry_百货", "choice_organisation_form_店", "scope_F1201", "nextButton"):
        driver.click(name)
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("3"), "the premises page")
    premises_page(driver)
    driver.click("nextButton")
    driver.wait_screen("review")
    assert "不使用名称" in _text(driver, "reviewNameValue")


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_every_group_is_on_screen_in_either_orientation(services: KioskServices, size) -> None:
    kiosk = open_window(services.config, lambda: services, size=size)
    driver = UiDriver(kiosk)
    try:
        driver.wait_ready()
        to_review(driver)
        driver.wait_frame()
        if SHOTS:
            driver.screenshot(Path(SHOTS) / f"review-{size[0]}.png")
        body = driver.wait_item("screenBody")
        view = body.mapRectToScene(body.boundingRect())
        for group in range(3):
            item = driver.wait_item(f"reviewGroup_{group}")
            # Every group in sight without a swipe (its middle: the last one's end may need one).
            assert view.contains(item.mapRectToScene(item.boundingRect()).center()), group
    finally:
        kiosk.close()


def test_a_review_longer_than_the_screen_is_read_before_it_can_be_submitted(services: KioskServices) -> None:
    with kiosk_window(services, LANDSCAPE, elder=True) as driver:
        to_review(driver)
        driver.wait_frame()
        submit, body = driver.wait_item("submitButton"), driver.wait_item("screenBody")
        assert body.property("contentHeight") > body.height()  # elder landscape: it does not fit
        assert submit.property("text") == "往下看"
        taps = 0
        while submit.property("text") == "往下看":
            before = body.property("contentY")
            driver.press(submit)  # scrolls on a screenful, submits nothing
            driver.wait_until(
                lambda b=before: body.property("atYEnd") or body.property("contentY") >= b + body.height() / 2,
                "the page to scroll on by most of a screenful",
            )
            assert driver.controller.screen == "review"
            taps += 1
            assert taps < 10
        if SHOTS:
            driver.screenshot(Path(SHOTS) / "review-elder-landscape-read.png")
        assert body.property("atYEnd") and submit.property("text") == "确认提交"
        driver.press(submit)
        driver.wait_until(lambda: driver.controller.screen != "review", "the submission")
