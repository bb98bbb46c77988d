"""The journey's service, the one the screens call: check pages, decide, commit the case (and
hand issuing to kiosk/core/issuing.py).

Called from worker threads (never the UI thread). The case, its licence serial, its registry
effects and its outbox entry are committed in one transaction, step by step, before anything
prints; the decision returned is the one stored. Back-office decisions and licence numbers that
arrive late are kiosk/core/back_office.py; the serial space is kiosk/core/licence_serials.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devices.factory import Devices
from forms.catalogue import FormField, Remedy, ServiceItem
from forms.divisions import known_divisions
from forms.facts import Applicant, TerminalFacts
from forms.ids import individual_business_credit_code
from forms.outcomes import Outcome
from forms.privacy import mask_name
from forms.rules import Decision, Engine, RuleFailure
from kiosk.config import KioskConfig
from kiosk.core.case_status import CaseStatus, statuses
from kiosk.core.case_summary import CaseSummary
from kiosk.core.cases import CaseRecord, CaseRepository, add_event, settle_unfinished
from kiosk.core.documents import DocumentService
from kiosk.core.effects import EffectContext, apply_effects
from kiosk.core.failpoints import failpoint
from kiosk.core.issuing import Issuer, IssueResult
from kiosk.core.licence_serials import (
    awaiting_licence_number,
    pending_summary,
    take_licence_serial,
)
from kiosk.core.live import LiveQueryError, live_facts, needs_live_query, register_photo
from kiosk.core.reference_store import SqliteReference
from kiosk.core.session import FlowError, Session
from kiosk.core.updates import load_catalogue_in_force

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveAnswers:
    """The centre's answers to an item's live queries at one decision, or that it was unreachable."""

    facts: dict[str, Any] = field(default_factory=dict)
    unreachable: bool = False


@dataclass(frozen=True)
class Committed:
    """A decision and the case stored under it (None when something needs fixing first): the
    decision is the one the case holds, so the screen shows what was stored. `live` is what the
    centre answered for it, for the UI thread to keep in the session (a worker never writes it)."""

    decision: Decision
    case: CaseRecord | None
    live: LiveAnswers = LiveAnswers()


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
        self.issuer = Issuer(config, cases, devices, self.documents, lambda: self.now())
        self.network_online = False  # set by the sync worker once it exists
        # A signed client to the centre for live queries, or None (not enrolled); set by services.
        self.central_client: Callable[[], Any | None] = lambda: None

    # ---- facts -----------------------------------------------------------------------------
    def applicant(self, session: Session) -> Applicant:
        """The applicant of the session, from the card that was read."""
        assert session.identity is not None
        return Applicant.from_mapping(session.identity.as_applicant())

    def terminal_facts(
        self, session: Session | None = None, live: LiveAnswers | None = None
    ) -> TerminalFacts:
        """What the terminal knows now: the date, its division, whether the network is up, and
        the live-query answers (`live`, else the session's)."""
        if session is None:
            return TerminalFacts(self.today(), self.division.code, self.division.name, self.network_online)
        if live is None:
            live = LiveAnswers(dict(session.live), session.live_unreachable)
        online = self.network_online and not live.unreachable
        check = session.identity_check or {}
        return TerminalFacts(
            self.today(),
            self.division.code,
            self.division.name,
            online,
            face_verified=check.get("method") == "face" and check.get("passed") is True,
            live=dict(live.facts),
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

    def _facts(self, session: Session, live: LiveAnswers | None = None) -> dict[str, Any]:
        assert session.item is not None
        return self.engine.facts(
            session.item, session.answers, self.applicant(session), self.terminal_facts(session, live)
        )

    def ask_live(self, session: Session) -> LiveAnswers:
        """Ask the centre what the item's documents need, if anything (blocking: call off the UI
        thread; each decision asks, so it sees the registers as they are now). The session is
        not touched.

        A failure marks the centre unreachable for this decision, so the rules register the
        request for later; the resident is never shown a guess."""
        assert session.item is not None
        if not (needs_live_query(session.item) and self.network_online):
            return LiveAnswers()
        client = self.central_client()
        if client is None:
            return LiveAnswers(unreachable=True)
        try:
            return LiveAnswers(live_facts(client, session.item, self.applicant(session), session.answers))
        except LiveQueryError as exc:
            log.warning("live query failed", extra={"item": session.item.id, "error": str(exc)})
            return LiveAnswers(unreachable=True)
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
        decision, live = self._assess(session)
        session.live, session.live_unreachable = dict(live.facts), live.unreachable
        return decision

    def query_cases(self, session: Session) -> tuple[Decision, list[CaseStatus]]:
        """办件查询: the decision (an unknown case number leads back to the field) and, when it
        passes, the resident's cases; looked up once."""
        found = self.case_statuses(session)
        decision, _ = self._assess(session, {"case_found": bool(found)})
        return decision, found if decision.outcome == Outcome.APPROVED else []

    def _assess(
        self, session: Session, local_facts: dict[str, Any] | None = None
    ) -> tuple[Decision, LiveAnswers]:
        """The decision on the centre's answers as they are now, and those answers."""
        assert session.item is not None
        asked = self.ask_live(session)
        live = LiveAnswers({**asked.facts, **(local_facts or {})}, asked.unreachable)
        assessment = self.engine.assess(
            session.item, session.answers, self.applicant(session), self.terminal_facts(session, live)
        )
        if assessment.decision is not None:
            return assessment.decision, live
        item = session.item
        fixing = Outcome.NEEDS_FIXING
        failures = tuple(
            RuleFailure(f"field:{fid}", fixing, message, Remedy("fix_field", message, field=fid))
            for fid, message in assessment.field_errors.items()
        )
        decision = Decision(fixing, failures, item.id, item.version_label, item.rules_version_label)
        return decision, live

    def case_statuses(self, session: Session) -> list[CaseStatus]:
        """The identified resident's cases on this terminal (the one numbered, if given)."""
        assert session.identity is not None
        number = str(session.answers.get("case_number") or "")
        return statuses(self.cases, self.applicant(session).id_number, number)

    def commit(self, session: Session, decision: Decision) -> CaseRecord:
        """Store the decided case with its outbox entry (and registry effects), durably, before printing."""
        case = self.commit_decided(session, decision).case
        assert case is not None  # a stored decision always has its case
        return case

    def decide_and_commit(self, session: Session) -> Committed:
        """Decide, and store the case unless something needs fixing (blocking: call off the UI
        thread). The decision returned is the one stored, which is the one to show."""
        assert session.item is not None
        decision, live = self._assess(session)
        if decision.outcome == Outcome.NEEDS_FIXING:
            return Committed(decision, None, live)
        return self.commit_decided(session, decision, live)

    def commit_decided(
        self, session: Session, decision: Decision, live: LiveAnswers | None = None
    ) -> Committed:
        """Store the decided case; the decision it was stored under comes back with it (accepted
        with the licence to follow when no licence number is in hand). `live`: the centre's
        answers the decision stood on (else the session's)."""
        if live is None:
            live = LiveAnswers(dict(session.live), session.live_unreachable)
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
            "live": dict(live.facts),
        }
        summary: CaseSummary = {
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
            if f.outcome in (Outcome.ACCEPTED_PENDING, Outcome.MANUAL_REVIEW)
        ]
        if decision.outcome in (Outcome.MANUAL_REVIEW, Outcome.ACCEPTED_PENDING):
            # What an approval by the back office will issue, judged now while the facts are at hand.
            summary["documents_if_approved"] = list(
                self.engine.documents_on_approval(item, self._facts(session, live))
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
        with self.cases.store.durable() as conn:
            # One transaction, step by step: the licence serial, the decision as it now stands,
            # the registry effects of an approval, the case with its outbox entry.
            serial = take_licence_serial(conn) if new_business else None
            if serial is not None:
                summary["licence_serial"] = serial
                code = individual_business_credit_code(self.division.code, serial)
            elif new_business:  # no number in hand: accepted, the licence printed once one arrives
                summary = pending_summary(summary, decision)
                decision = awaiting_licence_number(decision)
                code = ""
            else:
                code = str(answers.get("credit_code") or "").strip().upper()
            if decision.outcome == Outcome.APPROVED:  # on commitment: the effects wait for the signature
                self.apply_effects(conn, item, code, answers, applicant.id_number)
            if code:
                summary["credit_code"] = code
            case = self.cases.insert_decided(
                conn,
                item_id=item.id,
                item_version=decision.item_version,
                rules_version=decision.rules_version,
                outcome=decision.outcome,
                personal=personal,
                summary=summary,
                attachments=session.kept_captures(),
            )
        log.info(
            "case committed",
            extra={"case": case.number, "outcome": case.outcome, "item": item.id, "licence_serial": serial},
        )
        failpoint("after_commit")
        return Committed(decision, case, live)

    def apply_effects(
        self,
        conn: sqlite3.Connection,
        item: ServiceItem,
        code: str,
        answers: dict[str, Any],
        applicant_id: str,
    ) -> None:
        """Apply `item`'s registry effects for business `code` inside the caller's transaction."""
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
        accepted = {"commitment_sha256": case.summary.get("commitment_sha256", ""), "signatures": signed}
        with self.cases.store.durable() as conn:  # the acceptance and its registry effects, together
            add_event(conn, case.id, "commitment_accepted", accepted)
            self.apply_effects(conn, item, code, personal["answers"], personal["applicant"]["id_number"])
        log.info("commitment accepted", extra={"case": case.number})
        return self.cases.get(case.id) or case

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
        """Render, journal and print the case's documents, then its receipt (kiosk/core/issuing.py)."""
        return self.issuer.issue(case)

    def reprint_licence(self, credit_code: str, actor: str, reason: str) -> tuple[bool, str]:
        """Print an issued licence again for staff, counted and audited (kiosk/core/issuing.py)."""
        return self.issuer.reprint_licence(credit_code, actor, reason)
