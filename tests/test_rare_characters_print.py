"""Rare characters (生僻字) on the business licence: every character of a signed field prints in
an embedded font and reads back exactly, or `unprintable_characters` says beforehand that it
cannot (and the case goes to a window instead of a licence whose QR its own page contradicts).

The characters come from each CJK extension; assets/fonts/README.md has the fonts' coverage.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace
from reportlab.pdfgen.canvas import Canvas

from forms.fonts import font_file, fonts, unprintable_characters
from forms.ids import individual_business_credit_code
from forms.layouts.common import draw_text
from forms.layouts.dates import chinese_date
from forms.layouts.licence import LicenceData, render_licence_pdf
from forms.verification import fields_hash, sign_payload, verify_payload

KEY = Ed25519PrivateKey.generate()

# Two characters of each block, each drawn by some installed font (BabelStone Han draws all of
# them too, so they print without Hanazono), then used in a trade name, an operator's name and
# an address.
RARE = {
    "ext-a": ("\u3400", "\u4dae"),  # 㐀 䶮 (刘䶮)
    "ext-b": ("\U00020bb7", "\U0002123c"),  # 𠮷 𡈼
    "ext-c": ("\U0002b4e7", "\U0002b5ae"),  # 𫓧 𫖮 (通用规范汉字表)
    "ext-d": ("\U0002b7e6", "\U0002b7fc"),  # 𫟦 𫟼 (通用规范汉字表)
    "ext-e": ("\U0002c317", "\U0002cb5a"),  # 𬌗 𬭚 (通用规范汉字表)
    "ext-f": ("\U0002ceb0", "\U0002ceb1"),  # 𬺰 𬺱
    "ext-g": ("\U00030edd", "\U00030ede"),  # 𰻝 𰻞 (biáng)
    "compatibility": ("\ufacf", "\U0002f803"),  # WenQuanYi maps both to empty glyphs
}
# Assigned CJK ideographs no installed font draws: Ext G U+30041 (Unicode 13, known to this
# Python's unicodedata) and Ext I U+2EBF0 (Unicode 15.1, newer than Python 3.11's data).
NO_FONT_HAS = ("\U00030041", "\U0002ebf0")


def licence(first: str, second: str) -> LicenceData:
    data = LicenceData(
        credit_code=individual_business_credit_code("370302", 42),
        name=f"淄川区{first}{second}面馆",
        operator=f"王{second}{first}",
        organisation_form="个人经营",
        scope="餐饮服务（不含生食）；食品销售（仅销售预包装食品）",
        premises=f"山东省淄博市淄川区般阳路街道{first}家村125号",
        registration_date=dt.date(2026, 11, 23),
        authority="淄博市淄川区市场监督管理局",
        issue_date=dt.date(2026, 11, 23),
        qr_payload="",
    )
    payload = sign_payload(
        "business_licence", data.credit_code, data.key_fields(), "2026-11-23T09:00:00", "DEMO-370302-001", KEY
    )
    return LicenceData(**{**data.__dict__, "qr_payload": payload})


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdffonts(pdf: Path) -> list[str]:
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return lines.strip().splitlines()[2:]


def postscript_name(font: str) -> str:
    """The name pdffonts shows for a registered font (less the subset tag and number)."""
    name = pdfmetrics.getFont(font).face.name
    return name.decode() if isinstance(name, bytes) else name


@pytest.mark.parametrize("block", list(RARE))
def test_every_rare_character_has_a_font_that_draws_it(block: str) -> None:
    data = licence(*RARE[block])
    assert unprintable_characters([data.name, data.operator, data.premises]) == []
    for char in RARE[block]:
        assert unicodedata.name(char).startswith("CJK"), char
        assert fonts().font_for(char) is not None, f"U+{ord(char):04X}"
        assert ord(char) in TTFontFace(str(font_file("BabelStoneHan"))).charToGlyph


@pytest.mark.parametrize("overlay", [False, True], ids=["full", "overlay"])
@pytest.mark.parametrize("block", list(RARE))
def test_the_licence_reads_back_every_signed_field_exactly(block: str, overlay: bool, tmp_path: Path) -> None:
    data = licence(*RARE[block])
    pdf = tmp_path / "licence.pdf"
    pdf.write_bytes(render_licence_pdf(data, overlay=overlay))
    flat = "".join(pdftotext(pdf).split())
    signed = data.key_fields()
    for key in ("code", "name", "operator", "premises"):
        assert signed[key] in flat, (key, signed[key])
    assert chinese_date(data.registration_date) in flat
    for value in (data.scope, data.authority, data.organisation_form):
        assert value in flat, value
    body = verify_payload(data.qr_payload, KEY.public_key())
    assert body is not None and body["h"] == fields_hash(signed)


@pytest.mark.parametrize("block", list(RARE))
def test_pdffonts_lists_every_font_the_licence_uses_as_embedded(block: str, tmp_path: Path) -> None:
    data = licence(*RARE[block])
    pdf = tmp_path / "licence.pdf"
    pdf.write_bytes(render_licence_pdf(data))
    rows = pdffonts(pdf)
    assert rows
    for row in rows:
        assert row.split()[-5] == "yes", row  # the emb column
    used = {fonts().font_for(char) for text in data.values().values() for char in text if not char.isspace()}
    assert None not in used
    listed = {re.sub(r"^[A-Z]{6}\+|-\d+$", "", row.split()[0]) for row in rows}
    assert {postscript_name(font) for font in used} <= listed, (used, listed)


def ink(draw, folder: Path) -> int:  # noqa: ANN001 (draws on a reportlab Canvas)
    """Dark pixels of a small page drawn by `draw`, rasterised at 72 dpi."""
    pdf = Canvas(str(folder / "ink.pdf"), pagesize=(80, 80))
    draw(pdf)
    pdf.showPage()
    pdf.save()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-gray",
            "-r",
            "72",
            "-singlefile",
            str(folder / "ink.pdf"),
            str(folder / "ink"),
        ],
        check=True,
    )
    with Image.open(folder / "ink.png") as page:
        return sum(page.convert("L").histogram()[:128])


@pytest.mark.parametrize(
    "char", [char for pair in RARE.values() for char in pair], ids=lambda c: f"U+{ord(c):04X}"
)
def test_each_rare_character_leaves_ink_on_the_page(char: str, tmp_path: Path) -> None:
    assert ink(lambda pdf: draw_text(pdf, 10, 15, char, 56), tmp_path) > 150, (
        f"U+{ord(char):04X} prints nothing"
    )


def test_wenquanyi_maps_some_ideographs_to_empty_glyphs_so_a_fallback_draws_them(tmp_path: Path) -> None:
    def in_main_font(pdf: Canvas) -> None:
        pdf.setFont(fonts().main, 56)
        pdf.drawString(10, 15, "\ufacf")

    assert ink(in_main_font, tmp_path) == 0  # WenQuanYi's own glyph for U+FACF is empty
    assert fonts().font_for("\ufacf") != fonts().main
    assert ink(lambda pdf: draw_text(pdf, 10, 15, "\ufacf", 56), tmp_path) > 150


def test_a_character_no_font_has_is_reported_not_silently_dropped(caplog: pytest.LogCaptureFixture) -> None:
    g, i = NO_FONT_HAS
    assert unicodedata.name(g) == "CJK UNIFIED IDEOGRAPH-30041"  # assigned, not a private-use stand-in
    for char in NO_FONT_HAS:  # checked against the font files' cmaps, not the coverage sets
        for name in fonts().names:
            assert ord(char) not in TTFontFace(str(font_file(name))).charToGlyph, (name, char)
    names = [f"淄川区{g}{g}面馆", f"王{i}", "山东省淄博市淄川区般阳路街道东关村125号"]
    assert unprintable_characters(names) == [g, i]  # distinct, in order of first appearance
    assert fonts().missing(names[0]) == [g, g]
    with caplog.at_level(logging.DEBUG, logger="forms.fonts"):
        fonts().runs(names[0])
    assert "box" not in caplog.text


def test_whitespace_digits_latin_and_chinese_punctuation_print() -> None:
    texts = [
        "A-1号（东）　3 单元\n",
        "阿卜杜·热合曼",
        "—；：、，。《》“”",
        "9237030200000042XG",
        "",
        "\u00a0\t",
    ]
    assert unprintable_characters(texts) == []


def test_invisible_format_characters_and_variation_selectors_are_reported() -> None:
    # reportlab does not shape: the fallbacks would print their visible placeholder boxes.
    assert unprintable_characters(["葛\U000e0100", "王\u200d五", "王\ufe0f"]) == [
        "\U000e0100",
        "\u200d",
        "\ufe0f",
    ]
