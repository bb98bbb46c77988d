"""Every printed document: its fields as text, its fonts embedded, its QR decodable and verifiable,
nothing overflowing the page or overlapping."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms.verification import verify_payload
from kiosk.devtools.samples import documents, sample_certificates, sample_licence
from tests.zbar import qr_codes_in

KEY = Ed25519PrivateKey.generate()
DOCUMENTS = documents(KEY)
WITH_QR = [name for name in DOCUMENTS if name != "licence-calibration"]


def flat(text: str) -> str:
    return "".join(text.split())


def expected_values(name: str) -> list[str]:
    if name.startswith("licence"):
        return list(sample_licence(KEY).values().values())
    cert = sample_certificates(KEY)[name]
    return [cert.title, cert.number, cert.issuer] + [value for _, value in cert.fields if value]


@pytest.fixture
def pdf(request, tmp_path: Path) -> Path:
    path = tmp_path / f"{request.param}.pdf"
    path.write_bytes(DOCUMENTS[request.param])
    return path


@pytest.mark.parametrize("pdf", WITH_QR, indirect=True)
def test_pdftotext_shows_every_field(pdf: Path) -> None:
    text = flat(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    )
    for value in expected_values(pdf.stem):
        assert flat(value) in text, value


@pytest.mark.parametrize("pdf", list(DOCUMENTS), indirect=True)
def test_pdffonts_shows_every_font_embedded(pdf: Path) -> None:
    rows = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5] == "yes", row
        assert re.search(r"WenQuanYiZenHei|HanaMin", row), row


@pytest.mark.parametrize("pdf", WITH_QR, indirect=True)
def test_the_qr_decodes_at_300_dpi_and_verifies_and_one_byte_changed_is_refused(
    pdf: Path, tmp_path: Path
) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    [page] = tmp_path.glob("p*.png")
    [payload] = qr_codes_in(page)
    body = verify_payload(payload, KEY.public_key())
    assert body is not None and body["k"] == "DEMO-370302-001"
    for at in range(len(payload)):
        changed = payload[:at] + chr(ord(payload[at]) ^ 0x01) + payload[at + 1 :]
        assert verify_payload(changed, KEY.public_key()) is None, (at, changed)


@pytest.mark.parametrize("pdf", list(DOCUMENTS), indirect=True)
def test_no_word_leaves_the_page_or_overlaps_another(pdf: Path) -> None:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        width, height, body = float(page[0]), float(page[1]), page[2]
        words = [
            (float(a), float(b), float(c), float(d), w)
            for a, b, c, d, w in re.findall(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', body
            )
        ]
        assert words
        for x0, y0, x1, y1, word in words:
            assert 0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height, (pdf.stem, word)
        for i, (ax0, ay0, ax1, ay1, aw) in enumerate(words):
            for bx0, by0, bx1, by1, bw in words[i + 1 :]:
                overlap_x = min(ax1, bx1) - max(ax0, bx0)
                overlap_y = min(ay1, by1) - max(ay0, by0)
                assert overlap_x <= 0.5 or overlap_y <= 0.5, f"{pdf.stem}: '{aw}' overlaps '{bw}'"
