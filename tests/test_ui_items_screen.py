"""The choose-an-item screen: every item at once, grouped by department, each with its icon and
a short plain name, in both orientations and both modes, with nothing to scroll."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.services import KioskServices
from kiosk.ui.app import LANDSCAPE, PORTRAIT
from tests.ui_window import kiosk_window

SHOTS = os.environ.get("KIOSK_TEST_SHOTS")


def _descendants(item):
    for child in item.childItems():
        yield child
        yield from _descendants(child)


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_item_shows_at_once_grouped_by_department(services: KioskServices, size, elder) -> None:
    with kiosk_window(services, size, elder) as driver:
        driver.click("startButton")
        driver.wait_screen("items")
        driver.wait_frame()
        if SHOTS:
            driver.screenshot(Path(SHOTS) / f"items-{size[0]}x{size[1]}-{'elder' if elder else 'normal'}.png")
        listing = driver.wait_item("itemsList")
        shown = listing.mapRectToScene(listing.boundingRect())
        assert listing.property("contentHeight") <= listing.property("height") + 1  # nothing to scroll
        hint = driver.find("moreItemsHint")
        assert hint is None or not hint.isVisible()
        departments: list[str] = []
        for item in services.catalogue.values():
            tile = driver.wait_item(f"item_{item.id}")
            assert shown.contains(tile.mapRectToScene(tile.boundingRect())), item.id
            assert driver.wait_item(f"itemLabel_{item.id}").property("text") == item.shown_as.label
            if item.shown_as.department not in departments:
                departments.append(item.shown_as.department)
        names = [driver.wait_item(f"departmentName_{i}").property("text") for i in range(len(departments))]
        assert names == departments  # in the catalogue's order, each once
        icons = [i for i in _descendants(listing) if i.inherits("QQuickImage")]
        assert len(icons) == len(services.catalogue)
        assert all(i.property("implicitWidth") > 0 for i in icons)  # every icon decoded and drew


def test_every_icon_the_schema_allows_is_drawn() -> None:
    import json

    from forms.catalogue import SCHEMA_FILE

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    allowed = set(schema["properties"]["tile"]["properties"]["icon"]["enum"])
    icons = Path(__file__).parents[1] / "kiosk" / "ui" / "qml" / "icons"
    assert allowed == {p.stem for p in icons.glob("*.svg")}


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_the_home_screen_fits_below_the_header(services: KioskServices, size, elder) -> None:
    """The departments, the start button, the three steps and the hint: all in view, none
    under the header, in both orientations and modes."""
    with kiosk_window(services, size, elder) as driver:
        driver.wait_frame()
        if SHOTS:
            driver.screenshot(Path(SHOTS) / f"home-{size[0]}x{size[1]}-{'elder' if elder else 'normal'}.png")
        header = driver.wait_item("header")
        below = header.mapRectToScene(header.boundingRect()).bottom()
        window = driver.window.contentItem()
        bounds = window.mapRectToScene(window.boundingRect())
        for name in ("homeTitle", "homeDepartments", "startButton", "homeSteps", "homeHint"):
            rect = (item := driver.wait_item(name)).mapRectToScene(item.boundingRect())
            assert bounds.contains(rect) and rect.top() >= below, name
