"""Rare-character residents through the real journey: decided, committed, issued. The licence
the terminal prints reads back (pdftotext) exactly as the fields its QR code signs, and the QR
verifies; a name with a character no embedded font has is accepted for the window instead, with
no licence and no licence number spent."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from devices.demo_residents import demo_residents
from devices.qr import decode_qr_pdf
from forms.ids import resident_id_check_char
from forms.verification import verify_payload
from kiosk.core.session import Session
from kiosk.services import KioskServices
from sync.keys import load_or_create_signing_key
from tests.demo_data import catalogue, sign_every_signature_field
from tests.test_office_decisions import REGISTRATION

ITEM = "individual-business-registration"
NAMES = {  # operator names with a character of each block the fonts draw
    "ext-a": "王䶮",
    "ext-b": "吉𠮷",
    "ext-c": "李𫓧",
    "ext-e": "张𫠠",
    "ext-f": "刘𬺰",
    "ext-g": "赵𰻝",
}


def card(name: str, sequence: int):  # noqa: ANN201 (devices.id_card.IdCardData)
    first17 = f"37030219900101{sequence:03d}"
    base = demo_residents()["adult"][1]
    return replace(base, name=name, id_number=first17 + resident_id_check_char(first17))


def issue_for(services: KioskServices, who, trade_name: str):  # noqa: ANN001, ANN201
    session = Session(90, 15)
    session.start()
    session.choose_item(catalogue()[ITEM])
    session.identified(who)
    sign_every_signature_field(session)
    session.answers.update({**REGISTRATION, "trade_name": trade_name})
    decision = services.journey.decide(session)
    case = services.journey.commit(session, decision)
    return decision, case, services.journey.issue(case)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "licence.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return "".join(out.stdout.decode("utf-8").split())


@pytest.mark.parametrize("block", list(NAMES))
def test_a_rare_name_is_issued_and_the_licence_reads_back_as_signed(
    services: KioskServices, tmp_path: Path, block: str
) -> None:
    name = NAMES[block]
    decision, case, issued = issue_for(services, card(name, 101 + 2 * list(NAMES).index(block)), name)
    assert decision.outcome == "approved", [f.message for f in decision.failures]
    assert issued.licence_pdf is not None and not issued.problems
    text = pdf_text(issued.licence_pdf, tmp_path)
    business_name = f"淄川区{name}百货店"
    for value in (business_name, name, case.summary["credit_code"], "淄川区般阳路街道东关村125号"):
        assert value in text, (value, text)
    (tmp_path / "printed.pdf").write_bytes(issued.licence_pdf)
    [payload] = decode_qr_pdf(tmp_path / "printed.pdf")
    key = load_or_create_signing_key(services.config.data_dir / "keys" / "terminal_ed25519.pem")
    signed = verify_payload(payload, key.public_key())
    assert signed is not None and signed["n"] == case.summary["credit_code"]


def test_a_name_no_font_prints_is_accepted_for_the_window_without_a_licence(services: KioskServices) -> None:
    from kiosk.core.licence_serials import licence_serials_left

    left = licence_serials_left(services.store)
    decision, case, issued = issue_for(services, card("钱\U0002ebf0", 301), "华星")  # Extension I
    assert decision.outcome == "manual_review"
    assert [f.rule_id for f in decision.failures] == ["characters-printable"]
    assert "字库" in decision.failures[0].message and decision.failures[0].remedy.text
    assert issued.licence_pdf is None and "credit_code" not in case.summary
    assert licence_serials_left(services.store) == left
    assert services.cases.get(case.id) is not None  # kept for the window
