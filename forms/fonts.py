"""The fonts documents embed: WenQuanYi Zen Hei for Chinese, Hanazono for the rare characters
it lacks (CJK Extension B and beyond), both TrueType and embedded in every PDF.

reportlab embeds TrueType only: Noto CJK is CFF and its built-in STSong-Light is not
embedded, so a printed document would depend on the printer's fonts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

log = logging.getLogger(__name__)

CJK_FONT_NAME = "WQYZenHei"
_MAIN_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)
# Fallbacks in order; each covers what the ones before it lack (fonts-hanazono).
_FALLBACKS = (
    ("HanaMinA", Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf")),
    ("HanaMinB", Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")),
)


class FontMissingError(RuntimeError):
    """The CJK font is not installed; documents would print boxes."""


def cjk_font_path() -> Path:
    """Where the main CJK font file is; raises FontMissingError naming the Debian package."""
    for path in _MAIN_CANDIDATES:
        if path.exists():
            return path
    raise FontMissingError("CJK font not found: install the Debian package fonts-wqy-zenhei")


@dataclass(frozen=True)
class FontSet:
    """Registered fonts with the code points each covers, main font first."""

    names: tuple[str, ...]
    coverage: tuple[frozenset[int], ...]

    @property
    def main(self) -> str:
        """The reportlab name of the main font."""
        return self.names[0]

    def font_for(self, char: str) -> str | None:
        """The first font that has a glyph for `char`, or None."""
        code = ord(char)
        for name, covered in zip(self.names, self.coverage, strict=True):
            if code in covered:
                return name
        return None

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split `text` into (font, run) pieces; characters no font has stay in the main font."""
        pieces: list[tuple[str, str]] = []
        for char in text:
            font = self.font_for(char) or (self.main if char.isspace() or ord(char) < 0x2E80 else None)
            if font is None:
                log.warning("no font has U+%04X; it prints as a box", ord(char))
                font = self.main
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
        """Characters of `text` that no registered font can print."""
        return [c for c in text if not c.isspace() and ord(c) >= 0x2E80 and self.font_for(c) is None]


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
    main = TTFont(CJK_FONT_NAME, str(cjk_font_path()), subfontIndex=0)
    pdfmetrics.registerFont(main)
    names, coverage = [CJK_FONT_NAME], [frozenset(main.face.charToGlyph)]
    for name, path in _FALLBACKS:
        if path.exists():
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            names.append(name)
            coverage.append(frozenset(font.face.charToGlyph) - coverage[0])
        else:
            log.warning(
                "fallback font %s not installed (fonts-hanazono): rare characters may print as boxes", name
            )
    return FontSet(tuple(names), tuple(coverage))


def register_cjk_font() -> str:
    """Register the fonts and return the main font's reportlab name."""
    return fonts().main
