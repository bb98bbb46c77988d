"""Decisions a person made on cases this terminal sent for review, and licence numbers that
arrive after a case was accepted without one: each applied in one transaction, with the
registry effects the approval gives (kiosk/core/office.py fetches the decisions from the centre).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from forms.catalogue import ServiceItem
from forms.ids import individual_business_credit_code
from forms.outcomes import Outcome
from kiosk.core.case_summary import OfficeNote
from kiosk.core.cases import CaseRecord
from kiosk.core.journey import JourneyService
from kiosk.core.licence_serials import LICENCE_WAIT, LICENCE_WAIT_NOTICE, take_licence_serial
from kiosk.core.lifecycle import CaseState, check_transition
from kiosk.core.updates import load_catalogue_in_force

log = logging.getLogger(__name__)


class LateLicenceStatus(enum.Enum):
    """What became of a case waiting for a licence number when a serial was asked for it."""

    ISSUED = "issued"  # it has its serial and credit code now
    NO_SERIAL_LEFT = "no_serial_left"  # every block is used up: it (and all after it) keep waiting
    NOT_WAITING = "not_waiting"  # it moved on or was numbered meanwhile: nothing to do for it


@dataclass(frozen=True)
class LateLicence:
    """What `issue_waiting_licence` did: the case, when it got its number."""

    status: LateLicenceStatus
    record: CaseRecord | None = None


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
    office: OfficeNote = {"approved": approved, "note": note, "reference": reference}
    target = CaseState.APPROVED_BY_OFFICE if approved else CaseState.RETURNED_BY_OFFICE
    with journey.cases.store.durable() as conn:
        # One transaction, step by step: the case as it stands, its serial and effects when
        # approved, then the decision written with its event.
        found = journey.cases.state_and_summary(conn, case_id)
        if found is None:
            raise KeyError(case_id)
        state, summary = found
        check_transition(state, target)
        summary["office"] = office
        outcome = Outcome.RETURNED
        if approved:
            outcome = Outcome.APPROVED_BY_OFFICE
            summary["documents"] = list(summary.get("documents_if_approved", []))
            code = str(answers.get("credit_code") or summary.get("credit_code") or "").strip().upper()
            serial = None
            if item is not None and "register_business" in item.effects and not code:
                serial = take_licence_serial(conn)
                if serial is None:  # printed once a block arrives (issue_waiting_licences)
                    summary["pending_reason"] = LICENCE_WAIT
                    summary["decided_outcome"] = Outcome.APPROVED_BY_OFFICE
                    outcome = Outcome.ACCEPTED_PENDING
                else:
                    code = individual_business_credit_code(journey.division.code, serial)
                    summary["licence_serial"] = serial
            if outcome is Outcome.APPROVED_BY_OFFICE:
                if item is not None:
                    journey.apply_effects(conn, item, code, answers, personal["applicant"]["id_number"])
                if code:
                    summary["credit_code"] = code
                    summary["pending_reason"] = None  # numbered now: no longer waiting for one
        event = (f"state:{target.value}", {"outcome": outcome, "office": office})
        record = journey.cases.settle(conn, case_id, target, outcome, summary, event)
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
        item = catalogue.get(case.item_id)
        if item is None:
            log.error("waiting case's item not in the catalogue", extra={"case": case_id})
            continue
        late = issue_waiting_licence(journey, case_id, item)
        if late.status is LateLicenceStatus.NO_SERIAL_LEFT:
            break  # the rest wait for the next block, oldest first
        if late.status is LateLicenceStatus.NOT_WAITING or late.record is None:
            log.info("case no longer waiting for a licence number", extra={"case": case.number})
            continue
        log.info("licence number issued late", extra={"case": late.record.number})
        issued.append(late.record)
    return issued


def issue_waiting_licence(journey: JourneyService, case_id: str, item: ServiceItem) -> LateLicence:
    """Give a waiting case its licence serial now that a block has arrived, in one durable
    transaction with its registry effects and an outbox action telling the centre.

    A case accepted by the rules then prints (or, for a 告知承诺, waits for the signature); a
    case the office approved with no number left stays approved by the office with its number
    and credit code, to be printed here (自助打证) like any office approval. The result says
    whether the case got its number, no serial was left (nothing changes), or the case is not
    waiting (any more: moved on, or numbered meanwhile; nothing changes)."""
    cases = journey.cases
    if cases.get(case_id) is None:
        return LateLicence(LateLicenceStatus.NOT_WAITING)
    personal = cases.personal(case_id)  # read before the transaction: it takes the store's lock
    with cases.store.durable() as conn:
        found = cases.state_and_summary(conn, case_id)
        if found is None:
            return LateLicence(LateLicenceStatus.NOT_WAITING)
        current, summary = found
        if (
            current not in (CaseState.AWAITING_REVIEW, CaseState.APPROVED_BY_OFFICE)
            or summary.get("pending_reason") != LICENCE_WAIT
            or summary.get("licence_serial") is not None
        ):
            return LateLicence(LateLicenceStatus.NOT_WAITING)
        serial = take_licence_serial(conn)
        if serial is None:
            return LateLicence(LateLicenceStatus.NO_SERIAL_LEFT)
        if current is CaseState.APPROVED_BY_OFFICE:
            # The office approved it already: it stays approved, now printable with its number.
            outcome, target = Outcome.APPROVED_BY_OFFICE, CaseState.APPROVED_BY_OFFICE
            event = "licence_issued_late"
        else:
            outcome = Outcome(summary.get("decided_outcome", Outcome.APPROVED))
            # A 告知承诺 case still needs the resident's signature before anything prints.
            target = (
                CaseState.AWAITING_SIGNATURE
                if outcome == Outcome.APPROVED_ON_COMMITMENT
                else CaseState.PRINT_PENDING
            )
            check_transition(current, target)
            event = f"state:{target.value}"
        code = individual_business_credit_code(journey.division.code, serial)
        # Approved by the rules or by the office: the effects apply now, as they would have with
        # a number in hand. On commitment: they wait for the signature.
        if outcome in (Outcome.APPROVED, Outcome.APPROVED_BY_OFFICE):
            answers, applicant_id = personal["answers"], personal["applicant"]["id_number"]
            journey.apply_effects(conn, item, code, answers, applicant_id)
        summary.pop("pending_reason")
        if "documents_if_approved" in summary:  # what the approval issues, now it can
            summary["documents"] = summary["documents_if_approved"]
        summary["notices"] = [n for n in summary.get("notices", []) if n != LICENCE_WAIT_NOTICE]
        summary["licence_serial"], summary["credit_code"] = serial, code
        detail = {"licence_serial": serial, "credit_code": code}
        late = (event, {"licence_issued_late": detail})
        record = cases.settle(conn, case_id, target, outcome, summary, late)
        cases.enqueue_action(conn, case_id, "licence_issued", {"outcome": outcome, **detail})
    return LateLicence(LateLicenceStatus.ISSUED, record)
