"""e-ID credentials: trusted only when signed by an issuer in the terminal's trust folder."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devices.camera.qr_payloads import QrPayload, parse_payload
from devices.demo_residents import demo_residents
from devices.id_card import IdCardRead, IdCardStatus, SimulatedIdCardReader
from kiosk.core.identity import (
    BAD_CHECK_CHARACTER,
    Refused,
    checked_card,
    identity_from_credential,
    sign_credential,
    trusted_issuers,
)
from sync.keys import public_key_pem

ID_NUMBER = "370302197503080116"


def credential(key: Ed25519PrivateKey, valid_to: dt.date | None = dt.date(2036, 3, 8), **change) -> QrPayload:
    text = sign_credential("王建国", ID_NUMBER, valid_to, "county-ctid", key)
    for old, new in change.items():
        text = text.replace(old, new)
    payload = parse_payload(text)
    assert isinstance(payload, QrPayload)
    return payload


def test_a_credential_from_a_trusted_issuer_gives_the_identity() -> None:
    key = Ed25519PrivateKey.generate()
    identity = identity_from_credential(credential(key), {"county-ctid": key.public_key()})
    assert identity.name == "王建国" and identity.id_number == ID_NUMBER
    assert identity.birth_date == dt.date(1975, 3, 8) and identity.sex == "1"
    assert identity.valid_to == dt.date(2036, 3, 8)
    assert identity.as_applicant()["identified_by"] == "e_id"


def test_a_credential_without_expiry_is_long_term() -> None:
    key = Ed25519PrivateKey.generate()
    assert identity_from_credential(credential(key, None), {"county-ctid": key.public_key()}).valid_to is None


def test_an_issuer_the_terminal_does_not_trust_identifies_nobody() -> None:
    key = Ed25519PrivateKey.generate()
    assert identity_from_credential(credential(key), {}) == Refused("untrusted_issuer")


def test_a_changed_name_breaks_the_signature() -> None:
    key = Ed25519PrivateKey.generate()
    tampered = credential(key, **{"王建国": "王建军"})
    assert identity_from_credential(tampered, {"county-ctid": key.public_key()}) == Refused("bad_signature")


def test_a_credential_signed_by_another_key_is_refused() -> None:
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    assert identity_from_credential(credential(other), {"county-ctid": key.public_key()}) == Refused("bad_signature")


def test_the_trust_folder_holds_one_pem_per_issuer_and_skips_broken_ones(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    (tmp_path / "county-ctid.pem").write_text(public_key_pem(key))
    (tmp_path / "broken.pem").write_text("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n")
    issuers = trusted_issuers(tmp_path)
    assert list(issuers) == ["county-ctid"]
    assert trusted_issuers(tmp_path / "missing") == {}


def test_a_card_whose_number_fails_its_check_character_is_read_by_the_reader_and_refused_by_the_core() -> None:
    card = demo_residents()["adult"][1]
    forged = replace(card, id_number=card.id_number[:-1] + ("0" if card.id_number[-1] != "0" else "1"))
    reader = SimulatedIdCardReader()
    reader.insert(forged)
    read = reader.read()
    assert read.status is IdCardStatus.CARD_PRESENT and read.data == forged  # the reader reports
    refused = checked_card(read)
    assert refused.status is IdCardStatus.CARD_ERROR and refused.data is None  # the core judges
    assert refused.detail == BAD_CHECK_CHARACTER
    genuine = IdCardRead(IdCardStatus.CARD_PRESENT, card)
    assert checked_card(genuine) is genuine
