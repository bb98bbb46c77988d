"""A case sent for review is decided by a clerk at the reference server; after the next sync
the terminal prints the licence (自助打证), or tells the resident why it was returned."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.back_office import issue_waiting_licences
from kiosk.core.lifecycle import CaseState
from kiosk.core.office import fetch_decisions, last_applied
from kiosk.services import KioskServices
from sync import outbox
from sync.client import CentralClient, OutboxPusher
from tests.central import CentralServer
from tests.test_issuing import commit

REGISTRATION = {
    "phone": "13912345678",
    "organisation_type": "个人经营",
    "trade_name": "华星",
    "industry": "百货",
    "organisation_form": "店",
    "business_scope": ["F1201", "F1203"],
    "premises": "山东省淄博市淄川区般阳路街道东关村125号",
    "premises_proof": "拍摄场所使用证明",
    "premises_document": "capture-0001",
}


@pytest.fixture
def central(enrolled_central: CentralServer) -> CentralServer:
    return enrolled_central


def clerk(central: CentralServer, *args: str) -> str:
    run = [sys.executable, "-m", "sync.server.main", *args, "--db", central.database]
    return subprocess.run(run, capture_output=True, text=True, check=True).stdout


def review_case_sent(services: KioskServices, central: CentralServer, trade_name: str):  # noqa: ANN201
    """The resident on the dishonesty list applies: manual review, acceptance notice, uploaded."""
    decision, case = commit(
        services, "individual-business-registration", "dishonest", {**REGISTRATION, "trade_name": trade_name}
    )
    assert decision.outcome == "manual_review"
    services.journey.issue(case)
    assert services.cases.get(case.id).state is CaseState.AWAITING_REVIEW
    client = CentralClient(central.url, services.config.terminal_id, central.secret)
    assert OutboxPusher(services.store, client).push().sent >= 1
    return case, client


def test_a_case_approved_by_a_clerk_is_printed_at_the_terminal_after_the_next_sync(
    services: KioskServices, central: CentralServer, tmp_path: Path
) -> None:
    case, client = review_case_sent(services, central, "华星")
    waiting = clerk(central, "review")
    assert case.id in waiting and "严重违法失信名单" in waiting
    assert "recorded" in clerk(central, "decide", case.id, "approve", "--clerk", "市场监管窗口 李")
    assert fetch_decisions(client, services.journey, services.store) == [case.number]
    approved = services.cases.get(case.id)
    assert approved.state is CaseState.APPROVED_BY_OFFICE and approved.outcome == "approved_by_office"
    code = approved.summary["credit_code"]
    result = services.journey.issue(approved)
    assert result.documents == ["营业执照"] and result.credit_code == code
    assert services.cases.get(case.id).state is CaseState.ISSUED
    assert (tmp_path / "spool" / f"licence-{code}.pdf").exists()
    assert fetch_decisions(client, services.journey, services.store) == []  # nothing twice
    assert last_applied(services.store) == 1


def test_a_returned_case_keeps_the_clerks_note_for_the_resident(
    services: KioskServices, central: CentralServer
) -> None:
    case, client = review_case_sent(services, central, "明月")
    clerk(central, "decide", case.id, "return", "--clerk", "李", "--note", "请带信用修复证明到窗口办理")
    fetch_decisions(client, services.journey, services.store)
    returned = services.cases.get(case.id)
    assert returned.state is CaseState.RETURNED_BY_OFFICE
    assert returned.summary["office"]["note"] == "请带信用修复证明到窗口办理"
    assert outbox.counts(services.store.conn)["pending"] == 0


def test_a_return_without_a_note_is_refused(services: KioskServices, central: CentralServer) -> None:
    case, _ = review_case_sent(services, central, "清风")
    run = [
        sys.executable,
        "-m",
        "sync.server.main",
        "decide",
        case.id,
        "return",
        "--clerk",
        "李",
        "--db",
        central.database,
    ]
    out = subprocess.run(run, capture_output=True, text=True)
    assert out.returncode == 2 and "--note" in out.stdout


def test_a_case_accepted_with_the_numbers_used_up_gets_its_licence_when_a_block_arrives(
    services: KioskServices, central: CentralServer, tmp_path: Path
) -> None:
    from kiosk.core.licence_blocks import refill

    with services.store.durable() as conn:
        conn.execute("UPDATE licence_blocks SET next_serial = last_serial + 1")  # every number used
    decision, case = commit(services, "individual-business-registration", "adult", REGISTRATION)
    assert decision.outcome == "approved" and case.outcome == "accepted_pending"
    assert "credit_code" not in case.summary  # never a provisional number
    services.journey.issue(case)
    assert services.cases.get(case.id).state is CaseState.AWAITING_REVIEW
    client = CentralClient(central.url, services.config.terminal_id, central.secret)
    assert issue_waiting_licences(services.journey) == []  # no block yet: it keeps waiting

    assert refill(client, services.store).startswith("added")
    [late] = issue_waiting_licences(services.journey)
    assert late.id == case.id and late.state is CaseState.PRINT_PENDING and late.outcome == "approved"
    code = late.summary["credit_code"]
    assert late.summary["licence_serial"] >= 10_000  # from the centre's block, not the demo one
    result = services.journey.issue(late)
    assert result.documents == ["营业执照"] and result.credit_code == code
    assert (tmp_path / "spool" / f"licence-{code}.pdf").exists()
    assert issue_waiting_licences(services.journey) == []  # nothing twice

    assert OutboxPusher(services.store, client).push().sent == 2  # the case, then its late licence
    held = central.store()
    assert held.case_ids(services.config.terminal_id) == [case.id]
    assert held.case_count(services.config.terminal_id) == 2  # the case and its licence_issued action
    assert case.id not in clerk(central, "review")  # not a person's decision: it only waited for numbers
