"""Handwriting recognition for the writing pad: strokes in, Chinese characters out, offline.

Many residents cannot spell a 字号 in pinyin but can write it. The recogniser is zinnia
(Debian's libzinnia0, called through its C interface) with the Simplified Chinese model from
Debian's tegaki-zinnia-simplified-chinese; nothing is downloaded, nothing leaves the terminal.

Zinnia scores shapes alone, so a hurried stroke can put a rare look-alike (颃, 弪) before the
character meant. Among its first candidates, the 3,755 characters of GB 2312's first level (the
common ones, read from Python's own codec) get a fixed bonus: the ones a resident writes come
first, and a rare character a name really uses is still offered.
"""

from __future__ import annotations

import ctypes
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

MODEL_PATH = Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model")
LIBRARY_NAME = "libzinnia.so.0"
CANDIDATES_ASKED = 20  # zinnia's n-best list, re-ranked before the first ones are shown
COMMON_BONUS = 0.5  # added to a common character's score (zinnia's scores run about -1 to 1)

Point = tuple[float, float]
Stroke = Sequence[Point]


class HandwritingUnavailable(RuntimeError):
    """The recogniser's library or model is not installed (names the Debian package)."""


@dataclass(frozen=True)
class Candidate:
    """One character the strokes may be, with zinnia's score after the common-character bonus."""

    character: str
    score: float


@cache
def common_characters() -> frozenset[str]:
    """GB 2312 level 1: the 3,755 characters in everyday use (rows 16-55 of the code table)."""
    found = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:  # the five empty cells at the end of row 55
                continue
    return frozenset(found)


def _bind(lib: ctypes.CDLL) -> ctypes.CDLL:
    pointer, size = ctypes.c_void_p, ctypes.c_size_t
    signatures: dict[str, tuple[list[type], type | None]] = {
        "zinnia_recognizer_new": ([], pointer),
        "zinnia_recognizer_open": ([pointer, ctypes.c_char_p], ctypes.c_int),
        "zinnia_recognizer_destroy": ([pointer], None),
        "zinnia_recognizer_classify": ([pointer, pointer, size], pointer),
        "zinnia_character_new": ([], pointer),
        "zinnia_character_set_width": ([pointer, size], None),
        "zinnia_character_set_height": ([pointer, size], None),
        "zinnia_character_add": ([pointer, size, ctypes.c_int, ctypes.c_int], ctypes.c_int),
        "zinnia_character_destroy": ([pointer], None),
        "zinnia_result_value": ([pointer, size], ctypes.c_char_p),
        "zinnia_result_score": ([pointer, size], ctypes.c_float),
        "zinnia_result_size": ([pointer], size),
        "zinnia_result_destroy": ([pointer], None),
    }
    for name, (arguments, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = arguments
        function.restype = result
    return lib


class HandwritingRecognizer:
    """One loaded zinnia model; `recognize` turns a character's strokes into candidates."""

    def __init__(self, model: Path = MODEL_PATH) -> None:
        try:
            self._lib = _bind(ctypes.CDLL(LIBRARY_NAME))
        except OSError as exc:
            raise HandwritingUnavailable(
                f"{LIBRARY_NAME} not found (Debian package libzinnia0): {exc}"
            ) from exc
        if not model.is_file():
            raise HandwritingUnavailable(
                f"{model} not found (Debian package tegaki-zinnia-simplified-chinese)"
            )
        self._recognizer = self._lib.zinnia_recognizer_new()
        if not self._lib.zinnia_recognizer_open(self._recognizer, str(model).encode()):
            self._lib.zinnia_recognizer_destroy(self._recognizer)
            raise HandwritingUnavailable(f"zinnia could not open the model {model}")

    def close(self) -> None:
        """Free the model (about 10 MB); the recogniser is unusable afterwards."""
        if self._recognizer:
            self._lib.zinnia_recognizer_destroy(self._recognizer)
            self._recognizer = None

    def recognize(
        self, strokes: Sequence[Stroke], width: float, height: float, limit: int = 10
    ) -> list[Candidate]:
        """The `limit` likeliest characters for `strokes`, drawn in a `width` × `height` box
        (y downwards), best first; none for no strokes."""
        # A point that is not a finite number (NaN from a faulty touch driver) is dropped.
        strokes = [[(x, y) for x, y in stroke if math.isfinite(x) and math.isfinite(y)] for stroke in strokes]
        strokes = [stroke for stroke in strokes if stroke]
        if not strokes or self._recognizer is None:
            return []
        lib = self._lib
        character = lib.zinnia_character_new()
        try:
            lib.zinnia_character_set_width(character, max(1, round(width)))
            lib.zinnia_character_set_height(character, max(1, round(height)))
            for index, stroke in enumerate(strokes):
                for x, y in stroke:
                    lib.zinnia_character_add(character, index, round(x), round(y))
            result = lib.zinnia_recognizer_classify(self._recognizer, character, CANDIDATES_ASKED)
        finally:
            lib.zinnia_character_destroy(character)
        if not result:
            return []
        try:
            found = [
                (lib.zinnia_result_value(result, i).decode("utf-8"), lib.zinnia_result_score(result, i))
                for i in range(lib.zinnia_result_size(result))
            ]
        finally:
            lib.zinnia_result_destroy(result)
        common = common_characters()
        ranked = [Candidate(text, score + (COMMON_BONUS if text in common else 0.0)) for text, score in found]
        ranked.sort(key=lambda candidate: -candidate.score)  # stable: zinnia's order among equals
        return ranked[:limit]


def installed(model: Path = MODEL_PATH) -> bool:
    """Whether the library and the model are on this terminal (without loading the model)."""
    try:
        ctypes.CDLL(LIBRARY_NAME)
    except OSError:
        return False
    return model.is_file()


def open_recognizer(model: Path = MODEL_PATH) -> HandwritingRecognizer | None:
    """The recogniser, or None (logged once, for staff) when it is not installed: the keyboard
    then offers pinyin alone."""
    try:
        return HandwritingRecognizer(model)
    except HandwritingUnavailable as exc:
        log.warning("handwriting input unavailable: %s", exc)
        return None
