"""Text that does not fit: found on the screen shown now, for the screenshot command to fail on.

- outside the window: a text (not in a scrolling area) reaching past the window's edge;
- cut at the side: a text in a scrolling area reaching past its left or right edge (the area
  scrolls up and down only, so what lies beyond its sides is never seen);
- wider than its box: an unwrapped, unelided text painted past its own width (cut or spilling);
- one character alone: a wrapped text whose last line is a single character (终/端, 读/卡区),
  where a little more width or a shorter sentence would have kept the word whole.

The virtual keyboard and the demo's dev dock are not the resident's screens.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtQuick import QQuickItem

NOT_THE_RESIDENTS = ("keyboard", "devDock", "keyboardArea")
TOLERANCE_PX = 1.5
_CLOSING_PUNCTUATION = set("，。、；：？！”’）》」』")


@dataclass(frozen=True)
class TextProblem:
    """A text that does not fit, what is wrong and the nearest named item around it."""

    kind: str
    text: str
    owner: str

    def __str__(self) -> str:
        return f"{self.kind}: “{self.text[:30]}” in {self.owner}"


def _texts(
    item: QQuickItem, scrolling: QQuickItem | None = None
) -> Iterator[tuple[QQuickItem, QQuickItem | None]]:
    """Every visible text under `item`, with the scrolling area it is in (or None)."""
    for child in item.childItems():
        if child.objectName() in NOT_THE_RESIDENTS or not child.isVisible() or child.opacity() == 0:
            continue
        if child.inherits("QQuickText"):
            yield child, scrolling
        yield from _texts(child, child if child.inherits("QQuickFlickable") else scrolling)


def _owner(item: QQuickItem) -> str:
    here: QQuickItem | None = item
    while here is not None and not here.objectName():
        here = here.parentItem()
    return here.objectName() if here is not None else "?"


def last_line(item: QQuickItem) -> str:
    """The last line of a wrapped text as Qt lays it out at the item's width and font."""
    text = str(item.property("text")).replace("\n", "\u2028")  # Qt's line separator
    layout = QTextLayout(text, item.property("font"))
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    start, length = 0, 0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(item.width())
        start, length = line.textStart(), line.textLength()
    layout.endLayout()
    return text[start : start + length].strip()


def _alone(line: str) -> bool:
    if len(line) == 2 and line[1] in _CLOSING_PUNCTUATION:
        line = line[0]
    return len(line) == 1 and not line.isascii()


def text_problems(window_item: QQuickItem) -> list[TextProblem]:
    """Every text on the screen now that leaves the window, spills past its box or leaves one
    character alone on its last line."""
    window = window_item.mapRectToScene(window_item.boundingRect()).adjusted(
        -TOLERANCE_PX, -TOLERANCE_PX, TOLERANCE_PX, TOLERANCE_PX
    )
    found = []
    for text_item, scrolling in _texts(window_item):
        text = str(text_item.property("text") or "")
        if not text.strip() or text_item.width() <= 0:
            continue
        rect = text_item.mapRectToScene(QRectF(0, 0, text_item.width(), text_item.height()))
        if scrolling is None and not window.contains(rect):
            found.append(TextProblem("outside the window", text, _owner(text_item)))
        if scrolling is not None:
            area = scrolling.mapRectToScene(scrolling.boundingRect())
            if rect.left() < area.left() - TOLERANCE_PX or rect.right() > area.right() + TOLERANCE_PX:
                found.append(TextProblem("cut at the side of its scrolling area", text, _owner(text_item)))
        # (PySide cannot read QQuickText's enum properties: the sizes tell instead. Wrapped,
        # elided and shrunk-to-fit texts are painted within their width.)
        if float(text_item.property("contentWidth")) > text_item.width() + TOLERANCE_PX:
            found.append(TextProblem("wider than its box", text, _owner(text_item)))
        # Only a text Qt wrapped can orphan a character: lines the author broke are as meant (and
        # a shrunk-to-fit text is laid out here at its unshrunk size, which would wrap).
        wrapped = int(text_item.property("lineCount")) > text.count("\n") + 1
        if "<" not in text and wrapped and _alone(last_line(text_item)):
            found.append(TextProblem("one character alone on the last line", text, _owner(text_item)))
    return found
