"""Who the resident is: the identity a card or an e-ID code gives, in one shape.

An e-ID shown as a QR code is a credential signed by its issuer; it is trusted only when the
signature verifies with a public key in the terminal's trust folder (one `<issuer>.pem` per
issuer), so a code made up on a phone identifies nobody.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from devices.camera.qr_payloads import QrPayload
from devices.id_card import IdCardRead, IdCardStatus, applicant_fields
from forms.ids import parse_resident_id
from forms.verification import sign_body, verify_payload
from sync.keys import load_public_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refused:
    """Why an identity was not taken, whichever source offered it (a typed name and number, an
    e-ID code, the hall staff's check): a reason for the log, the sentence to show when the
    source has one, and for a typed identity each field's problem."""

    reason: str
    message: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)


class Identity(Protocol):
    """What the session needs of an identified resident, whatever identified them."""

    # Read-only properties: the identities are frozen dataclasses, and a session never edits one.
    @property
    def name(self) -> str:
        """The resident's name as the source gives it."""

    @property
    def id_number(self) -> str:
        """The 18-character citizen identity number."""

    @property
    def address(self) -> str:
        """The registered address, where the source has one ("" otherwise)."""

    def as_applicant(self) -> dict[str, object]:
        """The fields forms and rules read."""


@dataclass(frozen=True)
class EIdIdentity:
    """A resident identified by a verified e-ID credential (no address: the e-ID carries none)."""

    name: str
    id_number: str
    birth_date: dt.date
    sex: str
    valid_to: dt.date | None
    issuer: str
    address: str = ""

    def as_applicant(self) -> dict[str, object]:
        """The fields forms and rules read."""
        return applicant_fields(self, "e_id")


@dataclass(frozen=True)
class ManualIdentity:
    """A resident without a card, who typed their name and ID number (birth date and sex come
    from the number). Only an item with a face photo accepts it: the photo is what an officer
    checks the typed identity against."""

    name: str
    id_number: str
    birth_date: dt.date
    sex: str
    valid_to: dt.date | None = None
    address: str = ""

    def as_applicant(self) -> dict[str, object]:
        """The fields forms and rules read."""
        return applicant_fields(self, "manual_with_face")


@dataclass(frozen=True)
class Visitor:
    """Nobody in particular: an item that needs no identity (printing a guide) is done without
    reading a card, and its case carries no personal data."""

    name: str = ""
    id_number: str = ""
    address: str = ""
    sex: str = ""
    birth_date: dt.date = dt.date(1900, 1, 1)  # no age is read by an item that needs no identity
    valid_to: dt.date | None = None

    def as_applicant(self) -> dict[str, object]:
        """The fields forms and rules read (all empty)."""
        return applicant_fields(self, "none")


BAD_CHECK_CHARACTER = "ID number check character failed"


def checked_card(read: IdCardRead) -> IdCardRead:
    """A card read whose ID number fails its GB 11643 check character, as a card error (a
    damaged chip or a forged card): the readers report what they read, the core judges it."""
    if read.data is not None and parse_resident_id(read.data.id_number) is None:
        return IdCardRead(IdCardStatus.CARD_ERROR, None, BAD_CHECK_CHARACTER)
    return read


def manual_identity(name: str, id_number: str) -> ManualIdentity | Refused:
    """The identity typed at the manual-entry screen, or what is wrong with each field."""
    from forms.validators import validate_person_name, validate_resident_id

    name = unicodedata.normalize("NFKC", name).strip()
    id_number = unicodedata.normalize("NFKC", id_number).strip().upper()
    problems = {}
    if name_problem := validate_person_name(name):
        problems["name"] = name_problem
    parts = parse_resident_id(id_number)
    if parts is None and re.fullmatch(r"[0-9]{17}[0-9X]", id_number):
        problems["id_number"] = "身份证号码有一位不对（最后一位对不上），请对照户口簿逐位核对。"
    elif parts is None:
        problems["id_number"] = validate_resident_id(id_number) or "身份证号码有误，请逐位核对。"
    if problems or parts is None:
        return Refused("typed_identity", "请按提示修改标红的内容。", problems)
    return ManualIdentity(name, id_number, parts.birth_date, "1" if parts.is_male else "2")


def trusted_issuers(folder: Path) -> dict[str, Ed25519PublicKey]:
    """Issuer name → public key, from the `*.pem` files in `folder` (unreadable ones are logged)."""
    keys = {}
    for path in sorted(folder.glob("*.pem")) if folder.is_dir() else []:
        try:
            keys[path.stem] = load_public_key(path.read_bytes())
        except ValueError as exc:
            log.error("e-ID trust key %s unusable: %s", path.name, exc)
    return keys


def identity_from_credential(
    payload: QrPayload, issuers: dict[str, Ed25519PublicKey]
) -> EIdIdentity | Refused:
    """The identity in a verified e-ID credential, or the reason there is none.

    Reasons: untrusted_issuer, bad_signature, bad_date.
    """
    issuer = payload.fields["issuer"]
    key = issuers.get(issuer)
    if key is None:
        return Refused("untrusted_issuer")
    if verify_payload(payload.raw, key) is None:
        return Refused("bad_signature")
    parts = parse_resident_id(payload.fields["id_number"])
    if parts is None:
        return Refused("bad_signature")  # signed, yet its number fails the check: the issuer is broken
    expiry = payload.fields["valid_to"]
    try:
        valid_to = None if expiry == "长期" else dt.date.fromisoformat(expiry)
    except ValueError:
        return Refused("bad_date")
    return EIdIdentity(
        payload.fields["name"],
        payload.fields["id_number"],
        parts.birth_date,
        "1" if parts.is_male else "2",
        valid_to,
        issuer,
    )


def sign_credential(
    name: str, id_number: str, valid_to: dt.date | None, issuer: str, key: Ed25519PrivateKey
) -> str:
    """An e-ID credential payload (what the simulated e-ID app shows, and what tests use)."""
    body = {
        "v": "eid1",
        "name": name,
        "id": id_number,
        "exp": valid_to.isoformat() if valid_to else "长期",
        "iss": issuer,
    }
    return sign_body(body, key)
