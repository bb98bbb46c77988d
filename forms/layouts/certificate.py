"""A4 certificates and notices from one content model: title, number, addressee, body text,
a bordered table of fields, an optional data table, a photo, and the signed QR footer.

Every document other than the business licence is a `Certificate`; the builders in
`forms/layouts/documents.py` fill it from a case.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from forms.fonts import fonts
from forms.layouts.common import draw_paragraph, draw_qr, draw_text, fitted_paragraph
from forms.layouts.dates import chinese_date

WIDTH, HEIGHT = A4
LEFT, RIGHT = 20 * mm, WIDTH - 20 * mm
BODY_WIDTH = RIGHT - LEFT
FOOTER_TOP = 62 * mm  # the QR, issuer and date live below this line
LABEL_WIDTH = 38 * mm
PHOTO_W, PHOTO_H = 33 * mm, 44 * mm


@dataclass(frozen=True)
class Certificate:
    """What a certificate or notice says; the renderer decides where it goes."""

    kind: str
    title: str
    number: str
    issuer: str
    issue_date: dt.date
    qr_payload: str
    addressee: str = ""
    paragraphs: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    table: tuple[tuple[str, ...], ...] = ()  # first row is the header
    photo: bytes | None = None
    notes: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()  # paragraphs after the tables (questions and answers of a guide)
    seal_text: str = "（盖章）"

    def key_fields(self) -> dict[str, str]:
        """The fields the verification QR's hash covers."""
        return {"kind": self.kind, "number": self.number, **{label: value for label, value in self.fields}}


class _Page:
    """A y cursor over pages of one certificate; a new page repeats the title."""

    def __init__(self, pdf: Canvas, cert: Certificate) -> None:
        self.pdf, self.cert, self.pages = pdf, cert, 0
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        if self.pages:
            self.footer()
            self.pdf.showPage()
        self.pages += 1
        title = self.cert.title + ("（续）" if self.pages > 1 else "")
        draw_text(self.pdf, WIDTH / 2, HEIGHT - 30 * mm, title, 22, anchor="centre")
        draw_text(self.pdf, RIGHT, HEIGHT - 40 * mm, f"编号：{self.cert.number}", 10.5, anchor="right")
        self.pdf.setLineWidth(0.8)
        self.pdf.line(LEFT, HEIGHT - 43 * mm, RIGHT, HEIGHT - 43 * mm)
        self.y = HEIGHT - 50 * mm

    def room(self, needed: float) -> None:
        """Start a new page unless `needed` points fit above the footer."""
        if self.y - needed < FOOTER_TOP:
            self.new_page()

    def footer(self) -> None:
        pdf, cert = self.pdf, self.cert
        draw_qr(pdf, cert.qr_payload, LEFT, 22 * mm, 32 * mm)
        draw_text(pdf, LEFT + 16 * mm, 17 * mm, "扫码核验真伪", 8, anchor="centre")
        draw_text(pdf, RIGHT, 44 * mm, f"{cert.issuer}{cert.seal_text}", 12, anchor="right")
        draw_text(pdf, RIGHT, 36 * mm, chinese_date(cert.issue_date), 12, anchor="right")
        for n, note in enumerate(cert.notes):
            draw_paragraph(pdf, note, LEFT + 40 * mm, 30 * mm - n * 6 * mm, BODY_WIDTH - 40 * mm, 6 * mm, 8)
        pdf.setFont(fonts().main, 8)
        pdf.drawRightString(RIGHT, 12 * mm, f"第 {self.pages} 页")


def _field_rows(page: _Page, fields: tuple[tuple[str, str], ...], width: float) -> None:
    pdf = page.pdf
    for label, value in fields:
        paragraph = fitted_paragraph(value or "—", width - LABEL_WIDTH - 6 * mm, 40 * mm, 12)
        _, used = paragraph.wrap(width - LABEL_WIDTH - 6 * mm, 40 * mm)
        row = max(10 * mm, used + 5 * mm)
        page.room(row)
        top = page.y
        pdf.setLineWidth(0.5)
        pdf.rect(LEFT, top - row, width, row)
        pdf.line(LEFT + LABEL_WIDTH, top, LEFT + LABEL_WIDTH, top - row)
        draw_paragraph(
            pdf, label, LEFT + 2 * mm, top - (row - 12 * 1.45) / 2, LABEL_WIDTH - 4 * mm, row, 12, align=1
        )
        paragraph.drawOn(pdf, LEFT + LABEL_WIDTH + 3 * mm, top - (row + used) / 2)
        page.y = top - row


def _data_table(page: _Page, table: tuple[tuple[str, ...], ...]) -> None:
    header, rows = table[0], table[1:]
    column = BODY_WIDTH / len(header)
    pdf = page.pdf

    def draw_row(cells: tuple[str, ...], bold: bool) -> None:
        page.room(8 * mm)
        top = page.y
        if bold:
            pdf.setFillColorRGB(0.93, 0.94, 0.96)
            pdf.rect(LEFT, top - 8 * mm, BODY_WIDTH, 8 * mm, fill=1, stroke=0)
            pdf.setFillColorRGB(0, 0, 0)
        pdf.setLineWidth(0.4)
        pdf.rect(LEFT, top - 8 * mm, BODY_WIDTH, 8 * mm)
        for n, cell in enumerate(cells):
            draw_text(pdf, LEFT + column * (n + 0.5), top - 5.5 * mm, cell, 10, anchor="centre")
        page.y = top - 8 * mm

    draw_row(header, bold=True)
    for row in rows:
        if page.y - 8 * mm < FOOTER_TOP:
            page.new_page()
            draw_row(header, bold=True)
        draw_row(row, bold=False)


def render_certificate(cert: Certificate) -> bytes:
    """The certificate as a PDF (A4 portrait, one page or more), fonts embedded."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, initialFontName=fonts().main, initialFontSize=12)
    pdf.setTitle(f"{cert.title} {cert.number}")
    pdf.setAuthor(cert.issuer)
    page = _Page(pdf, cert)
    field_width = BODY_WIDTH - (PHOTO_W + 6 * mm if cert.photo is not None else 0)
    if cert.addressee:
        draw_text(pdf, LEFT, page.y - 5 * mm, cert.addressee, 13)
        page.y -= 10 * mm
    for text in cert.paragraphs:
        paragraph = fitted_paragraph("　　" + text, BODY_WIDTH, 80 * mm, 12.5)
        _, used = paragraph.wrap(BODY_WIDTH, 80 * mm)
        page.room(used + 3 * mm)
        paragraph.drawOn(pdf, LEFT, page.y - used)
        page.y -= used + 4 * mm
    if cert.fields:
        start = page.y
        if cert.photo is not None:  # beside the field table, clear of the full-width text above
            pdf.drawImage(
                ImageReader(io.BytesIO(cert.photo)),
                RIGHT - PHOTO_W,
                start - PHOTO_H,
                PHOTO_W,
                PHOTO_H,
                preserveAspectRatio=True,
            )
            pdf.rect(RIGHT - PHOTO_W, start - PHOTO_H, PHOTO_W, PHOTO_H)
        _field_rows(page, cert.fields, field_width)
        if cert.photo is not None and start - page.y < PHOTO_H:
            page.y = start - PHOTO_H  # the next block starts below the photo
        page.y -= 5 * mm
    if cert.table:
        _data_table(page, cert.table)
    closing = [fitted_paragraph(text, BODY_WIDTH, 60 * mm, 11) for text in cert.closing]
    heights = [p.wrap(BODY_WIDTH, 60 * mm)[1] for p in closing]
    for n, (paragraph, used) in enumerate(zip(closing, heights, strict=True)):
        # A heading (the first closing line) stays on the page of the paragraph after it.
        keep = heights[n + 1] + 3 * mm if n == 0 and len(heights) > 1 else 0
        page.room(used + 2 * mm + keep)
        paragraph.drawOn(pdf, LEFT, page.y - used)
        page.y -= used + 3 * mm
    page.footer()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
