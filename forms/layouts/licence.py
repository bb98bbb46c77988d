"""The business licence (营业执照) of an individual business on A4 landscape: printed in full
on plain paper, or as 套打 (values only) onto pre-printed stock at calibrated offsets; and the
calibration page technicians print on that stock to measure the offsets."""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from forms.fonts import fonts
from forms.layouts.common import draw_paragraph, draw_qr, draw_text
from forms.layouts.dates import chinese_date

PAGE_W, PAGE_H = landscape(A4)
POSITIONS_FILE = Path(__file__).parent / "licence_positions.toml"
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

    def values(self) -> dict[str, str]:
        """What each positioned field prints."""
        return {
            "credit_code": self.credit_code,
            "name": self.name or NO_NAME,
            "business_type": self.business_type,
            "operator": self.operator,
            "organisation_form": self.organisation_form,
            "registration_date": chinese_date(self.registration_date),
            "premises": self.premises,
            "scope": self.scope,
            "authority": self.authority,
            "issue_date": chinese_date(self.issue_date),
        }


@dataclass(frozen=True)
class Calibration:
    """How this terminal's printer places the stock: offsets in mm and a scale around the corner."""

    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    scale: float = 1.0

    def point(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """PDF coordinates (points, origin bottom-left) of a nominal position (mm from top-left)."""
        x = (x_mm * self.scale + self.offset_x_mm) * mm
        y = PAGE_H - (y_mm * self.scale + self.offset_y_mm) * mm
        return x, y


@cache
def positions() -> dict[str, Any]:
    """The field boxes and the QR position of the licence, from the data file."""
    return tomllib.loads(POSITIONS_FILE.read_text(encoding="utf-8"))


def _values(pdf: Canvas, data: LicenceData, cal: Calibration) -> None:
    values = data.values()
    for key, box in positions()["fields"].items():
        x, top = cal.point(box["x"], box["y"])
        size = box["size"] * cal.scale
        if key == "credit_code":
            draw_text(pdf, x, top - size, values[key], size)
        else:
            draw_paragraph(
                pdf, values[key], x, top, box["w"] * mm * cal.scale, box["h"] * mm * cal.scale, size
            )
    qr = positions()["qr"]
    x, top = cal.point(qr["x"], qr["y"])
    side = qr["size"] * mm * cal.scale
    draw_qr(pdf, data.qr_payload, x, top - side, side)


def _frame(pdf: Canvas) -> None:
    """What the pre-printed stock carries: border, title, labels, fixed notices."""
    pdf.setStrokeColorRGB(0.55, 0.1, 0.1)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, PAGE_W - 24 * mm, PAGE_H - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(15 * mm, 15 * mm, PAGE_W - 30 * mm, PAGE_H - 30 * mm)
    pdf.setStrokeColorRGB(0, 0, 0)
    draw_text(pdf, PAGE_W / 2, PAGE_H - 45 * mm, "营 业 执 照", 40, anchor="centre")
    nominal = Calibration()
    for key, box in positions()["fields"].items():
        if not box["label"]:
            continue
        x, top = nominal.point(box["x"], box["y"])
        if key == "credit_code":
            draw_text(pdf, x, top + 2 * mm, box["label"], 12)
        elif key == "authority":
            draw_text(pdf, x - 2 * mm, top - 12 * 1.2, box["label"], 13, anchor="right")
        else:
            draw_text(
                pdf,
                28 * mm if x < 150 * mm else x,
                top - 12 * 1.2 if x < 150 * mm else top + 3 * mm,
                box["label"],
                12,
            )
    qr = positions()["qr"]
    x, top = nominal.point(qr["x"], qr["y"])
    draw_text(
        pdf,
        x + qr["size"] * mm / 2,
        top - qr["size"] * mm - 4 * mm,
        "扫码核验本执照真伪",
        7.5,
        anchor="centre",
    )
    pdf.setFont(fonts().main, 8)
    pdf.drawString(
        28 * mm,
        22 * mm,
        "国家企业信用信息公示系统网址：www.gsxt.gov.cn　　市场主体应当于每年1月1日至6月30日报送年度报告",
    )


def render_licence_pdf(
    data: LicenceData, overlay: bool = False, calibration: Calibration | None = None
) -> bytes:
    """The licence as a one-page PDF: in full, or only the values for 套打 onto pre-printed stock."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), initialFontName=fonts().main, initialFontSize=12)
    pdf.setTitle(f"营业执照 {data.credit_code}")
    pdf.setAuthor(data.authority)
    if not overlay:
        _frame(pdf)
    _values(pdf, data, calibration if overlay and calibration else Calibration())
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


CALIBRATION_STEPS = (
    "在预印执照纸上打印本页，读出红框与预印栏目的偏差（毫米），",
    "填入终端配置 [printing]，再打印一次核对。",
)
CHECK_STEPS = (
    "在预印执照纸上打印本页：红框应正好落在预印栏目里，",
    "如仍有偏差，再运行一次校准：installer calibrate",
)


def render_calibration_pdf(calibration: Calibration, check: bool = False) -> bytes:
    """The calibration page: a millimetre grid, and the value boxes where 套打 will put them;
    with `check`, the page printed after the offsets are set, to confirm them on the stock."""
    title = "营业执照套打核对页" if check else "营业执照套打校准页"
    steps = CHECK_STEPS if check else CALIBRATION_STEPS
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), initialFontName=fonts().main, initialFontSize=8)
    pdf.setTitle(title)
    width_mm, height_mm = int(PAGE_W / mm), int(PAGE_H / mm)
    for n in range(0, max(width_mm, height_mm) + 1):
        grey, weight = (0.35, 0.6) if n % 10 == 0 else (0.6, 0.35) if n % 5 == 0 else (0.85, 0.15)
        pdf.setStrokeColorRGB(grey, grey, grey)
        pdf.setLineWidth(weight)
        if n <= width_mm:
            pdf.line(n * mm, 0, n * mm, PAGE_H)
        if n <= height_mm:
            pdf.line(0, PAGE_H - n * mm, PAGE_W, PAGE_H - n * mm)
    pdf.setFillColorRGB(0.2, 0.2, 0.2)
    for n in range(10, width_mm, 10):
        pdf.drawCentredString(n * mm, PAGE_H - 4 * mm, str(n))
    for n in range(10, height_mm, 10):
        pdf.drawString(1 * mm, PAGE_H - n * mm - 1 * mm, str(n))
    pdf.setStrokeColorRGB(0.8, 0, 0)
    pdf.setFillColorRGB(0.8, 0, 0)
    pdf.setLineWidth(0.8)
    pdf.setDash(3, 2)
    for key, box in positions()["fields"].items():
        x, top = calibration.point(box["x"], box["y"])
        w, h = box["w"] * mm * calibration.scale, box["h"] * mm * calibration.scale
        pdf.rect(x, top - h, w, h)
        draw_text(
            pdf, x + 1 * mm, top - 3.5 * mm, f"{box['label'].replace('　', '') or '发证日期'} ({key})", 7
        )
    pdf.setDash()
    for x_mm, y_mm in ((20, 20), (277, 190)):  # crosshairs to measure offsets from
        x, y = calibration.point(x_mm, y_mm)
        pdf.line(x - 6 * mm, y, x + 6 * mm, y)
        pdf.line(x, y - 6 * mm, x, y + 6 * mm)
        pdf.circle(x, y, 2 * mm)
    pdf.setFillColorRGB(0, 0, 0)
    # The instructions sit in the empty band right of the credit code, clear of every box.
    centre_x, top = 205 * mm, PAGE_H - 48 * mm
    draw_text(pdf, centre_x, top, title, 16, anchor="centre")
    draw_text(
        pdf,
        centre_x,
        top - 7 * mm,
        f"当前校准：水平 {calibration.offset_x_mm:+.1f} mm，"
        f"垂直 {calibration.offset_y_mm:+.1f} mm，比例 {calibration.scale:.3f}",
        9.5,
        anchor="centre",
    )
    draw_text(pdf, centre_x, top - 13 * mm, steps[0], 8.5, anchor="centre")
    draw_text(pdf, centre_x, top - 18 * mm, steps[1], 8.5, anchor="centre")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
