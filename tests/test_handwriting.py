"""The writing pad's recogniser on real strokes: zinnia with Debian's Simplified Chinese model,
fed the medians of real characters from hanzi-writer-data (fetched by the test set-up)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.devtools import hanzi_strokes
from kiosk.handwriting import (
    HandwritingRecognizer,
    HandwritingUnavailable,
    common_characters,
    open_recognizer,
)

PAD = 600.0  # the pad's side in pixels, about what a resident writes in


@pytest.fixture(scope="module")
def recognizer() -> HandwritingRecognizer:
    opened = HandwritingRecognizer()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def strokes_dir() -> Path:
    return hanzi_strokes.fetch()


def _on_pad(character: str, folder: Path) -> list[list[tuple[float, float]]]:
    return [[(x * PAD, y * PAD) for x, y in stroke] for stroke in hanzi_strokes.medians(character, folder)]


def test_shop_name_characters_come_back_among_the_first_five(recognizer, strokes_dir) -> None:
    characters = hanzi_strokes.shop_name_characters()
    assert len(characters) == 300 and len(set(characters)) == 300
    missed = []
    first = 0
    for character in characters:
        candidates = [c.character for c in recognizer.recognize(_on_pad(character, strokes_dir), PAD, PAD, 5)]
        first += candidates[:1] == [character]
        if character not in candidates:
            missed.append(character)
    top5 = (300 - len(missed)) / 300
    assert top5 >= 0.80, f"top-5 {top5:.0%} (top-1 {first / 300:.0%}); missed: {''.join(missed)}"


def test_a_common_character_outranks_a_rare_look_alike(recognizer, strokes_dir) -> None:
    # 店 and 唐/底 look alike to zinnia; the common one first, and every candidate is one character.
    candidates = recognizer.recognize(_on_pad("店", strokes_dir), PAD, PAD)
    assert candidates[0].character == "店"
    assert all(len(c.character) == 1 for c in candidates)
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)


def test_the_pad_size_does_not_matter(recognizer, strokes_dir) -> None:
    small = [[(x * 200, y * 200) for x, y in s] for s in hanzi_strokes.medians("华", strokes_dir)]
    assert recognizer.recognize(small, 200, 200, 3)[0].character == "华"


def test_no_strokes_and_scribbles_give_no_error(recognizer) -> None:
    assert recognizer.recognize([], PAD, PAD) == []
    assert recognizer.recognize([[]], PAD, PAD) == []
    assert recognizer.recognize([[(float("nan"), 1.0), (float("inf"), 2.0)]], PAD, PAD) == []
    dot = recognizer.recognize([[(300.0, 300.0)]], PAD, PAD)
    scribble = recognizer.recognize([[(0.0, 0.0), (PAD, PAD), (0.0, PAD), (PAD, 0.0)]] * 40, PAD, PAD)
    assert len(dot) <= 10 and len(scribble) <= 10


def test_a_closed_recogniser_answers_nothing(strokes_dir) -> None:
    opened = HandwritingRecognizer()
    opened.close()
    opened.close()
    assert opened.recognize(_on_pad("华", strokes_dir), PAD, PAD) == []


def test_a_missing_model_names_the_package(tmp_path, caplog) -> None:
    with pytest.raises(HandwritingUnavailable, match="tegaki-zinnia-simplified-chinese"):
        HandwritingRecognizer(tmp_path / "none.model")
    with caplog.at_level(logging.WARNING):
        assert open_recognizer(tmp_path / "none.model") is None
    assert "handwriting input unavailable" in caplog.text


def test_a_damaged_model_is_refused(tmp_path) -> None:
    damaged = tmp_path / "damaged.model"
    damaged.write_bytes(b"not a zinnia model" * 10)
    with pytest.raises(HandwritingUnavailable, match="could not open"):
        HandwritingRecognizer(damaged)


def test_common_characters_are_gb2312_level_one() -> None:
    common = common_characters()
    assert len(common) == 3755
    assert {"店", "华", "啊", "座"} <= common
    assert "鑫" not in common  # level 2, though many 字号 use it: written, only not favoured


def test_the_pads_bridge_takes_flat_strokes_and_ignores_garbage(strokes_dir) -> None:
    from kiosk.ui.controllers.handwriting import HandwritingController

    bridge = HandwritingController()
    flat = [[v for x, y in stroke for v in (x, y)] for stroke in _on_pad("华", strokes_dir)]
    bridge.recognize(flat, PAD, PAD)
    assert bridge.candidates[0] == "华" and len(bridge.candidates) <= 10
    nan, inf = float("nan"), float("inf")
    bridge.recognize([["x", 1, 2], "not a stroke", [nan, nan, 1, 2], [inf, 3]], PAD, PAD)  # nonsense
    assert isinstance(bridge.candidates, list)
    bridge.clear()
    assert bridge.candidates == []
    bridge.close()


def test_without_the_model_the_pad_offers_nothing_and_says_so() -> None:
    from kiosk.ui.controllers.handwriting import HandwritingController

    bridge = HandwritingController(opener=lambda: None, available=False)
    assert bridge.available is False
    bridge.recognize([[1.0, 2.0, 3.0, 4.0]], PAD, PAD)
    assert bridge.candidates == []
