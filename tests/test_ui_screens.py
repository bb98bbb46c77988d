"""Every scene of the screen atlas (every item's pages, every detour screen, each decision):
no English on a resident screen, and no target a finger cannot hit. The atlas scenes are the
ones `python -m kiosk.devtools screens` photographs, so what is checked here is what people look at."""

from __future__ import annotations

import pytest

from kiosk.core.session import Screen
from kiosk.devtools.ui.atlas import SCENES, _home
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.screen_text import english_words, visible_texts
from kiosk.devtools.ui.touch_targets import SMALLEST_PANEL_INCHES, pixels_per_mm, small_targets
from kiosk.services import KioskServices
from kiosk.ui.app import LANDSCAPE, PORTRAIT, open_window


def test_english_words_are_found_but_codes_pass() -> None:
    assert english_words(["请点 Next 继续", "Loading…"]) == ["Next", "Loading"]
    assert english_words(["92370302MA000Y6G98", "DEMO-370302-001-000001", "3703021975030801 X"]) == []


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_every_atlas_scene_is_chinese_and_touchable(qapp, services: KioskServices, size: tuple) -> None:
    per_mm = pixels_per_mm(*size, SMALLEST_PANEL_INCHES)
    english: dict[str, list[str]] = {}
    small: dict[str, list] = {}
    seen: list[str] = []
    screens: set[str] = set()
    kiosk = open_window(services.config, lambda: services, size)
    driver = UiDriver(kiosk)

    def check(name: str) -> None:
        root = driver.window.contentItem()
        seen.append(name)
        screens.add(driver.controller.screen)
        texts = list(visible_texts(root))
        assert any(services.config.hall_name in t or "管理模式" in t for t in texts), f"{name} was not read"
        if words := english_words(texts):
            english[name] = words
        if targets := small_targets(root, per_mm):
            small[name] = targets

    try:
        driver.wait_ready()
        _home(driver, elder=False)
        for scene in SCENES:
            scene(driver, check, False)
    finally:
        kiosk.close()
    # Every screen but the two where the terminal works (审核中, 打印中: shown for a moment).
    assert screens == {s.value for s in Screen} - {"deciding", "printing"}
    assert len(set(seen)) == len(seen), seen
    assert english == {}
    assert small == {}
