"""The journey's services: check pages, decide, commit the case, issue and print documents.

Called from worker threads (never the UI thread). The case and its outbox entry are
committed before anything prints, registry effects ride in the same transaction, and
documents are journalled before the printer gets them.

Over 500 lines because deciding, committing, office decisions and issuing are still one
service; issue 19 splits them into decide, issue and office-decision modules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devices.document_printer import DocumentPrinterStatus
from devices.factory import Devices
from devices.receipt_printer import PAPER_CHARS
from forms.catalogue import FormField, Remedy, ServiceItem
from forms.divisions import known_divisions
from forms.facts import Applicant, TerminalFacts
from forms.ids import individual_business_credit_code
from forms.layouts.receipt import acceptance_receipt
from forms.privacy import mask_name
from forms.rules import OUTCOME_LABELS, Decision, Engine, RuleFailure
from forms.verification import fields_hash
from kiosk.config import KioskConfig
from kiosk.core.case_status import CaseStatus, statuses
from kiosk.core.cases import CaseRecord, CaseRepository, PurgedError, settle_unfinished
from kiosk.core.documents import DocumentService, DocumentUnavailableError, RenderedDocument
from kiosk.core.effects import EffectContext, apply_effects
from kiosk.core.failpoints import failpoint
from kiosk.core.lifecycle import CaseState
from kiosk.core.live import LiveQueryError, live_facts, needs_live_query, register_photo
from kiosk.core.reference_store import SqliteReference
from kiosk.core.session import FlowError, Session
from kiosk.core.updates import load_catalogue_in_force

log = logging.getLogger(__name__)
# How far the clock may read behind the last document issued (a manual correction of a few
# minutes) before documents stop: beyond it a licence would be dated before its predecessor.
CLOCK_TOLERANCE = dt.timedelta(minutes=10)
CLOCK_BEHIND_MESSAGE = (
    "本机时钟有误，暂时不能出具证照；您的办件已保存。工作人员校准时钟后，可凭身份证在本机“办件查询”中打印，或到窗口领取。"
)


@dataclass
class IssueResult:
    """What issuing a case's documents produced and what went wrong, in resident's words."""

    case_number: str
    outcome: str
    credit_code: str | None = None
    receipt_bytes: bytes = b""
    documents: list[str] = field(default_factory=list)  # titles printed
    problems: list[str] = field(default_factory=list)
    rendered: list[RenderedDocument] = field(default_factory=list)

    @property
    def licence_pdf(self) -> bytes | None:
        """The licence this case issued, if any."""
        return next((r.pdf for r in self.rendered if r.kind == "business_licence"), None)


class JourneyService:
    """Checks, decides, records and issues cases for one terminal."""

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
        self.reference = SqliteReference(cases.store)
        self.engine = Engine(self.reference, self.division.code, self.division.name)
        self.documents = DocumentService(
            config,
            cases.store,
            self.reference,
            self.division,
            self.signing_key,
            lambda: load_catalogue_in_force(config.data_dir),
        )
        self.now: Callable[[], dt.datetime] = dt.datetime.now  # the date printed on documents
        self.network_online = False  # set by the sync worker once it exists
        # A signed client to the centre for live queries, or None (not enrolled); set by services.
        self.central_client: Callable[[], Any | None] = lambda: None

    # ---- facts -----------------------------------------------------------------------------
    def applicant(self, session: Session) -> Applicant:
        """The applicant of the session, from the card that was read."""
        assert session.identity is not None
        return Applicant.from_mapping(session.identity.as_applicant())

    def terminal_facts(self, session: Session | None = None) -> TerminalFacts:
        """What the terminal knows now: the date, its division, whether the network is up, and
        the session's live-query answers."""
        if session is None:
            return TerminalFacts(self.today(), self.division.code, self.division.name, self.network_online)
        online = self.network_online and not session.live_unreachable
        check = session.identity_check or {}
        return TerminalFacts(
            self.today(),
            self.division.code,
            self.division.name,
            online,
            face_verified=check.get("method") == "face" and check.get("passed") is True,
            live=dict(session.live),
        )

    def register_photo(self, session: Session) -> bytes | None:
        """The household register's photo of the session's resident from the centre (blocking:
        call off the UI thread), or None when offline, unknown there or the centre fails."""
        if not self.network_online:
            return None
        client = self.central_client()
        if client is None:
            return None
        try:
            return register_photo(client, self.applicant(session))
        except LiveQueryError as exc:
            log.warning("reference photo query failed", extra={"error": str(exc)})
            return None

    def _facts(self, session: Session) -> dict[str, Any]:
        assert session.item is not None
        return self.engine.facts(
            session.item, session.answers, self.applicant(session), self.terminal_facts(session)
        )

    def query_live(self, session: Session) -> None:
        """Ask the centre what the item's documents need, if anything (blocking: call off the UI
        thread; decide() calls it, so each decision sees the registers as they are now).

        A failure marks the centre unreachable for this decision, so the rules register the
        request for later; the resident is never shown a guess."""
        assert session.item is not None
        session.live, session.live_unreachable = {}, False
        if not (needs_live_query(session.item) and self.network_online):
            return
        client = self.central_client()
        if client is None:
            session.live_unreachable = True
            return
        try:
            session.live = live_facts(client, session.item, self.applicant(session), session.answers)
        except LiveQueryError as exc:
            log.warning("live query failed", extra={"item": session.item.id, "error": str(exc)})
            session.live_unreachable = True
        finally:
            client.close()

    # ---- pages -----------------------------------------------------------------------------
    def visible_fields(self, session: Session) -> list[FormField]:
        """The fields of the session's item the resident sees, given the answers so far."""
        assert session.item is not None
        return self.engine.visible_fields(session.item, self._facts(session))

    def page_problems(self, session: Session) -> dict[str, str]:
        """Problems with the visible fields of the current page."""
        assert session.item is not None
        page = session.item.pages[session.page_index]
        return self.engine.field_errors(
            session.item, session.answers, self._facts(session), list(page.fields)
        )

    def page_warnings(self, session: Session) -> dict[str, str]:
        """Notes on the current page that never block (a credit code failing its check)."""
        assert session.item is not None
        page_ids = {f.id for f in session.item.pages[session.page_index].fields}
        notes = self.engine.field_warnings(session.item, session.answers)
        return {k: v for k, v in notes.items() if k in page_ids}

    def neighbour_page(self, session: Session, step: int) -> int | None:
        """The index of the next (step 1) or previous (step -1) page with a visible field."""
        assert session.item is not None
        shown = {f.id for f in self.visible_fields(session)}
        index = session.page_index + step
        while 0 <= index < len(session.item.pages):
            if any(f.id in shown for f in session.item.pages[index].fields):
                return index
            index += step
        return None

    # ---- deciding --------------------------------------------------------------------------
    def decide(self, session: Session) -> Decision:
        """The decision for the session's answers (nothing is stored).

        Field problems left at this point (they are checked page by page before) come back
        as a needs-fixing decision that leads to each field, never as an exception.
        """
        assert session.item is not None
        if session.item.kind == "query":
            return self.query_cases(session)[0]
        return self._assess(session)

    def query_cases(self, session: Session) -> tuple[Decision, list[CaseStatus]]:
        """办件查询: the decision (an unknown case number leads back to the field) and, when it
        passes, the resident's cases; looked up once."""
        found = self.case_statuses(session)
        decision = self._assess(session, {"case_found": bool(found)})
        return decision, found if decision.outcome == "approved" else []

    def _assess(self, session: Session, local_facts: dict[str, Any] | None = None) -> Decision:
        assert session.item is not None
        self.query_live(session)
        session.live.update(local_facts or {})
        assessment = self.engine.assess(
            session.item, session.answers, self.applicant(session), self.terminal_facts(session)
        )
        if assessment.decision is not None:
            return assessment.decision
        item = session.item
        failures = tuple(
            RuleFailure(f"field:{fid}", "needs_fixing", message, Remedy("fix_field", message, field=fid))
            for fid, message in assessment.field_errors.items()
        )
        return Decision("needs_fixing", failures, item.id, item.version_label, item.rules_version_label)

    def case_statuses(self, session: Session) -> list[CaseStatus]:
        """The identified resident's cases on this terminal (the one numbered, if given)."""
        assert session.identity is not None
        number = str(session.answers.get("case_number") or "")
        return statuses(self.cases, self.applicant(session).id_number, number)

    def commit(self, session: Session, decision: Decision) -> CaseRecord:
        """Store the decided case with its outbox entry (and registry effects), durably, before printing."""
        assert session.item is not None and session.identity is not None
        item, answers = session.item, dict(session.answers)
        if session.face_checks and item.identity_assurance == "face" and not session.identity_check:
            # the screens never get here without it; a flaw that skipped them must not register
            raise FlowError(f"{item.id}: no identity check (人证核验) on the session: not stored")
        applicant = self.applicant(session)
        personal = {
            "applicant": {
                k: str(v) if v is not None else None for k, v in session.identity.as_applicant().items()
            },
            "answers": answers,
            "live": dict(session.live),
        }
        summary: dict[str, Any] = {
            "item_name": item.name,
            "applicant_masked": mask_name(applicant.name),
            "documents": list(decision.documents),
        }
        summary["notices"] = [
            {
                "message": f.message,
                "remedy": f.remedy.text,
                "place": f.remedy.place or "",
                "within_days": f.remedy.within_days or "",
            }
            for f in decision.failures
            if f.outcome in ("accepted_pending", "manual_review")
        ]
        if decision.outcome in ("manual_review", "accepted_pending"):
            # What an approval by the back office will issue, judged now while the facts are at hand.
            summary["documents_if_approved"] = list(
                self.engine.documents_on_approval(item, self._facts(session))
            )
        if decision.permits:  # what the chosen scope still needs: the receipt and notice say it
            from kiosk.core.follow_on import outstanding

            summary["permits"] = [
                {"scope_name": p.scope_name, "permit": p.permit, "kind": p.kind}
                for p in outstanding(decision.permits, item, self.documents.catalogue())
            ]
        if session.identity_check:  # 人证核验: how the resident was matched with the card
            summary["identity_check"] = dict(session.identity_check)
        if session.assisted_by:
            summary["assisted_by"] = session.assisted_by  # 帮办: the staff member is on the case
        if decision.commitment:
            summary["commitment_sha256"] = hashlib.sha256(decision.commitment.encode()).hexdigest()
        new_business = "register_business" in item.effects and decision.issues_documents_now

        def on_commit(conn: sqlite3.Connection, serial: int | None, outcome: str) -> dict[str, Any]:
            if new_business and serial is not None:
                code = individual_business_credit_code(self.division.code, serial)
            else:
                code = str(answers.get("credit_code") or "").strip().upper()
            if outcome == "approved":  # on commitment: the effects wait for the signature
                self._apply(conn, item, code, answers, applicant.id_number)
            return {"credit_code": code} if code else {}

        case, serial = self.cases.create_decided(
            item_id=item.id,
            item_version=decision.item_version,
            rules_version=decision.rules_version,
            outcome=decision.outcome,
            personal=personal,
            summary=summary,
            needs_licence_number=new_business,
            on_commit=on_commit,
            attachments=session.kept_captures(),
        )
        log.info(
            "case committed",
            extra={"case": case.number, "outcome": case.outcome, "item": item.id, "licence_serial": serial},
        )
        failpoint("after_commit")
        return case

    def _apply(
        self,
        conn: sqlite3.Connection,
        item: ServiceItem,
        code: str,
        answers: dict[str, Any],
        applicant_id: str,
    ) -> None:
        apply_effects(
            item.effects,
            EffectContext(
                conn,
                code,
                {**item.fixed_answers, **answers},
                applicant_id,
                self.division.code,
                self.division.name,
                self.today(),
            ),
        )
        self.reference.forget_cached()

    def accept_commitment(self, case: CaseRecord, item: ServiceItem) -> CaseRecord:
        """The resident accepted the 告知承诺: record it and apply the case's effects, together."""
        personal = self.cases.personal(case.id)
        code = case.summary.get("credit_code", "")
        from kiosk.core.attachments import digest_of

        signed = {  # the signature drawn on the form, which the page said covers the commitment
            f.id: digest_of(personal["answers"].get(f.id)) for f in item.fields if f.type == "signature"
        }
        self.cases.record_event(
            case.id,
            "commitment_accepted",
            {"commitment_sha256": case.summary.get("commitment_sha256", ""), "signatures": signed},
            also=lambda conn: self._apply(
                conn, item, code, personal["answers"], personal["applicant"]["id_number"]
            ),
        )
        log.info("commitment accepted", extra={"case": case.number})
        return self.cases.get(case.id) or case

    def apply_office_decision(
        self, case_id: str, approved: bool, note: str, reference: str
    ) -> CaseRecord | None:
        """A back-office decision on a case awaiting review, applied in one transaction.

        Approved: the case takes a licence serial if it registers a business (none left: it
        stays approved with the licence printed later), its registry effects apply, and it can
        be printed here (自助打证). Returned: the note tells the resident what to do.
        Returns None when the case is not on this terminal or not awaiting review.
        """
        from kiosk.core.cases import LICENCE_WAIT, take_licence_serial

        case = self.cases.get(case_id)
        if case is None or case.state is not CaseState.AWAITING_REVIEW:
            return None
        item = load_catalogue_in_force(self.config.data_dir).get(case.item_id)
        personal = self.cases.personal(case_id)
        answers = personal["answers"]
        office = {"approved": approved, "note": note, "reference": reference}

        def decide(conn: sqlite3.Connection) -> tuple[str, dict[str, Any]]:
            if not approved:
                return "returned", {"office": office}
            code = str(answers.get("credit_code") or case.summary.get("credit_code") or "").strip().upper()
            changes: dict[str, Any] = {
                "office": office,
                "documents": case.summary.get("documents_if_approved", []),
            }
            if item is not None and "register_business" in item.effects and not code:
                serial = take_licence_serial(conn)
                if serial is None:  # printed once a block arrives (issue_waiting_licences)
                    changes["pending_reason"] = LICENCE_WAIT
                    changes["decided_outcome"] = "approved_by_office"
                    return "accepted_pending", changes
                code = individual_business_credit_code(self.division.code, serial)
                changes["licence_serial"] = serial
            if item is not None:
                self._apply(conn, item, code, answers, personal["applicant"]["id_number"])
            if code:
                changes["credit_code"] = code
                changes["pending_reason"] = None  # numbered now: no longer waiting for one
            return "approved_by_office", changes

        record = self.cases.office_decision(case_id, approved, decide)
        log.info("office decision applied", extra={"case": case.number, "approved": approved})
        return record

    def issue_waiting_licences(self) -> list[CaseRecord]:
        """Cases accepted while licence numbers were used up get their numbers, oldest first, as far
        as the blocks in hand go; each then prints here or at a window (自助打证), or, for a
        告知承诺, waits for the resident's signature. A case the office approved while the numbers
        were used up gets its number and its registry effects, as the approval would have given
        it, and can then be printed here. A case that stopped waiting since the list was read is
        passed over; only running out of serials ends the round. Returns the cases given a number."""
        from kiosk.core.cases import LateLicenceStatus

        waiting = self.cases.waiting_for_licence_numbers()
        if not waiting:  # the usual round: nothing to read from disk
            return []
        catalogue = load_catalogue_in_force(self.config.data_dir)
        issued = []
        for case_id in waiting:
            case = self.cases.get(case_id)
            if case is None:
                continue
            found = catalogue.get(case.item_id)
            if found is None:
                log.error("waiting case's item not in the catalogue", extra={"case": case_id})
                continue
            item: ServiceItem = found
            personal = self.cases.personal(case_id)

            def complete(
                conn: sqlite3.Connection,
                serial: int,
                outcome: str,
                item: ServiceItem = item,
                answers: dict[str, Any] = personal["answers"],
                applicant_id: str = personal["applicant"]["id_number"],
            ) -> dict[str, Any]:
                code = individual_business_credit_code(self.division.code, serial)
                # Approved by the rules or by the office: the effects apply now, as they would
                # have with a number in hand. On commitment: they wait for the signature.
                if outcome in ("approved", "approved_by_office"):
                    self._apply(conn, item, code, answers, applicant_id)
                return {"credit_code": code}

            late = self.cases.issue_waiting_licence(case_id, complete)
            if late.status is LateLicenceStatus.NO_SERIAL_LEFT:
                break  # the rest wait for the next block, oldest first
            if late.status is LateLicenceStatus.NOT_WAITING or late.record is None:
                log.info("case no longer waiting for a licence number", extra={"case": case.number})
                continue
            log.info("licence number issued late", extra={"case": late.record.number})
            issued.append(late.record)
        return issued

    # ---- issuing ---------------------------------------------------------------------------
    def leave_undone(self, case: CaseRecord) -> None:
        """The resident left (home, timeout) before printing: keep the case where it can be resumed."""
        state = settle_unfinished(self.cases, case.id, "resident left before printing")
        if state is not None:
            log.info("case left before printing", extra={"case": case.number, "state": state.value})

    def signing_key(self) -> Ed25519PrivateKey:
        """The terminal's document-signing key, read on first use."""
        if self._signing_key is None:
            self._signing_key = self._load_signing_key()
        return self._signing_key

    def warm_up(self) -> None:
        """Import the document and receipt libraries and read the fonts ahead of the first
        decision and print (run off the UI thread): every approval checks its characters
        against the fonts, and parsing them takes about half a second."""
        import escpos.printer  # noqa: F401
        import sqlite_utils  # noqa: F401

        import forms.layouts.licence  # noqa: F401
        from forms.fonts import FontMissingError, fonts

        try:
            fonts()
        except FontMissingError:  # the start check and every decision say so
            log.error("the documents' CJK font is not installed")

    def issue(self, case: CaseRecord) -> IssueResult:
        """Render, journal and print the case's documents, then its receipt.

        A fault on the way leaves the case recorded and marked print-pending, and the result
        tells the resident how to get the paper; it never loses the case.
        """
        try:
            return self._issue(case)
        except Exception:
            log.exception("issuing failed", extra={"case": case.number})
            settle_unfinished(self.cases, case.id, "fault while issuing")
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
        now = self.now()
        unavailable: list[str] = []  # the data is not on this terminal yet (a live query, a photo)
        failed: list[str] = []  # the printer could not print it now
        last = self.cases.last_document_time()
        clock_behind = last is not None and now < last - CLOCK_TOLERANCE
        if clock_behind:
            log.error(
                "clock reads earlier than the last issued document: nothing is issued until it is set",
                extra={"case": case.number, "now": now.isoformat(), "last_document": str(last)},
            )
            result.problems.append(CLOCK_BEHIND_MESSAGE)
        for kind in case.summary.get("documents", []):
            if kind in ("receipt", "case_status"):
                continue
            if clock_behind:  # a document dated before one already issued would be a false date
                unavailable.append(kind)
                continue
            try:
                rendered = (
                    self._render_licence(case, personal, now)
                    if kind == "business_licence"
                    else self.documents.build(kind, case, personal, now.date())
                )
            except DocumentUnavailableError as exc:
                log.warning(
                    "document not printable here yet",
                    extra={"case": case.number, "kind": kind, "reason": str(exc)},
                )
                unavailable.append(kind)
                continue
            # Journalled with its number before the printer gets it: no paper without a record.
            self.cases.record_document(case.id, kind, rendered.number, rendered.fields_hash)
            name = f"licence-{rendered.number}" if kind == "business_licence" else f"{kind}-{case.number}"
            printed = self.devices.document_printer.print_pdf(rendered.pdf, name)
            result.rendered.append(rendered)
            if kind == "business_licence":
                result.credit_code = rendered.number
            if printed.ok:
                self.cases.count_print(kind, rendered.number)
                result.documents.append(rendered.title)
            else:
                failed.append(kind)
                result.problems.append(document_printer_message(printed.status, rendered.title))
                log.warning(
                    "document not printed",
                    extra={
                        "case": case.number,
                        "kind": kind,
                        "status": printed.status.value,
                        "detail": printed.detail,
                    },
                )
        if unavailable and not clock_behind:
            result.problems.append("部分证明需要联网查询后出具，您可凭办件编号在本机“办件查询”或到窗口领取。")
        code = case.summary.get("credit_code")
        receipt = acceptance_receipt(
            hall_name=self.config.hall_name,
            item_name=case.summary["item_name"],
            case_number=case.number,
            outcome_label=OUTCOME_LABELS[case.outcome],
            applicant_name=personal["applicant"]["name"],
            documents=result.documents,
            decided_at=now,
            credit_code=code
            if case.outcome in ("approved", "approved_on_commitment", "approved_by_office")
            else None,
            terminal_id=self.config.terminal_id,
            line_chars=PAPER_CHARS[self.config.devices.receipt_paper_mm],
            permits=case.summary.get("permits", []),
        )
        printed = self.devices.receipt_printer.print_receipt(receipt, name=f"receipt-{case.number}")
        if printed.ok:
            result.receipt_bytes = getattr(self.devices.receipt_printer, "last_bytes", b"")
        else:
            result.problems.append("回执打印机暂时无法打印，您的办件已保存，可凭身份证到窗口补打。")
            log.warning("receipt not printed", extra={"case": case.number, "status": printed.status.value})
        if case.outcome in ("manual_review", "accepted_pending"):
            self.cases.move(case.id, CaseState.AWAITING_REVIEW)
        elif unavailable or failed:
            self.cases.move(case.id, CaseState.PRINT_PENDING, {"unavailable": unavailable, "failed": failed})
        else:
            self.cases.move(case.id, CaseState.ISSUED)
        return result

    def reprint_licence(self, credit_code: str, actor: str, reason: str) -> tuple[bool, str]:
        """Print an issued licence again for staff: counted and audited with the reason first
        (no paper without a record), then printed. (printed, what to tell the staff member)."""
        with self.cases.store.lock:
            row = self.cases.store.conn.execute(
                "SELECT case_id FROM issued_documents WHERE kind = 'business_licence' AND number = ?",
                (credit_code,),
            ).fetchone()
        case = self.cases.get(row[0]) if row else None
        if case is None:
            return False, "本终端没有出具过这张营业执照。"
        try:
            personal = self.cases.personal(case.id)
        except PurgedError:
            return False, "这张营业执照的个人信息已过本终端的保存期限并已删除，请到窗口补打。"
        rendered = self._render_licence(case, personal, dt.datetime.now())
        count = self.cases.reprint("business_licence", credit_code, actor, reason)
        printed = self.devices.document_printer.print_pdf(rendered.pdf, f"licence-{credit_code}")
        log.info("licence reprinted", extra={"code": credit_code, "by": actor, "ok": printed.ok, "n": count})
        if not printed.ok:
            return False, document_printer_message(printed.status, "营业执照")
        return True, f"营业执照已补打（第{count}次打印）。"

    def _render_licence(
        self, case: CaseRecord, personal: dict[str, Any], now: dt.datetime
    ) -> RenderedDocument:
        from forms.layouts.licence import Calibration, LicenceData, render_licence_pdf

        code = case.summary["credit_code"]
        business = self.documents.business(code, personal["applicant"]["name"])
        data = LicenceData(
            credit_code=code,
            name=business.name,
            operator=business.operator,
            organisation_form=business.organisation_type,
            scope=business.scope_text,
            premises=business.premises,
            registration_date=business.registered_on,
            authority=self.config.registration_authority,
            issue_date=now.date(),
            qr_payload="",
        )
        key_fields = data.key_fields()
        data = replace(data, qr_payload=self.documents.sign("business_licence", code, key_fields))
        printing = self.config.printing
        pdf = render_licence_pdf(
            data,
            overlay=printing.licence_mode == "overlay",
            calibration=Calibration(
                printing.overlay_offset_x_mm, printing.overlay_offset_y_mm, printing.overlay_scale
            ),
        )
        return RenderedDocument("business_licence", "营业执照", code, fields_hash(key_fields), pdf)


def document_printer_message(status: DocumentPrinterStatus, title: str) -> str:
    """What the resident is told when the A4 printer cannot print a document now."""
    reason = {
        DocumentPrinterStatus.NO_PAPER: "打印机缺纸",
        DocumentPrinterStatus.PAUSED: "打印机暂停",
        DocumentPrinterStatus.NOT_ACCEPTING: "打印机暂停接收任务",
        DocumentPrinterStatus.UNREACHABLE: "打印机连接中断",
    }.get(status, "打印机暂时无法打印")
    return f"{reason}，{title}已办结保存，工作人员处理后可在本机或到窗口打印。"
