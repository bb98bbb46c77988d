"""What a resident reads on the screen now, and any English in it.

Resident screens are in Chinese. Codes are not words: a credit code, a case number or an ID
number (letters mixed with digits) is data and passes, and a single letter (the X of an ID
number) too. The virtual keyboard and the demo's dev dock are not the resident's screens."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtQuick import QQuickItem

NOT_THE_RESIDENTS = ("keyboard", "devDock")
_WORD = re.compile(r"[A-Za-z]{2,}")
_TOKEN = re.compile(r"[A-Za-z0-9\-_./:]+")


def visible_texts(item: QQuickItem) -> Iterator[str]:
    """The text of every visible Text and text field below `item`."""
    for child in item.childItems():
        if child.objectName() in NOT_THE_RESIDENTS or not child.isVisible() or child.opacity() == 0:
            continue
        if child.inherits("QQuickText") or child.inherits("QQuickTextInput"):
            text = child.property("text")
            if isinstance(text, str) and text:
                yield text
        yield from visible_texts(child)


def english_words(texts: Iterator[str] | list[str]) -> list[str]:
    """Latin words (two letters or more) that are not part of a code."""
    found = []
    for text in texts:
        for token in _TOKEN.findall(text):
            if any(c.isdigit() for c in token):
                continue  # a code or a number: 92370302MA000Y6G98, DEMO-370302-001-000001
            found += _WORD.findall(token)
    return found


def text_sizes(item: QQuickItem) -> Iterator[tuple[float, str]]:
    """(pixel size, text) of every visible, non-empty Text below `item`."""
    for child in item.childItems():
        if child.objectName() in NOT_THE_RESIDENTS or not child.isVisible() or child.opacity() == 0:
            continue
        if child.inherits("QQuickText") or child.inherits("QQuickTextInput"):
            text, font = child.property("text"), child.property("font")
            if isinstance(text, str) and text.strip() and font is not None:
                yield float(font.pixelSize()), text
        yield from text_sizes(child)


def smallest_text(root: QQuickItem) -> tuple[float, str]:
    """The smallest text's pixel size on the screen and the text itself."""
    return min(text_sizes(root), default=(float("inf"), ""))
