"""办件查询: where a resident's cases stand, in their words, and which can be printed here now
(自助打证: a licence the back office approved later, or documents that could not print)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.cases import CaseRecord, CaseRepository
from kiosk.core.licence_serials import LICENCE_WAIT
from kiosk.core.lifecycle import CaseState

STATE_LABELS = {
    CaseState.DECIDED: "已受理",
    CaseState.ISSUED: "已办结",
    CaseState.PRINT_PENDING: "已办结，待打印",
    CaseState.AWAITING_SIGNATURE: "待签署承诺",
    CaseState.AWAITING_REVIEW: "审核中",
    CaseState.APPROVED_BY_OFFICE: "已审核通过",
    CaseState.RETURNED_BY_OFFICE: "已退回",
    CaseState.CLOSED: "已办结",
    CaseState.PURGED: "已归档",
}
PRINTABLE = frozenset({CaseState.PRINT_PENDING, CaseState.APPROVED_BY_OFFICE})
WINDOW = "便民服务中心综合窗口"


@dataclass(frozen=True)
class CaseStatus:
    """One case as the resident sees it on the 办件查询 screen."""

    case_id: str
    number: str
    item_name: str
    decided_on: str
    state: str
    next_step: str
    printable: bool


def printable(case: CaseRecord) -> bool:
    """Whether the case's documents can be printed here now (not while it waits for a number)."""
    return case.state in PRINTABLE and case.summary.get("pending_reason") != LICENCE_WAIT


def next_step(case: CaseRecord) -> str:
    """What the resident can do about a case now."""
    office = case.summary.get("office")
    waiting = case.state in (CaseState.AWAITING_REVIEW, CaseState.APPROVED_BY_OFFICE)
    if waiting and case.summary.get("pending_reason") == LICENCE_WAIT:
        return "已审核通过，执照编号下发后即可在本机打印，一般不超过1个工作日。"
    if case.state in PRINTABLE:
        return "可以在本机打印，请点“打印”。"
    if case.state is CaseState.AWAITING_REVIEW:
        return "工作人员正在审核，结果出来后可以在本机查询和打印。"
    if case.state is CaseState.RETURNED_BY_OFFICE:
        note = office["note"] if office else ""
        return f"工作人员意见：{note}" if note else f"请到{WINDOW}了解退回原因。"
    if case.state is CaseState.AWAITING_SIGNATURE:
        return f"承诺书还没有签署，请到{WINDOW}办理。"
    return "已经办好，无需再办。"


def statuses(cases: CaseRepository, id_number: str, number: str = "") -> list[CaseStatus]:
    """The resident's cases (one, when a case number is given), newest first."""
    found = [c for c in cases.for_applicant(id_number) if not number or c.number == number.strip().upper()]
    return [
        CaseStatus(
            case_id=c.id,
            number=c.number,
            item_name=str(c.summary.get("item_name") or c.item_id),
            decided_on=c.created_at[:10],
            state=STATE_LABELS[c.state],
            next_step=next_step(c),
            printable=printable(c),
        )
        for c in found
    ]
