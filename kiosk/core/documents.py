"""Build, number and sign the documents of a case, from the business registry and its answers.

Every document is numbered from a per-kind yearly counter in the store (so numbers never
repeat on this terminal, whatever the clock says) and carries a QR payload signed with the
terminal's key. Rendering is pure (forms/layouts); this module gathers the data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms.catalogue import ServiceItem
from forms.divisions import Division
from forms.layouts.content import BusinessFacts, document_number
from forms.outcomes import OUTCOME_LABELS
from forms.verification import fields_hash, sign_payload
from kiosk.config import KioskConfig
from kiosk.core.cases import CaseRecord
from kiosk.core.reference_store import SqliteReference
from kiosk.core.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedDocument:
    """A document ready to journal and print."""

    kind: str
    title: str
    number: str
    fields_hash: str
    pdf: bytes


class DocumentUnavailableError(LookupError):
    """The data a document needs is not on this terminal yet (a live query, a photo)."""


class DocumentService:
    """Makes the PDFs of a case's documents for one terminal."""

    def __init__(
        self,
        config: KioskConfig,
        store: Store,
        reference: SqliteReference,
        division: Division,
        signing_key: Callable[[], Ed25519PrivateKey],
        catalogue: Callable[[], Mapping[str, ServiceItem]],
    ):
        self.config = config
        self.store = store
        self.reference = reference
        self.division = division
        self.signing_key = signing_key
        self.catalogue = catalogue

    def sign(self, kind: str, number: str, key_fields: Mapping[str, str]) -> str:
        """The signed QR payload of a document."""
        return sign_payload(
            kind,
            number,
            key_fields,
            dt.datetime.now().isoformat(timespec="seconds"),
            self.config.terminal_id,
            self.signing_key(),
        )

    def next_number(self, kind: str, year: int) -> str:
        """The next number of `kind` this year on this terminal (a counter, not a clock)."""
        with self.store.durable() as conn:
            seq = self.store.next_counter(conn, f"doc:{kind}:{year}")
        return document_number(
            kind, self.division.code, self.division.name, year, self.config.terminal_id, seq
        )

    def business(self, credit_code: str, operator: str) -> BusinessFacts:
        """A registered business as documents print it."""
        record = self.reference.business_details(credit_code)
        if record is None:
            raise DocumentUnavailableError(f"business {credit_code} is not in the registry")
        scope = self.reference.scope_entries()
        return BusinessFacts(
            credit_code,
            record["name"],
            operator,
            record["organisation_type"],
            record["premises"],
            "；".join(scope[c].name for c in json.loads(record["scope"]) if c in scope),
            dt.date.fromisoformat(record["registered_on"]),
        )

    def _temporary_identity_proof(self, case: CaseRecord, personal: Mapping[str, Any], today: dt.date) -> Any:
        """临时身份证明: the household register's answer and the face photo taken at this terminal."""
        from forms.ids import parse_resident_id
        from forms.layouts import documents as docs
        from forms.layouts.dates import chinese_date
        from kiosk.core import attachments

        answers, applicant = personal["answers"], personal["applicant"]
        population = (personal.get("live") or {}).get("population") or {}
        if not population.get("police_station"):
            raise DocumentUnavailableError("no household-register answer from the live query")
        digest = attachments.digest_of(answers.get("face_photo"))
        if digest is None:
            raise DocumentUnavailableError("no face photo on the case")
        try:
            photo = attachments.content(self.store, digest)
        except KeyError:
            raise DocumentUnavailableError("the face photo is not on this terminal") from None
        parts = parse_resident_id(applicant["id_number"])
        person = {
            "name": applicant["name"],
            "id_number": applicant["id_number"],
            "sex_label": {"1": "男", "2": "女"}.get(str(applicant.get("sex", "")), ""),
            "birth": chinese_date(parts.birth_date) if parts else "",
            "address": population.get("household_address") or applicant.get("address", ""),
        }
        return docs.temporary_identity_proof(
            self.next_number("temporary_identity_proof", today.year),
            person,
            answers.get("reason", ""),
            answers.get("purpose", ""),
            today + dt.timedelta(days=90),  # 证明有效期3个月 (the item's time limit)
            photo,
            today,
            population["police_station"],
            self.sign,
        )

    def build(
        self, kind: str, case: CaseRecord, personal: Mapping[str, Any], today: dt.date
    ) -> RenderedDocument:
        """Render one document of a case; DocumentUnavailableError when its data is not here."""
        from forms.layouts import documents as docs
        from forms.layouts.certificate import render_certificate

        answers, applicant = personal["answers"], personal["applicant"]
        authority, year = self.config.registration_authority, today.year
        code = case.summary.get("credit_code", "")
        if kind == "deregistration_notice":
            cert = docs.deregistration_notice(
                self.next_number(kind, year),
                self.business(code, applicant["name"]),
                today,
                authority,
                self.sign,
            )
        elif kind in ("food_filing_certificate", "industry_licence"):
            builder = (
                docs.food_filing_certificate if kind == "food_filing_certificate" else docs.industry_licence
            )
            cert = builder(
                self.next_number(kind, year),
                self.business(code, applicant["name"]),
                answers.get("storage_conditions") or [],
                answers.get("food_safety_manager") or applicant["name"],
                today,
                authority,
                self.sign,
            )
        elif kind == "acceptance_notice":
            cert = docs.acceptance_notice(
                case.number,
                case.summary["item_name"],
                applicant["name"],
                OUTCOME_LABELS[case.outcome],
                case.summary.get("notices", []),
                today,
                self.config.hall_name,
                authority,
                self.sign,
                case.summary.get("permits", []),
            )
        elif kind == "guide":
            items = {item.name: item for item in self.catalogue().values()}
            item = items.get(answers.get("guide_item", ""))
            if item is None:
                raise DocumentUnavailableError(f"no item named {answers.get('guide_item')!r}")
            cert = docs.service_guide(
                self.next_number(kind, year), item, self.config.hall_name, today, self.sign
            )
        elif kind == "insurance_certificate":
            insurance = (personal.get("live") or {}).get("insurance")
            if not insurance or not insurance.get("records"):
                raise DocumentUnavailableError("no contribution records from the live query")
            cert = docs.insurance_certificate(
                self.next_number(kind, year),
                applicant["name"],
                applicant["id_number"],
                answers.get("certificate_type") or insurance["insured_type"],
                answers.get("period") or "近12个月",
                [tuple(r) for r in insurance["records"]],
                today,
                insurance.get("agency") or authority,
                self.sign,
            )
        elif kind == "temporary_identity_proof":
            cert = self._temporary_identity_proof(case, personal, today)
        else:
            raise DocumentUnavailableError(f"{kind} is not a document this terminal renders")
        return RenderedDocument(
            kind, cert.title, cert.number, fields_hash(cert.key_fields()), render_certificate(cert)
        )
