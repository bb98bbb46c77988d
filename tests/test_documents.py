import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from escpos.printer import Dummy

from devices.receipt_printer import encode_receipt_text, receipt_bytes
from forms.ids import individual_business_credit_code, is_valid_credit_code
from forms.layouts.licence import LicenceData, render_licence_pdf
from forms.layouts.receipt import Receipt, ReceiptLine, acceptance_receipt
from forms.verification import sign_payload, verify_payload
from kiosk.devtools.escpos_preview import parse_escpos, render_escpos_png
from tests.zbar import qr_codes_in

KEY = Ed25519PrivateKey.generate()
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
    ]
    * 3
)


def licence(**changes) -> LicenceData:
    code = individual_business_credit_code("370302", 42)
    base = dict(
        credit_code=code,
        name="淄川区华星百货店",
        operator="王建国",
        organisation_form="个人经营",
        scope="日用百货销售；食品销售（仅销售预包装食品）",
        premises="山东省淄博市淄川区般阳路街道东关村125号",
        registration_date=dt.date(2026, 11, 23),
        authority="淄博市淄川区市场监督管理局",
        issue_date=dt.date(2026, 11, 23),
        qr_payload="",
    )
    base.update(changes)
    data = LicenceData(**base)
    payload = sign_payload(
        "business_licence", data.credit_code, data.key_fields(), "2026-11-23T09:00:00", "DEMO-370302-001", KEY
    )
    return LicenceData(**{**data.__dict__, "qr_payload": payload})


@pytest.fixture
def licence_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "licence.pdf"
    path.write_bytes(render_licence_pdf(licence()))
    return path


def test_pdftotext_shows_every_field_value(licence_pdf: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(licence_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    data = licence()
    for value in (
        data.credit_code,
        data.name,
        "个体工商户",
        data.operator,
        data.organisation_form,
        "日用百货销售；食品销售（仅销售预包装食品）",
        data.premises,
        "2026年11月23日",
        data.authority,
        "营业执照",
    ):
        assert value in flat, value
    assert is_valid_credit_code(data.credit_code) and data.credit_code.startswith("92370302")


def test_pdffonts_shows_only_the_embedded_cjk_font(licence_pdf: Path) -> None:
    lines = subprocess.run(["pdffonts", str(licence_pdf)], capture_output=True, text=True, check=True).stdout
    fonts = lines.strip().splitlines()[2:]
    assert fonts, "no fonts listed"
    for line in fonts:
        assert "WenQuanYiZenHei" in line
        assert line.split()[-5] == "yes"  # emb column


def test_the_qr_code_on_the_printed_page_decodes_and_verifies(licence_pdf: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(licence_pdf), str(tmp_path / "page")], check=True)
    [page] = tmp_path.glob("page*.png")
    [decoded] = qr_codes_in(page)
    body = verify_payload(decoded, KEY.public_key())
    assert body is not None, f"zbar read {decoded!r}; the licence carries {licence().qr_payload!r}"
    assert body["n"] == licence().credit_code and body["t"] == "business_licence"


def test_a_tampered_or_foreign_payload_does_not_verify() -> None:
    payload = licence().qr_payload
    assert verify_payload(payload.replace("9237", "9238"), KEY.public_key()) is None
    assert verify_payload(payload, Ed25519PrivateKey.generate().public_key()) is None
    assert verify_payload("not json", KEY.public_key()) is None


def test_long_scopes_and_names_still_fit_on_the_page(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(
        render_licence_pdf(licence(scope=LONG_SCOPE, name="淄川区" + "华" * 10 + "日用百货便利店"))
    )
    text = "".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "生活美容服务" in text and text.count("五金产品零售") == 3
    # Every word lies inside the printed border (12 mm margins of an A4 landscape page).
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True).stdout
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox)
    assert len(words) > 10
    margin = 12 * 72 / 25.4
    for x0, y0, x1, y1 in ((float(a), float(b), float(c), float(d)) for a, b, c, d in words):
        assert margin < x0 and x1 < 841.89 - margin and margin < y0 and y1 < 595.28 - margin


def test_receipt_text_is_gb18030_with_full_width_yuan_and_rare_characters() -> None:
    assert encode_receipt_text("，。") == "，。".encode("gb18030")
    assert encode_receipt_text("¥5") == "￥5".encode("gb18030")
    assert encode_receipt_text("𠮷").decode("gb18030") == "𠮷"


def test_the_receipt_bytes_render_back_to_the_same_lines(tmp_path: Path) -> None:
    receipt = acceptance_receipt(
        hall_name="淄川区便民服务中心",
        item_name="个体工商户设立登记",
        case_number="DEMO-370302-001-000001",
        outcome_label="当场办结",
        applicant_name="王建国",
        documents=["营业执照"],
        decided_at=dt.datetime(2026, 11, 23, 9, 30),
        credit_code="92370302MA0000016R",
        terminal_id="DEMO-370302-001",
    )
    printer = Dummy()
    receipt_bytes(printer, receipt)
    data = printer.output
    assert data.startswith(b"\x1b@")
    assert "办件编号：DEMO-370302-001-000001".encode("gb18030") in data
    assert b"\x1d(k" in data  # native QR
    assert "王建国".encode("gb18030") not in data  # the name is masked on paper
    rows = [r[0] for r in parse_escpos(data).rows]
    assert "受理回执" in rows and "申请人：王**" in rows and "请妥善保管本回执。" in rows
    png = render_escpos_png(data, tmp_path / "r.png")
    assert png.stat().st_size > 1000


def test_a_punctuation_only_line_survives() -> None:
    printer = Dummy()
    receipt_bytes(printer, Receipt((ReceiptLine("，。"),)))
    assert "，。\n".encode("gb18030") in printer.output
    assert [r[0] for r in parse_escpos(printer.output).rows][0] == "，。"


def test_the_verifier_reads_the_code_of_every_one_of_many_licences(tmp_path: Path) -> None:
    """Each licence's payload differs (number, time, signature), and OpenCV's classic detector
    alone missed about one code in fifteen at 300 dpi: thirty payloads, all must read."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from devices.qr import decode_qr_pdf
    from forms.layouts.common import draw_qr
    from forms.layouts.licence import positions

    side = positions()["qr"]["size"] * mm
    payloads = []
    pdf = Canvas(str(tmp_path / "codes.pdf"), pagesize=(side + 40 * mm, side + 40 * mm))
    for serial in range(30):
        code = individual_business_credit_code("370302", 10_000 + serial)
        issued = f"2026-12-01T09:{serial:02d}:{serial * 7 % 60:02d}"
        payload = sign_payload("business_licence", code, {"名称": f"光明{serial}号店"}, issued, "DEMO-370302-001", KEY)
        payloads.append(payload)
        draw_qr(pdf, payload, 20 * mm, 20 * mm, side)
        pdf.showPage()
    pdf.save()
    assert decode_qr_pdf(tmp_path / "codes.pdf") == payloads
