"""Voice prompts: every resident screen has one, made ahead of time into real sound files, and
the UI says a screen's prompt once as it appears (never when the hall has them switched off)."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.config import KioskConfig
from kiosk.core.session import Screen
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import to_guide
from kiosk.services import KioskServices, build_services
from kiosk.voice import make_voice_files, prompt_file, prompts, up_to_date
from tests.test_ui_journey import open_driver, walk_away


def test_every_resident_screen_and_the_countdown_have_a_prompt_in_chinese() -> None:
    texts = prompts()
    # the face screen says the actions in the order asked instead of one fixed sentence
    spoken = {s.value for s in Screen} - {"face"} | {"face_blink_first", "face_turn_first"}
    assert set(texts) == spoken | {"countdown", "capture_face"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts.values())


def test_the_files_are_real_speech_of_a_plausible_length_and_made_once(tmp_path: Path) -> None:
    made = make_voice_files(tmp_path)
    assert len(made) == len(prompts()) and up_to_date(tmp_path)
    for prompt_id, text in prompts().items():
        with wave.open(str(prompt_file(prompt_id, tmp_path))) as sound:
            seconds = sound.getnframes() / sound.getframerate()
            assert sound.getnchannels() == 1 and sound.getframerate() >= 16000
            assert 0.12 * len(text) < seconds < 0.6 * len(text), (prompt_id, seconds)
    assert make_voice_files(tmp_path) == []  # up to date: nothing remade
    (tmp_path / ".made-from").write_text("older texts")
    assert not up_to_date(tmp_path) and len(make_voice_files(tmp_path)) == len(prompts())


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def walk_to_the_guide(driver: UiDriver) -> None:
    to_guide(driver, "adult")


def test_each_screen_says_its_prompt_once_as_it_appears(driver: UiDriver) -> None:
    assert up_to_date(), "the bootstrap makes the voice files (kiosk voices)"
    walk_to_the_guide(driver)
    driver.click("elderToggle")  # a change on the same screen says nothing new
    played = driver.controller.voice.played
    # 王建国's card has no photo: the consent, then hall staff compare the card with him
    assert [p for p in played if p != "home"] == ["items", "identify", "consent", "staff_check", "guide"]


@pytest.fixture
def quiet_driver(qapp, demo_config: KioskConfig, tmp_path: Path) -> Iterator[UiDriver]:
    services = build_services(replace(demo_config, voice_prompts=False), spool_dir=tmp_path / "spool")
    yield from open_driver(services)
    services.close()


def test_a_quiet_hall_hears_nothing(quiet_driver: UiDriver) -> None:
    walk_to_the_guide(quiet_driver)
    assert quiet_driver.controller.voice.played == []


def test_the_countdown_says_its_prompt(driver: UiDriver, services: KioskServices) -> None:
    walk_to_the_guide(driver)
    walk_away(driver, services.config.timeouts.idle_seconds)
    driver.wait_item("countdownOverlay")
    assert driver.controller.voice.played[-1] == "countdown"
