"""Shared pieces of every printed document: fitted Chinese paragraphs with font fallback,
text drawn in runs of the right font, the verification QR code."""

from __future__ import annotations

from functools import cache

import qrcode
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from forms.fonts import fonts

MIN_FONT_SIZE = 7.0
# Chinese punctuation that must not begin a line (CLREQ 禁则). reportlab's list is Japanese and
# lacks the full-width ；，：！？ so long scopes wrapped with a "；" at the start of a line.
CLREQ_CANNOT_START = "、。，．：；！？）］｝》〉」』】〕〗〙〛”’…‥·"


def _chinese_line_breaking() -> None:
    # Both the plain-text splitter and the styled-fragment splitter read their own global.
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):
        missing = "".join(c for c in CLREQ_CANNOT_START if c not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START = module.ALL_CANNOT_START + missing  # read at wrap time


_chinese_line_breaking()


def draw_qr(pdf: Canvas, payload: str, x: float, y: float, side: float) -> None:
    """Draw `payload` as a vector QR code (error correction M) with its bottom-left at x, y.

    The mask pattern is fixed: any mask gives a valid code, and searching all eight for the
    lowest penalty was two thirds of a licence's render time. Rows are drawn as merged runs,
    which keeps the PDF small and the modules sharp at any printer resolution.
    """
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1, mask_pattern=0)
    qr.add_data(payload)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    module = side / len(matrix)
    pdf.saveState()
    pdf.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(matrix):
        top = y + side - (row_index + 1) * module
        start = None
        for col, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                pdf.rect(x + start * module, top, (col - start) * module, module, stroke=0, fill=1)
                start = None
    pdf.restoreState()


@cache
def _style(size: float, align: int) -> ParagraphStyle:
    return ParagraphStyle(
        f"cjk-{size}-{align}",
        fontName=fonts().main,
        fontSize=size,
        leading=size * 1.45,
        wordWrap="CJK",
        alignment=align,
    )


def fitted_paragraph(text: str, width: float, height: float, size: float, align: int = 0) -> Paragraph:
    """A paragraph shrunk half a point at a time until it fits the box (long scopes and names fit).

    Below the minimum size it stops shrinking; the layout's tests check nothing overflows.
    """
    markup = fonts().markup(text)
    while True:
        paragraph = Paragraph(markup, _style(size, align))
        _, needed = paragraph.wrap(width, height)
        if needed <= height or size <= MIN_FONT_SIZE:
            return paragraph
        size -= 0.5


def draw_paragraph(
    pdf: Canvas, text: str, x: float, top: float, width: float, height: float, size: float, align: int = 0
) -> float:
    """Draw a fitted paragraph with its top at `top`; returns the height it used."""
    paragraph = fitted_paragraph(text, width, height, size, align)
    _, used = paragraph.wrap(width, height)
    paragraph.drawOn(pdf, x, top - used)
    return float(used)


def draw_text(pdf: Canvas, x: float, y: float, text: str, size: float, anchor: str = "left") -> float:
    """Draw one line in runs of the font that has each character; returns its width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs = fonts().runs(text)
    width = sum(stringWidth(run, font, size) for font, run in runs)
    start = {"left": x, "centre": x - width / 2, "right": x - width}[anchor]
    for font, run in runs:
        pdf.setFont(font, size)
        pdf.drawString(start, y, run)
        start += stringWidth(run, font, size)
    return float(width)
