"""Decisions a person made on cases this terminal sent for review, and licence numbers that
arrive after a case was accepted without one: each applied in one transaction, with the
registry effects the approval gives (kiosk/core/office.py fetches the decisions from the centre).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from forms.catalogue import ServiceItem
from forms.ids import individual_business_credit_code
from forms.outcomes import Outcome
from kiosk.core.cases import CaseRecord, LateLicenceStatus
from kiosk.core.journey import JourneyService
from kiosk.core.licence_serials import LICENCE_WAIT, take_licence_serial
from kiosk.core.lifecycle import CaseState
from kiosk.core.updates import load_catalogue_in_force

log = logging.getLogger(__name__)


def apply_office_decision(
    journey: JourneyService, case_id: str, approved: bool, note: str, reference: str
) -> CaseRecord | None:
    """A back-office decision on a case awaiting review, applied in one transaction.

    Approved: the case takes a licence serial if it registers a business (none left: it
    stays approved with the licence printed later), its registry effects apply, and it can
    be printed here (自助打证). Returned: the note tells the resident what to do.
    Returns None when the case is not on this terminal or not awaiting review.
    """
    case = journey.cases.get(case_id)
    if case is None or case.state is not CaseState.AWAITING_REVIEW:
        return None
    item = load_catalogue_in_force(journey.config.data_dir).get(case.item_id)
    personal = journey.cases.personal(case_id)
    answers = personal["answers"]
    office = {"approved": approved, "note": note, "reference": reference}

    def decide(conn: sqlite3.Connection) -> tuple[str, dict[str, Any]]:
        if not approved:
            return Outcome.RETURNED, {"office": office}
        code = str(answers.get("credit_code") or case.summary.get("credit_code") or "").strip().upper()
        changes: dict[str, Any] = {
            "office": office,
            "documents": case.summary.get("documents_if_approved", []),
        }
        if item is not None and "register_business" in item.effects and not code:
            serial = take_licence_serial(conn)
            if serial is None:  # printed once a block arrives (issue_waiting_licences)
                changes["pending_reason"] = LICENCE_WAIT
                changes["decided_outcome"] = Outcome.APPROVED_BY_OFFICE
                return Outcome.ACCEPTED_PENDING, changes
            code = individual_business_credit_code(journey.division.code, serial)
            changes["licence_serial"] = serial
        if item is not None:
            journey.apply_effects(conn, item, code, answers, personal["applicant"]["id_number"])
        if code:
            changes["credit_code"] = code
            changes["pending_reason"] = None  # numbered now: no longer waiting for one
        return Outcome.APPROVED_BY_OFFICE, changes

    record = journey.cases.office_decision(case_id, approved, decide)
    log.info("office decision applied", extra={"case": case.number, "approved": approved})
    return record


def issue_waiting_licences(journey: JourneyService) -> list[CaseRecord]:
    """Cases accepted while licence numbers were used up get their numbers, oldest first, as far
    as the blocks in hand go; each then prints here or at a window (自助打证), or, for a
    告知承诺, waits for the resident's signature. A case the office approved while the numbers
    were used up gets its number and its registry effects, as the approval would have given
    it, and can then be printed here. A case that stopped waiting since the list was read is
    passed over; only running out of serials ends the round. Returns the cases given a number."""
    waiting = journey.cases.waiting_for_licence_numbers()
    if not waiting:  # the usual round: nothing to read from disk
        return []
    catalogue = load_catalogue_in_force(journey.config.data_dir)
    issued = []
    for case_id in waiting:
        case = journey.cases.get(case_id)
        if case is None:
            continue
        found = catalogue.get(case.item_id)
        if found is None:
            log.error("waiting case's item not in the catalogue", extra={"case": case_id})
            continue
        item: ServiceItem = found
        personal = journey.cases.personal(case_id)

        def complete(
            conn: sqlite3.Connection,
            serial: int,
            outcome: str,
            item: ServiceItem = item,
            answers: dict[str, Any] = personal["answers"],
            applicant_id: str = personal["applicant"]["id_number"],
        ) -> dict[str, Any]:
            code = individual_business_credit_code(journey.division.code, serial)
            # Approved by the rules or by the office: the effects apply now, as they would
            # have with a number in hand. On commitment: they wait for the signature.
            if outcome in (Outcome.APPROVED, Outcome.APPROVED_BY_OFFICE):
                journey.apply_effects(conn, item, code, answers, applicant_id)
            return {"credit_code": code}

        late = journey.cases.issue_waiting_licence(case_id, complete)
        if late.status is LateLicenceStatus.NO_SERIAL_LEFT:
            break  # the rest wait for the next block, oldest first
        if late.status is LateLicenceStatus.NOT_WAITING or late.record is None:
            log.info("case no longer waiting for a licence number", extra={"case": case.number})
            continue
        log.info("licence number issued late", extra={"case": late.record.number})
        issued.append(late.record)
    return issued
