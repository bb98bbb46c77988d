"""The journey's services: decide, commit the case, issue and print its documents.

Called from worker threads (never the UI thread). The case and its outbox entry are
committed before anything prints, and documents are journalled before the printer gets them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devices.factory import Devices
from devices.receipt_printer import PAPER_CHARS
from forms.business import registration_facts
from forms.catalogue import ServiceItem
from forms.divisions import known_divisions
from forms.ids import individual_business_credit_code
from forms.layouts.receipt import acceptance_receipt
from forms.privacy import mask_name
from forms.rules import OUTCOME_LABELS, Decision, decide
from forms.scope import scope_catalogue
from forms.verification import fields_hash, sign_payload
from kiosk.config import KioskConfig
from kiosk.core.cases import CaseRecord, CaseRepository
from kiosk.core.failpoints import failpoint
from kiosk.core.lifecycle import CaseState
from kiosk.core.session import Session

log = logging.getLogger(__name__)

ORGANISATION_FORM_PERSONAL = "个人经营"


@dataclass
class IssueResult:
    """What issuing a case's documents produced and what went wrong, in resident's words."""

    case_number: str
    outcome: str
    licence_pdf: bytes | None = None
    licence_printed: bool = False
    credit_code: str | None = None
    receipt_bytes: bytes = b""
    documents: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _applicant(session: Session) -> dict[str, Any]:
    assert session.identity is not None
    return session.identity.as_applicant()


class JourneyService:
    """Decides, records and issues cases for one terminal."""

    def __init__(
        self,
        config: KioskConfig,
        cases: CaseRepository,
        devices: Devices,
        signing_key: Callable[[], Ed25519PrivateKey],
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.config = config
        self.cases = cases
        self.devices = devices
        self._load_signing_key = signing_key
        self._signing_key: Ed25519PrivateKey | None = None
        self.today = today
        self.division = known_divisions()[config.division_code]

    def facts(self, item: ServiceItem, answers: dict[str, Any], applicant: dict[str, Any]) -> dict[str, Any]:
        """The variables the item's rules read."""
        return registration_facts(answers, applicant, self.today(), self.division.name)

    def decide(self, session: Session) -> Decision:
        """The decision for the session's answers (pure: nothing is stored)."""
        assert session.item is not None
        return decide(session.item, self.facts(session.item, session.answers, _applicant(session)))

    def commit(self, session: Session, decision: Decision) -> CaseRecord:
        """Store the decided case with its outbox entry, durably, before any printing."""
        assert session.item is not None and session.identity is not None
        item, answers = session.item, session.answers
        name = self.facts(item, answers, _applicant(session))["business_name"]
        personal = {
            "applicant": {k: str(v) if v is not None else None for k, v in _applicant(session).items()},
            "answers": answers,
            "business_name": name,
        }
        summary = {"item_name": item.name, "applicant_masked": mask_name(session.identity.name)}
        wants_licence = decision.issues_documents_now and "business_licence" in [
            d["kind"] for d in item.documents
        ]
        case, serial = self.cases.create_decided(
            item_id=item.id,
            item_version=decision.item_version,
            rules_version=decision.rules_version,
            outcome=decision.outcome,
            personal=personal,
            summary=summary,
            needs_licence_number=wants_licence,
        )
        log.info(
            "case committed",
            extra={"case": case.number, "outcome": case.outcome, "item": item.id, "licence_serial": serial},
        )
        failpoint("after_commit")
        return case

    def issue(self, case: CaseRecord) -> IssueResult:
        """Render, journal and print the case's documents, then its receipt.

        A fault on the way leaves the case recorded and marked print-pending, and the result
        tells the resident how to get the paper; it never loses the case.
        """
        try:
            return self._issue(case)
        except Exception:
            log.exception("issuing failed", extra={"case": case.number})
            current = self.cases.get(case.id)
            if current is not None and current.state is CaseState.DECIDED:
                target = (
                    CaseState.AWAITING_REVIEW
                    if case.outcome in ("manual_review", "accepted_pending")
                    else CaseState.PRINT_PENDING
                )
                self.cases.move(case.id, target, {"reason": "fault while issuing"})
            return IssueResult(
                case.number,
                case.outcome,
                problems=[
                    "打印时出现故障，您的办件已保存。请凭办件编号或身份证到窗口打印，或稍后在本机自助打印。"
                ],
            )

    def _issue(self, case: CaseRecord) -> IssueResult:
        personal = self.cases.personal(case.id)
        result = IssueResult(case.number, case.outcome)
        now = dt.datetime.now()
        serial = case.summary.get("licence_serial")
        if case.outcome in ("approved", "approved_on_commitment") and serial is not None:
            self._issue_licence(case, personal, serial, now, result)
        receipt = acceptance_receipt(
            hall_name=self.config.hall_name,
            item_name=case.summary["item_name"],
            case_number=case.number,
            outcome_label=OUTCOME_LABELS[case.outcome],
            applicant_name=personal["applicant"]["name"],
            documents=result.documents,
            decided_at=now,
            credit_code=result.credit_code,
            terminal_id=self.config.terminal_id,
            line_chars=PAPER_CHARS[self.config.devices.receipt_paper_mm],
        )
        printed = self.devices.receipt_printer.print_receipt(receipt, name=f"receipt-{case.number}")
        if printed.ok:
            result.receipt_bytes = getattr(self.devices.receipt_printer, "last_bytes", b"")
        else:
            result.problems.append("回执打印机暂时无法打印，您的办件已保存，可凭身份证到窗口补打。")
            log.warning("receipt not printed", extra={"case": case.number, "status": printed.status.value})
        if case.outcome in ("manual_review", "accepted_pending"):
            self.cases.move(case.id, CaseState.AWAITING_REVIEW)
        elif result.licence_pdf is not None:
            self.cases.move(case.id, CaseState.ISSUED if result.licence_printed else CaseState.PRINT_PENDING)
        return result

    def signing_key(self) -> Ed25519PrivateKey:
        """The terminal's document-signing key, read on first use."""
        if self._signing_key is None:
            self._signing_key = self._load_signing_key()
        return self._signing_key

    def warm_up(self) -> None:
        """Import the document and receipt libraries ahead of the first print (run off the UI thread)."""
        import escpos.printer  # noqa: F401
        import sqlite_utils  # noqa: F401

        import forms.layouts.licence  # noqa: F401

    def _issue_licence(
        self, case: CaseRecord, personal: dict[str, Any], serial: int, now: dt.datetime, result: IssueResult
    ) -> None:
        from forms.layouts.licence import LicenceData, render_licence_pdf

        answers = personal["answers"]
        scope = scope_catalogue()
        code = individual_business_credit_code(self.config.division_code, serial)
        data = LicenceData(
            credit_code=code,
            name=personal["business_name"],
            operator=personal["applicant"]["name"],
            organisation_form=ORGANISATION_FORM_PERSONAL,
            scope="；".join(scope[c].name for c in answers.get("business_scope", []) if c in scope),
            premises=answers.get("premises", ""),
            registration_date=now.date(),
            authority=self.config.registration_authority,
            issue_date=now.date(),
            qr_payload="",
        )
        key_fields = data.key_fields()
        payload = sign_payload(
            "business_licence",
            code,
            key_fields,
            now.isoformat(timespec="seconds"),
            self.config.terminal_id,
            self.signing_key(),
        )
        data = LicenceData(**{**data.__dict__, "qr_payload": payload})
        pdf = render_licence_pdf(data)
        self.cases.record_document(case.id, "business_licence", code, fields_hash(key_fields))
        printed = self.devices.document_printer.print_pdf(pdf, f"licence-{code}")
        result.licence_pdf, result.credit_code = pdf, code
        result.documents.append("营业执照")
        result.licence_printed = printed.ok
        if printed.ok:
            self.cases.count_print("business_licence", code)
        else:
            result.problems.append("执照打印机暂时无法打印，执照已办结，可稍后在本机或到窗口打印。")
            log.warning("licence not printed", extra={"case": case.number, "status": printed.status.value})
