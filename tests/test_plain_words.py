"""Resident-facing words come from the glossary: no hall jargon on the screens, in the voice
prompts, on the item tiles or in the outcomes (forms/glossary.py says what to use instead)."""

from __future__ import annotations

import re
from pathlib import Path

from forms.catalogue import load_catalogue
from forms.glossary import EXPLAINED, PLAIN
from forms.outcomes import OUTCOME_LABELS
from kiosk.voice import prompts

QML_DIR = Path(__file__).resolve().parents[1] / "kiosk" / "ui" / "qml"
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _code(line: str) -> str:
    """The line without its // comment (a // inside a string is kept)."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"' and (index == 0 or line[index - 1] != "\\"):
            quoted = not quoted
        elif not quoted and line.startswith("//", index):
            return line[:index]
    return line


def _qml_strings() -> list[tuple[str, str]]:
    found = []
    for path in sorted(QML_DIR.rglob("*.qml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found += [(path.name, text) for text in _LITERAL.findall(_code(line))]
    return found


def _jargon_in(text: str) -> list[str]:
    allowed = [term for term in EXPLAINED if term in text]
    stripped = text
    for term in allowed:
        stripped = stripped.replace(term, "")
    return [word for word in PLAIN if word in stripped]


def test_no_jargon_on_the_screens() -> None:
    bad = [(name, text, _jargon_in(text)) for name, text in _qml_strings() if _jargon_in(text)]
    assert bad == []


def test_a_legal_term_on_screen_comes_with_its_explanation() -> None:
    for path in QML_DIR.rglob("*.qml"):
        source = path.read_text(encoding="utf-8")
        for term, explanation in EXPLAINED.items():
            if f'"{term}"' in source:
                assert explanation in source, (path.name, term)


def test_no_jargon_in_the_voice_prompts_or_the_outcomes() -> None:
    texts = list(prompts().values()) + list(OUTCOME_LABELS.values())
    assert [t for t in texts if _jargon_in(t)] == []


def test_the_tiles_say_plainly_how_long_it_takes() -> None:
    for item in load_catalogue().values():
        assert not _jargon_in(item.standard["time_limit"]), (item.id, item.standard["time_limit"])


def test_the_glossary_offers_plain_words_only() -> None:
    for word, plain in PLAIN.items():
        assert not _jargon_in(plain), (word, plain)
