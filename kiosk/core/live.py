"""Live queries of the online items: what a document needs from the centre's registers at the
moment of deciding (参保证明: the contribution months; 临时身份证明: the household record).

The answers become the rules' `live` facts and travel with the case (encrypted) so the document
prints from exactly what was checked. A query that fails counts as the network being down: the
rules then register the request for later, never guess."""

from __future__ import annotations

import base64
import logging
from typing import Any

import httpx

from forms.catalogue import ServiceItem
from forms.facts import Applicant

log = logging.getLogger(__name__)


class LiveQueryError(Exception):
    """The centre did not answer a live query usefully (down, refused, nonsense)."""


def _ask(client: Any, path: str, query: dict[str, Any]) -> dict[str, Any]:
    try:
        response = client.request("POST", path, query)
        answer = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        raise LiveQueryError(f"{path}: {type(exc).__name__}: {exc}"[:200]) from None
    if not isinstance(answer, dict) or not isinstance(answer.get("found"), bool):
        raise LiveQueryError(f"{path}: HTTP {response.status_code}, not an answer")
    return answer


def needs_live_query(item: ServiceItem) -> bool:
    """True when the item's documents need the centre's registers."""
    return "live_query" in item.needs


def live_facts(
    client: Any, item: ServiceItem, applicant: Applicant, answers: dict[str, Any]
) -> dict[str, Any]:
    """The `live` facts of `item` for this applicant (LiveQueryError when the centre fails)."""
    kinds = {document.kind for document in item.documents}
    person = {"id_number": applicant.id_number, "name": applicant.name}
    facts: dict[str, Any] = {}
    if "insurance_certificate" in kinds:
        answer = _ask(
            client,
            "/v1/queries/insurance-record",
            {**person, "period": str(answers.get("period") or "近12个月")},
        )
        records = answer.get("records") or []
        if not all(isinstance(r, list) and len(r) == 4 for r in records):
            raise LiveQueryError("insurance-record: records are not (month, base, personal, status)")
        facts["insurance_record_found"] = answer["found"] and bool(records)
        facts["insurance"] = {
            "insured_type": answer.get("insured_type") or "",
            "agency": answer.get("agency") or "",
            "records": [[str(cell) for cell in r] for r in records],
        }
    if "temporary_identity_proof" in kinds:
        answer = _ask(client, "/v1/queries/population-record", person)
        facts["population_record_found"] = answer["found"]
        facts["population"] = {
            "household_address": answer.get("household_address") or "",
            "police_station": answer.get("police_station") or "",
        }
    log.info(
        "live query answered",
        extra={"item": item.id, "found": sorted(k for k, v in facts.items() if v is True)},
    )
    return facts


def register_photo(client: Any, applicant: Applicant) -> bytes | None:
    """The household register's photo of the applicant (JPEG bytes, for 人证核验 when they have
    no card with them), or None when the register has none; LiveQueryError when the centre fails.
    The bytes are for an in-memory comparison only: never stored, logged or sent on."""
    person = {"id_number": applicant.id_number, "name": applicant.name}
    answer = _ask(client, "/v1/queries/reference-photo", person)
    photo = answer.get("photo")
    if not answer["found"] or not isinstance(photo, str):
        return None
    try:
        data = base64.b64decode(photo, validate=True)
    except ValueError:
        raise LiveQueryError("reference-photo: the photo is not base64") from None
    return data or None
