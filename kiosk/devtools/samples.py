"""Every document and receipt the terminal prints, rendered from synthetic sample data into one
folder as PDF and PNG, for people to look at (`python -m kiosk.devtools documents`) and for the
layout tests."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devices.receipt_printer import PAPER_CHARS, receipt_bytes
from forms.catalogue import load_catalogue
from forms.layouts import documents as docs
from forms.layouts.certificate import Certificate, render_certificate
from forms.layouts.content import BusinessFacts
from forms.layouts.licence import Calibration, LicenceData, render_calibration_pdf, render_licence_pdf
from forms.layouts.receipt import acceptance_receipt
from forms.verification import sign_payload
from kiosk.devtools.escpos_preview import render_escpos_png

TODAY = dt.date(2026, 11, 23)
AUTHORITY = "淄博市淄川区市场监督管理局"
LONG_SCOPE = "；".join(
    [
        "日用百货销售",
        "食品销售（仅销售预包装食品）",
        "五金产品零售",
        "服装服饰零售",
        "新鲜水果零售",
        "日用电器修理",
        "理发服务",
        "生活美容服务",
        "文具用品零售",
        "体育用品及器材零售",
        "玩具销售",
        "化妆品零售",
        "个人卫生用品销售",
        "厨具卫具及日用杂品零售",
        "家用电器销售",
    ]
)
BUSINESS = BusinessFacts(
    "92370302MA000Y6G98",
    "淄川区华星百货店",
    "王𠮷",
    "家庭经营",
    "山东省淄博市淄川区般阳路街道东关村一组125号（村委会东侧二层沿街门面）",
    LONG_SCOPE,
    dt.date(2026, 11, 23),
)


@dataclass(frozen=True)
class Sample:
    """One rendered sample: its name, its PDF (None for receipts) and its PNG pages."""

    name: str
    pdf: Path | None
    pngs: tuple[Path, ...]


def _signer(key: Ed25519PrivateKey) -> Callable[[str, str, Mapping[str, str]], str]:
    def sign(kind: str, number: str, fields: Mapping[str, str]) -> str:
        return sign_payload(kind, number, fields, "2026-11-23T09:30:00", "DEMO-370302-001", key)

    return sign


def _pdf_sample(out: Path, name: str, pdf: bytes, dpi: int) -> Sample:
    path = out / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), str(out / name)], check=True)
    return Sample(name, path, tuple(sorted(out.glob(f"{name}-*.png"))))


def sample_licence(key: Ed25519PrivateKey) -> LicenceData:
    """The sample licence, signed."""
    licence = LicenceData(
        BUSINESS.credit_code,
        BUSINESS.name,
        BUSINESS.operator,
        BUSINESS.organisation_type,
        BUSINESS.scope_text,
        BUSINESS.premises,
        BUSINESS.registered_on,
        AUTHORITY,
        TODAY,
        "",
    )
    return LicenceData(
        **{
            **licence.__dict__,
            "qr_payload": _signer(key)("business_licence", licence.credit_code, licence.key_fields()),
        }
    )


def sample_certificates(key: Ed25519PrivateKey) -> dict[str, Certificate]:
    """Every certificate and notice, filled with synthetic data that strains the layouts."""
    sign = _signer(key)
    person = {
        "name": "阿依古丽·买买提",
        "sex_label": "女",
        "birth": "1988年12月12日",
        "id_number": "370302198812120040",
        "address": "山东省淄博市淄川区松龄路街道松龄东路9号",
    }
    # The 36 months before November 2026: 2023-11 … 2026-10.
    months = [
        (f"{2023 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}", "4,800.00", "384.00", "已缴") for m in range(1, 37)
    ]
    items = load_catalogue()
    return {
        "deregistration-notice": docs.deregistration_notice(
            "（淄川区）登记个销字〔2026〕第00100012号", BUSINESS, TODAY, AUTHORITY, sign
        ),
        "food-filing-certificate": docs.food_filing_certificate(
            "YB370302202600100007", BUSINESS, ["常温", "冷藏"], "王𠮷", TODAY, AUTHORITY, sign
        ),
        "industry-licence": docs.industry_licence(
            "370302YYYZ202600100003", BUSINESS, ["常温"], "王𠮷", TODAY, AUTHORITY, sign
        ),
        "insurance-certificate": docs.insurance_certificate(
            "SB3703022026001000031",
            "王䶮",
            "37030219900101007X",
            "城乡居民养老保险参保证明",
            "近36个月",
            months,
            TODAY,
            "淄博市淄川区社会保险事业中心",
            sign,
        ),
        "temporary-identity-proof": docs.temporary_identity_proof(
            "LS370302202600100002",
            person,
            "身份证遗失",
            "办理银行业务",
            TODAY + dt.timedelta(days=90),
            _sample_photo(),
            TODAY,
            "淄博市公安局淄川分局般阳路派出所",
            sign,
        ),
        "acceptance-notice": docs.acceptance_notice(
            "DEMO-370302-001-000042",
            "个体工商户设立登记",
            "王建国",
            "已受理，材料以后补交",
            [
                {
                    "message": "场所使用证明还没有拍摄。",
                    "remedy": "请把场所使用证明带到窗口或在本机补拍，补齐后发放执照。",
                    "place": "便民服务中心市场监管窗口",
                    "within_days": 5,
                }
            ],
            TODAY,
            "淄川区便民服务中心",
            AUTHORITY,
            sign,
        ),
        "guide": docs.service_guide(
            "ZN3703022026001000009",
            items["individual-business-registration"],
            "淄川区便民服务中心",
            TODAY,
            sign,
        ),
    }


def documents(key: Ed25519PrivateKey) -> dict[str, bytes]:
    """Every A4 document as PDF bytes: the licence in full and as 套打, the calibration page, the rest."""
    licence = sample_licence(key)
    out = {
        "licence-full": render_licence_pdf(licence),
        "licence-overlay": render_licence_pdf(licence, overlay=True, calibration=Calibration(1.5, -2.0, 1.0)),
        "licence-calibration": render_calibration_pdf(Calibration(1.5, -2.0, 1.0)),
    }
    out.update({name: render_certificate(cert) for name, cert in sample_certificates(key).items()})
    return out


def _sample_photo() -> bytes:
    """A plain portrait placeholder (the real one comes from the face capture)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (358, 441), (232, 238, 246))
    draw = ImageDraw.Draw(image)
    draw.ellipse((109, 70, 249, 230), fill=(180, 190, 205))
    draw.rectangle((69, 260, 289, 441), fill=(180, 190, 205))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def receipts() -> dict[str, tuple[bytes, int]]:
    """Receipts on 58 and 80 mm paper, GB18030 and GBK, as the exact ESC/POS bytes."""
    from escpos.printer import Dummy

    out = {}
    for paper, encoding in ((80, "gb18030"), (58, "gb18030"), (58, "gbk")):
        receipt = acceptance_receipt(
            hall_name="淄川区昆仑镇便民服务中心",
            item_name="开办便利店（一业一证）",
            case_number="DEMO-370302-001-000123",
            outcome_label="签承诺后当场办结",
            applicant_name="𠮷祥",
            documents=["营业执照", "行业综合许可证（便利店）"],
            decided_at=dt.datetime(2026, 11, 23, 9, 41),
            credit_code="92370302MA000Y6GAB",
            terminal_id="DEMO-370302-001",
            line_chars=PAPER_CHARS[paper],
        )
        printer = Dummy()
        receipt_bytes(printer, receipt, encoding)
        out[f"receipt-{paper}mm-{encoding}"] = (printer.output, paper)
    return out


def render_all(out: Path, key: Ed25519PrivateKey, dpi: int = 100) -> list[Sample]:
    """Render every document and receipt into `out` (PDF and PNG)."""
    out.mkdir(parents=True, exist_ok=True)
    samples = [_pdf_sample(out, name, pdf, dpi) for name, pdf in documents(key).items()]
    for name, (data, paper) in receipts().items():
        (out / f"{name}.escpos").write_bytes(data)
        samples.append(Sample(name, None, (render_escpos_png(data, out / f"{name}.png", paper),)))
    return samples
