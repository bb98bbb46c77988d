"""The CJK TrueType font documents embed (WenQuanYi Zen Hei from fonts-wqy-zenhei).

reportlab embeds TrueType only: Noto CJK is CFF and its built-in STSong-Light is not
embedded, so a printed licence would depend on the printer's fonts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CJK_FONT_NAME = "WQYZenHei"
_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)


class FontMissingError(RuntimeError):
    """The CJK font is not installed; documents would print boxes."""


def cjk_font_path() -> Path:
    """Where the CJK font file is; raises FontMissingError naming the Debian package."""
    for path in _CANDIDATES:
        if path.exists():
            return path
    raise FontMissingError("CJK font not found: install the Debian package fonts-wqy-zenhei")


@cache
def register_cjk_font() -> str:
    """Register the CJK font with reportlab once and return its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(CJK_FONT_NAME, str(cjk_font_path()), subfontIndex=0))
    return CJK_FONT_NAME
