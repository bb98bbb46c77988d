"""Writing the 字号 by hand on the keyboard panel's pad (手写), as a resident who cannot spell
it in pinyin would: real strokes of real characters dragged across the pad, candidates tapped."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from kiosk.devtools import hanzi_strokes
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import to_business_page
from kiosk.services import KioskServices
from tests.test_ui_journey import open_driver

SHOTS = os.environ.get("KIOSK_TEST_SHOTS")  # a folder: the pad's screens are saved there to look at


@pytest.fixture(scope="module")
def strokes_dir():
    return hanzi_strokes.fetch()


@pytest.fixture
def driver(services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def _shot(driver: UiDriver, name: str) -> None:
    if SHOTS:
        from pathlib import Path

        driver.screenshot(Path(SHOTS) / f"{name}.png")


def test_a_trade_name_written_by_hand_goes_into_the_field(driver, strokes_dir) -> None:
    to_business_page(driver)
    for character in "华星":
        driver.write_by_hand("field_trade_name", character, hanzi_strokes.medians(character, strokes_dir))
        _shot(driver, f"pad-{character}")
    assert driver.controller.session.answers["trade_name"] == "华星"
    # A digits field gets its keypad, without the 拼音/手写 strip.
    driver.click("backButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("1"), "the first page")
    driver.click("field_phone")
    driver.wait_until(lambda: driver.find("keyboard") is not None, "the digit keypad")
    assert driver.find("inputModeStrip") is None and driver.find("handwritingPad") is None


def test_rewrite_and_delete(driver, strokes_dir) -> None:
    to_business_page(driver)
    driver.write_by_hand("field_trade_name", "华", hanzi_strokes.medians("华", strokes_dir))
    driver.draw("handwritingArea", [[(0.3, 0.3), (0.7, 0.7)]])
    driver.wait_until(lambda: driver.controller.handwriting.candidates, "candidates for the stroke")
    driver.click("handwritingRewrite")  # the half-written character goes, the field keeps 华
    driver.wait_until(lambda: not driver.controller.handwriting.candidates, "the pad cleared")
    assert driver.controller.session.answers["trade_name"] == "华"
    driver.click("handwritingBackspace")  # nothing half-written: the field's last character
    driver.wait_until(lambda: driver.controller.session.answers["trade_name"] == "", "the character deleted")
    driver.click("handwritingDone")
    driver.wait_until(lambda: driver.find("keyboardArea") is None, "the pad to close")


def test_candidates_are_large_in_elder_mode(driver, strokes_dir) -> None:
    driver.click("elderToggle")
    to_business_page(driver)
    driver.click("field_trade_name")
    driver.click("inputHandwriting")
    driver.draw("handwritingArea", [[(0.2, 0.5), (0.8, 0.5)]])  # 一
    cell = driver.wait_item("handwritingCandidate_一")
    _shot(driver, "pad-elder")
    assert cell.height() >= 60 and cell.width() >= 60


def test_going_home_forgets_the_writing_and_the_choice(driver, strokes_dir) -> None:
    to_business_page(driver)
    driver.click("field_trade_name")
    driver.click("inputHandwriting")
    driver.draw("handwritingArea", [[(0.2, 0.5), (0.8, 0.5)]])
    driver.wait_until(lambda: driver.controller.handwriting.candidates, "candidates")
    driver.go_home()
    assert driver.controller.handwriting.candidates == []
    to_business_page(driver)
    driver.click("field_trade_name")
    driver.wait_item("keyboard")  # pinyin again for the next resident
    assert driver.find("handwritingPad") is None


def test_moving_on_closes_the_keyboard_and_the_pad_keeps_it(driver, strokes_dir) -> None:
    from kiosk.devtools.ui.walkthrough import open_item

    open_item(driver, "adult")
    driver.type_digits("field_phone", "139")
    driver.click("choice_organisation_type_个人经营")  # no hide key: the next tap closes it
    driver.wait_until(lambda: driver.find("keyboardArea") is None, "the keyboard to close")
    assert driver.controller.session.answers["phone"] == "139"
    # On the pad, its own buttons leave the field in focus (the panel stays open).
    driver.go_home()
    to_business_page(driver)
    driver.click("field_trade_name")
    driver.click("inputHandwriting")
    driver.click("handwritingBackspace")
    assert driver.find("handwritingPad") is not None


@pytest.mark.parametrize("elder, least", [(False, 44), (True, 60)])
def test_the_pinyin_keyboard_is_larger_in_elder_mode(driver, elder, least) -> None:
    if elder:
        driver.click("elderToggle")
    to_business_page(driver)
    driver.click("field_trade_name")
    panel = driver.wait_item("keyboard")
    assert panel.property("candidateBarHeight") >= least
    # Drawn in the kiosk's look: light keys with the function keys named in words.
    driver.wait_item("keyboardBackground")
    faces = [i.property("text") for i in driver.items() if i.objectName() == "keyFace" and i.isVisible()]
    assert {"q", "a", "z", "删除", "确定", "空格", "符号"} <= set(faces)
    driver.spell("hua")
    driver.pick_candidate("华")
    _shot(driver, f"pinyin-{elder}")
