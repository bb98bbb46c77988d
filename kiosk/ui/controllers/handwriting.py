"""The writing pad's bridge: QML hands over the strokes of one character after each stroke and
shows the candidates this returns. QML reaches it as `handwriting`.

Recognition runs on the UI thread: one character takes about 8 ms (bench ui), under a frame,
and a worker round trip would delay the candidates more than it saves. The model (26 MB,
mapped, about 40 ms) is opened at the first stroke, not at start-up. Strokes
and candidates live only until the character is chosen or the session ends: they are the
resident's writing and are neither logged nor kept.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.handwriting import HandwritingRecognizer, installed, open_recognizer
from kiosk.ui.qml_property import qml_property

log = logging.getLogger(__name__)
CANDIDATES_SHOWN = 10


class HandwritingController(QObject):
    """Recognises the character being written on the pad; `candidates` are what to offer."""

    changed = Signal()

    def __init__(
        self,
        opener: Callable[[], HandwritingRecognizer | None] = open_recognizer,
        available: bool | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`opener` loads the recogniser when first needed; `available` defaults to whether
        Debian's zinnia library and model are installed."""
        super().__init__(parent)
        self._opener = opener
        self._available = installed() if available is None else available
        self._recognizer: HandwritingRecognizer | None = None
        self._opened = False
        self._candidates: list[str] = []
        self.last_seconds = 0.0  # how long the last recognition took (the benchmark reads it)

    def _get_available(self) -> bool:
        return self._available

    def _get_candidates(self) -> list[str]:
        return self._candidates

    available = qml_property(bool, _get_available, constant=True)
    candidates = qml_property("QVariantList", _get_candidates, notify=changed)

    @Slot("QVariantList", float, float)
    def recognize(self, strokes: list[Any], width: float, height: float) -> None:
        """Offer candidates for `strokes` (each a flat list x0, y0, x1, y1, … in a `width` ×
        `height` pad, y downwards)."""
        recognizer = self._open()
        if recognizer is None:
            return
        started = time.perf_counter()
        points = [_pairs(stroke) for stroke in strokes if isinstance(stroke, list)]
        found = recognizer.recognize(points, width, height, CANDIDATES_SHOWN)
        self.last_seconds = time.perf_counter() - started
        self._set([candidate.character for candidate in found])

    @Slot()
    def clear(self) -> None:
        """Forget the character being written (a candidate was chosen, 重写, the session ended)."""
        self._set([])

    def close(self) -> None:
        """Free the model (at shutdown)."""
        if self._recognizer is not None:
            self._recognizer.close()
            self._recognizer = None

    def _open(self) -> HandwritingRecognizer | None:
        if not self._opened:
            self._opened = True
            self._recognizer = self._opener() if self._available else None
            if self._recognizer is None and self._available:
                log.error("handwriting: the recogniser failed to open; the pad offers nothing")
        return self._recognizer

    def _set(self, candidates: list[str]) -> None:
        if candidates != self._candidates:
            self._candidates = candidates
            self.changed.emit()


def _pairs(flat: list[Any]) -> list[tuple[float, float]]:
    """x0, y0, x1, y1, … as points; anything not a finite number ends the stroke there."""
    points = []
    for x, y in zip(flat[0::2], flat[1::2], strict=False):
        if not isinstance(x, int | float) or not isinstance(y, int | float):
            break
        if not (math.isfinite(x) and math.isfinite(y)):
            break
        points.append((float(x), float(y)))
    return points
