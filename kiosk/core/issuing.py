"""Issuing a decided case: its documents rendered, journalled with their numbers before the
printer gets them, printed on the A4 printer, then the receipt; the case moves to issued,
print-pending or awaiting review. Staff reprints of a licence are counted and audited first.

Called from worker threads (never the UI thread). A fault on the way never loses the case.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from devices.document_printer import DocumentPrinterStatus
from devices.factory import Devices
from devices.receipt_printer import PAPER_CHARS
from forms.layouts.receipt import acceptance_receipt
from forms.outcomes import OUTCOME_LABELS, Outcome
from forms.verification import fields_hash
from kiosk.config import KioskConfig
from kiosk.core.cases import CaseRecord, CaseRepository, PurgedError, settle_unfinished
from kiosk.core.documents import DocumentService, DocumentUnavailableError, RenderedDocument
from kiosk.core.lifecycle import CaseState

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


class Issuer:
    """Renders, journals and prints the documents of one terminal's cases."""

    def __init__(
        self,
        config: KioskConfig,
        cases: CaseRepository,
        devices: Devices,
        documents: DocumentService,
        now: Callable[[], dt.datetime],
    ) -> None:
        """`now` is the date and time printed on documents."""
        self.config = config
        self.cases = cases
        self.devices = devices
        self.documents = documents
        self.now = now

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
                    self.render_licence(case, personal, now)
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
            if case.outcome in (Outcome.APPROVED, Outcome.APPROVED_ON_COMMITMENT, Outcome.APPROVED_BY_OFFICE)
            else None,
            terminal_id=self.config.terminal_id,
            line_chars=PAPER_CHARS[self.config.devices.receipt_paper_mm],
            permits=case.summary.get("permits", []),
        )
        slip = self.devices.receipt_printer.print_receipt(receipt, name=f"receipt-{case.number}")
        if slip.ok:
            result.receipt_bytes = getattr(self.devices.receipt_printer, "last_bytes", b"")
        else:
            result.problems.append("回执打印机暂时无法打印，您的办件已保存，可凭身份证到窗口补打。")
            log.warning("receipt not printed", extra={"case": case.number, "status": slip.status.value})
        if case.outcome in (Outcome.MANUAL_REVIEW, Outcome.ACCEPTED_PENDING):
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
        rendered = self.render_licence(case, personal, dt.datetime.now())
        count = self.cases.reprint("business_licence", credit_code, actor, reason)
        printed = self.devices.document_printer.print_pdf(rendered.pdf, f"licence-{credit_code}")
        log.info("licence reprinted", extra={"code": credit_code, "by": actor, "ok": printed.ok, "n": count})
        if not printed.ok:
            return False, document_printer_message(printed.status, "营业执照")
        return True, f"营业执照已补打（第{count}次打印）。"

    def render_licence(
        self, case: CaseRecord, personal: dict[str, Any], now: dt.datetime
    ) -> RenderedDocument:
        """The case's licence as a signed PDF (full or 套打, as the printer is set up)."""
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
