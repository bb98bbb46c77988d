"""The business licence (营业执照) of an individual business, printed in full on A4."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import qrcode
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from forms.fonts import register_cjk_font
from forms.layouts.dates import chinese_date

PAGE = landscape(A4)
NO_NAME = "—"


@dataclass(frozen=True)
class LicenceData:
    """The field values of an individual-business licence."""

    credit_code: str
    name: str
    operator: str
    organisation_form: str
    scope: str
    premises: str
    registration_date: dt.date
    authority: str
    issue_date: dt.date
    qr_payload: str
    business_type: str = "个体工商户"

    def key_fields(self) -> dict[str, str]:
        """The fields the verification QR's hash covers."""
        return {
            "code": self.credit_code,
            "name": self.name,
            "operator": self.operator,
            "premises": self.premises,
            "date": self.registration_date.isoformat(),
        }


def _qr_image(payload: str) -> ImageReader:
    image = qrcode.make(payload, box_size=4, border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _fitted_paragraph(text: str, font: str, width: float, height: float, start_size: float) -> Paragraph:
    """A paragraph shrunk step by step until it fits the box: long scopes and names fit."""
    size = start_size
    while True:
        style = ParagraphStyle("f", fontName=font, fontSize=size, leading=size * 1.45, wordWrap="CJK")
        paragraph = Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), style)
        _, needed = paragraph.wrap(width, height)
        if needed <= height or size <= 7:
            return paragraph
        size -= 0.5


def render_licence_pdf(data: LicenceData) -> bytes:
    """Render the licence as a one-page PDF with the CJK font embedded."""
    font = register_cjk_font()
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=PAGE, initialFontName=font, initialFontSize=12)
    pdf.setTitle(f"营业执照 {data.credit_code}")
    pdf.setAuthor(data.authority)
    width, height = PAGE

    pdf.setStrokeColorRGB(0.55, 0.1, 0.1)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 45 * mm, "营 业 执 照")
    pdf.setFont(font, 12)
    pdf.drawString(28 * mm, height - 35 * mm, "统一社会信用代码")
    pdf.setFont(font, 15)
    pdf.drawString(28 * mm, height - 42 * mm, data.credit_code)

    pdf.drawImage(_qr_image(data.qr_payload), width - 60 * mm, height - 62 * mm, 34 * mm, 34 * mm)
    pdf.setFont(font, 7.5)
    pdf.drawCentredString(width - 43 * mm, height - 66 * mm, "扫码核验本执照真伪")

    left = [
        ("名　　称", data.name or NO_NAME),
        ("类　　型", data.business_type),
        ("经 营 者", data.operator),
        ("组成形式", data.organisation_form),
        ("注册日期", chinese_date(data.registration_date)),
        ("经营场所", data.premises),
    ]
    label_x, value_x, top = 28 * mm, 55 * mm, height - 78 * mm
    column_width = 105 * mm
    y = top
    for label, value in left:
        pdf.setFont(font, 12)
        pdf.drawString(label_x, y, label)
        paragraph = _fitted_paragraph(value, font, column_width, 16 * mm, 12)
        _, used = paragraph.wrap(column_width, 16 * mm)
        paragraph.drawOn(pdf, value_x, y + 12 - used + 1)
        y -= max(14 * mm, used + 4 * mm)

    scope_x = 175 * mm
    pdf.setFont(font, 12)
    pdf.drawString(scope_x, top, "经营范围")
    scope_box_w, scope_box_h = width - scope_x - 60 * mm + 32 * mm, 75 * mm
    scope = _fitted_paragraph(data.scope, font, scope_box_w, scope_box_h, 12)
    _, used = scope.wrap(scope_box_w, scope_box_h)
    scope.drawOn(pdf, scope_x, top - 4 * mm - used)

    pdf.setFont(font, 13)
    pdf.drawString(width - 110 * mm, 42 * mm, f"登记机关　{data.authority}")
    pdf.drawString(width - 110 * mm, 33 * mm, chinese_date(data.issue_date))
    pdf.setFont(font, 8)
    pdf.drawString(
        28 * mm,
        22 * mm,
        "国家企业信用信息公示系统网址：www.gsxt.gov.cn　　市场主体应当于每年1月1日至6月30日报送年度报告",
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
