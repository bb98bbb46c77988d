"""The fonts documents embed, all TrueType and embedded in every PDF: WenQuanYi Zen Hei for
Chinese, then fallbacks for the rare characters it lacks, in this order: Hanazono (HanaMinA,
HanaMinB: nearly all of CJK Extensions B to F) and BabelStone Han (most of G and H).
assets/fonts/README.md has the coverage measured per Unicode block (`coverage_report()`).

A character no font has cannot print (it would come out as an empty .notdef glyph while the
licence's QR binds it): `unprintable_characters` names them, and callers check before issuing.

reportlab embeds TrueType only: Noto CJK and GNU Unifont are CFF, and its built-in
STSong-Light is not embedded, so a printed document would depend on the printer's fonts.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

log = logging.getLogger(__name__)

CJK_FONT_NAME = "WQYZenHei"
_MAIN_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)
# Fallbacks in order, with their Debian packages; each is used only for what those before it
# lack. Hanazono first: it has Ext B to F all but 14; BabelStone Han adds most of G and H.
_TTF = Path("/usr/share/fonts/truetype")
_FALLBACKS = (
    ("HanaMinA", _TTF / "hanazono/HanaMinA.ttf", "fonts-hanazono"),
    ("HanaMinB", _TTF / "hanazono/HanaMinB.ttf", "fonts-hanazono"),
    ("BabelStoneHan", _TTF / "babelstone/BabelStoneHan.ttf", "fonts-babelstone-han"),
)
# Characters whose right glyph is empty (Hangul fillers), besides whitespace.
_BLANK_BY_DESIGN = frozenset((0x115F, 0x1160, 0x3164, 0xFFA0))
# The blocks coverage_report measures, as the ranges assigned in Unicode 15.1.
BLOCKS = (
    ("URO 统一汉字", ((0x4E00, 0x9FFF),)),
    ("Ext A", ((0x3400, 0x4DBF),)),
    ("Ext B", ((0x20000, 0x2A6DF),)),
    ("Ext C", ((0x2A700, 0x2B739),)),
    ("Ext D", ((0x2B740, 0x2B81D),)),
    ("Ext E", ((0x2B820, 0x2CEA1),)),
    ("Ext F", ((0x2CEB0, 0x2EBE0),)),
    ("Ext G", ((0x30000, 0x3134A),)),
    ("Ext H", ((0x31350, 0x323AF),)),
    ("Ext I", ((0x2EBF0, 0x2EE5D),)),
    ("Compatibility 兼容汉字", ((0xF900, 0xFA6D), (0xFA70, 0xFAD9))),
    ("Compatibility Supplement", ((0x2F800, 0x2FA1D),)),
    ("CJK punctuation 符号", ((0x3000, 0x303F),)),
    ("Fullwidth ASCII 全角", ((0xFF01, 0xFF5E),)),
    ("ASCII", ((0x21, 0x7E),)),
)


class FontMissingError(RuntimeError):
    """The CJK font is not installed; documents would print boxes."""


def cjk_font_path() -> Path:
    """Where the main CJK font file is; raises FontMissingError naming the Debian package."""
    for path in _MAIN_CANDIDATES:
        if path.exists():
            return path
    raise FontMissingError("CJK font not found: install the Debian package fonts-wqy-zenhei")


def _font_files() -> Iterator[tuple[str, Path]]:
    """The reportlab name and file of the main font, then of each installed fallback."""
    yield CJK_FONT_NAME, cjk_font_path()
    for name, path, package in _FALLBACKS:
        if path.exists():
            yield name, path
        else:
            log.warning("fallback font %s not installed (%s): rare characters cannot print", name, package)


def font_file(name: str) -> Path | None:
    """The file of the font registered as `name` (for drawing the same glyphs elsewhere), or None."""
    if name == CJK_FONT_NAME:
        return cjk_font_path()
    return next((path for known, path, _ in _FALLBACKS if known == name and path.exists()), None)


def _inked(face: Any) -> frozenset[int]:
    """Code points a reportlab TTFontFace draws as themselves: mapped to a glyph with an outline,
    or blank by nature.

    WenQuanYi maps 112 compatibility ideographs (U+FACF 𢡊…) and 10 kana (ゝ…) to empty glyphs:
    they would print nothing, so a later font has to draw them. Format characters (ZWJ, bidi
    controls) and variation selectors never count: reportlab does not shape, so Hanazono and
    BabelStone would print their visible placeholder boxes instead.
    """
    at = face.glyphPos
    return frozenset(
        code
        for code, glyph in face.charToGlyph.items()
        if ((glyph and at[glyph + 1] > at[glyph]) or code in _BLANK_BY_DESIGN or chr(code).isspace())
        and unicodedata.category(chr(code)) != "Cf"
        and not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)
    )


@dataclass(frozen=True)
class FontSet:
    """Registered fonts, main font first, each with the code points it draws that none before it does."""

    names: tuple[str, ...]
    coverage: tuple[frozenset[int], ...]

    @property
    def main(self) -> str:
        """The reportlab name of the main font."""
        return self.names[0]

    @cached_property
    def printable(self) -> frozenset[int]:
        """Every code point some registered font draws."""
        return frozenset().union(*self.coverage)

    def font_for(self, char: str) -> str | None:
        """The first font that has a glyph for `char`, or None."""
        code = ord(char)
        for name, covered in zip(self.names, self.coverage, strict=True):
            if code in covered:
                return name
        return None

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split `text` into (font, run) pieces. Characters no font has (`missing`: callers check
        before rendering) and whitespace no font maps stay in the main font."""
        pieces: list[tuple[str, str]] = []
        for char in text:
            font = self.font_for(char) or self.main
            if pieces and pieces[-1][0] == font:
                pieces[-1] = (font, pieces[-1][1] + char)
            else:
                pieces.append((font, char))
        return pieces

    def markup(self, text: str) -> str:
        """Paragraph markup for `text`: runs outside the main font wrapped in <font name=…>."""
        return "".join(
            escape(run) if font == self.main else f'<font name="{font}">{escape(run)}</font>'
            for font, run in self.runs(text)
        )

    def missing(self, text: str) -> list[str]:
        """Characters of `text` that no registered font can print (whitespace always prints)."""
        printable = self.printable
        return [c for c in text if ord(c) not in printable and not c.isspace()]


def unprintable_characters(texts: Iterable[str]) -> list[str]:
    """The distinct characters of `texts` that no registered font can print, in order of first
    appearance: a document holding one must not be issued. Whitespace always prints; everything
    else is checked against the fonts' real coverage. Registers the fonts on first use."""
    font_set = fonts()
    return list(dict.fromkeys(char for text in texts if text for char in font_set.missing(text)))


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A ToUnicode CMap whose destinations are UTF-16BE, as the PDF standard requires.

    reportlab 5.1 writes each code point as `<%04X>`, which truncates characters beyond
    U+FFFF (𠮷 U+20BB7 extracts as ₻ U+20BB): the glyph prints, but copying, searching and
    pdftotext see the wrong character. Surrogate pairs fix it.
    """
    entries = [f"<{i:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for i, code in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


@cache
def fonts() -> FontSet:
    """Register the main font and the installed fallbacks with reportlab, once."""
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # reportlab reads it at call time
    names: list[str] = []
    coverage: list[frozenset[int]] = []
    before: frozenset[int] = frozenset()
    for name, path in _font_files():
        font = TTFont(name, str(path), subfontIndex=0)
        pdfmetrics.registerFont(font)
        drawn = _inked(font.face) - before
        names.append(name)
        coverage.append(drawn)
        before |= drawn
    return FontSet(tuple(names), tuple(coverage))


def register_cjk_font() -> str:
    """Register the fonts and return the main font's reportlab name."""
    return fonts().main


def coverage_report() -> str:
    """A Markdown table, read from the font files: per block, how many assigned code points each
    installed font draws, with (in brackets) how many of them it prints in the fallback order,
    and all fonts together. assets/fonts/README.md holds the measured table."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    files = list(_font_files())
    drawn = [_inked(TTFontFace(str(path), subfontIndex=0)) for _, path in files]
    first_to_draw = [each - frozenset().union(*drawn[:i]) for i, each in enumerate(drawn)]
    together = frozenset().union(*drawn)
    lines = [
        "| block | code points | assigned | " + " | ".join(name for name, _ in files) + " | all together |",
        "| --- " * (len(files) + 4) + "|",
    ]
    for label, ranges in BLOCKS:
        codes = [code for first, last in ranges for code in range(first, last + 1)]
        spans = ", ".join(f"{first:04X}–{last:04X}" for first, last in ranges)
        cells = [
            f"{sum(code in own for code in codes)} ({sum(code in first for code in codes)})"
            for own, first in zip(drawn, first_to_draw, strict=True)
        ]
        cells.append(str(sum(code in together for code in codes)))
        lines.append(f"| {label} | {spans} | {len(codes)} | {' | '.join(cells)} |")
    lines.append("")
    lines.extend(f"- {name}: {path}" for name, path in files)
    return "\n".join(lines)
