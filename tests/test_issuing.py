"""A case's documents issued through the journey: rendered, journalled before printing, printed,
counted; reprints counted and audited; verification from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from devices.demo_residents import demo_residents
from devices.document_printer import DocumentPrinterStatus
from devices.interfaces import PrinterSimulator, simulator
from kiosk.core.audit import verify_audit
from kiosk.core.lifecycle import CaseState
from kiosk.core.session import Session
from kiosk.services import KioskServices
from tests.demo_data import ROOT, catalogue, sign_every_signature_field

STORE = {
    "phone": "13912345678",
    "trade_name": "晨光",
    "organisation_form": "店",
    "business_scope": ["F1201", "F1203"],
    "premises": "山东省淄博市淄川区般阳路街道东关村125号",
    "storage_conditions": ["常温"],
    "food_safety_manager": "王建国",
}


def commit(services: KioskServices, item_id: str, resident: str, answers: dict):
    session = Session(90, 15)
    session.start()
    session.choose_item(catalogue()[item_id])
    session.identified(demo_residents()[resident][1])
    sign_every_signature_field(session)
    session.answers.update(answers)
    decision = services.journey.decide(session)
    return decision, services.journey.commit(session, decision)


def journal(services: KioskServices, case_id: str) -> list[tuple]:
    return services.store.conn.execute(
        "SELECT kind, number, print_count FROM issued_documents WHERE case_id = ? ORDER BY id", (case_id,)
    ).fetchall()


def test_one_industry_one_licence_issues_the_licence_and_the_industry_licence(
    services: KioskServices, tmp_path
):
    decision, case = commit(services, "convenience-store-licence", "adult", STORE)
    assert decision.outcome == "approved_on_commitment"
    case = services.journey.accept_commitment(case, catalogue()["convenience-store-licence"])
    result = services.journey.issue(case)
    assert result.documents == ["营业执照", "行业综合许可证（便利店）"] and result.problems == []
    rows = journal(services, case.id)
    assert [r[0] for r in rows] == ["business_licence", "industry_licence"] and all(r[2] == 1 for r in rows)
    assert services.cases.get(case.id).state is CaseState.ISSUED
    spool = tmp_path / "spool"
    assert (spool / f"licence-{case.summary['credit_code']}.pdf").exists()
    assert (spool / f"industry_licence-{case.number}.pdf").exists()
    text = subprocess.run(
        ["pdftotext", str(spool / f"industry_licence-{case.number}.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "淄川区晨光便利店" in "".join(text.split())


def test_deregistration_prints_the_notice(services: KioskServices) -> None:
    answers = {
        "credit_code": "92370302MA000Y6G98",
        "reason": "停止经营",
        "debts_settled": True,
        "taxes_settled": True,
    }
    _, case = commit(services, "individual-business-deregistration", "adult", answers)
    case = services.journey.accept_commitment(case, catalogue()["individual-business-deregistration"])
    result = services.journey.issue(case)
    assert result.documents == ["准予注销登记通知书"]
    [(kind, number, count)] = journal(services, case.id)
    assert kind == "deregistration_notice" and number.startswith("（淄川区）登记个销字〔") and count == 1


def test_a_review_case_gets_an_acceptance_notice_with_what_to_bring(services: KioskServices) -> None:
    answers = {
        **STORE,
        "organisation_type": "个人经营",
        "industry": "百货",
        "premises_proof": "拍摄场所使用证明",
        "premises_document": "",
    }
    decision, case = commit(services, "individual-business-registration", "adult", answers)
    assert decision.outcome == "accepted_pending"
    result = services.journey.issue(case)
    assert result.documents == ["受理通知书"]
    assert services.cases.get(case.id).state is CaseState.AWAITING_REVIEW


def test_insurance_offline_keeps_the_case_and_says_the_certificate_comes_later(
    services: KioskServices,
) -> None:
    decision, case = commit(
        services,
        "social-insurance-certificate",
        "elder",
        {"certificate_type": "城乡居民养老保险参保证明", "period": "近12个月"},
    )
    assert decision.outcome == "accepted_pending"  # offline: registered for later
    result = services.journey.issue(case)
    assert result.documents == ["受理通知书"] and result.receipt_bytes


def test_nothing_prints_without_a_journal_entry_and_a_failed_print_stays_pending(
    services: KioskServices,
) -> None:
    printer = simulator(services.devices.document_printer, PrinterSimulator)
    assert printer is not None
    printer.set_status(DocumentPrinterStatus.PAUSED)
    _, case = commit(services, "convenience-store-licence", "adult", {**STORE, "trade_name": "晨光"})
    case = services.journey.accept_commitment(case, catalogue()["convenience-store-licence"])
    result = services.journey.issue(case)
    assert all(r[2] == 0 for r in journal(services, case.id))  # journalled, never printed
    assert any(p.startswith("打印机暂停") for p in result.problems)
    assert services.cases.get(case.id).state is CaseState.PRINT_PENDING


def test_a_reprint_is_counted_and_audited_and_needs_a_reason(services: KioskServices) -> None:
    _, case = commit(services, "convenience-store-licence", "adult", {**STORE, "trade_name": "星辰"})
    case = services.journey.accept_commitment(case, catalogue()["convenience-store-licence"])
    services.journey.issue(case)
    code = case.summary["credit_code"]
    assert services.cases.reprint("business_licence", code, "staff-07", "原件污损，经营者申请换打") == 2
    with pytest.raises(ValueError):
        services.cases.reprint("business_licence", code, "staff-07", "  ")
    with pytest.raises(KeyError):
        services.cases.reprint("business_licence", "92370302MA0000000X", "staff-07", "不存在")
    row = services.store.conn.execute(
        "SELECT actor, action, detail FROM audit_log ORDER BY id DESC"
    ).fetchone()
    assert row[0] == "staff-07" and row[1] == "reprint" and "原件污损" in row[2]
    assert verify_audit(services.store.conn) is None


def test_the_verify_command_checks_a_printed_licence(services: KioskServices, tmp_path: Path) -> None:
    _, case = commit(services, "convenience-store-licence", "adult", {**STORE, "trade_name": "光明"})
    case = services.journey.accept_commitment(case, catalogue()["convenience-store-licence"])
    services.journey.issue(case)
    licence = tmp_path / "spool" / f"licence-{case.summary['credit_code']}.pdf"
    data_dir = str(services.config.data_dir)
    run = [sys.executable, "-m", "kiosk.cli", "verify", "--data-dir", data_dir]
    ok = subprocess.run([*run, "--image", str(licence)], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0 and f"valid: business_licence {case.summary['credit_code']}" in ok.stdout
    public = tmp_path / "terminal.pub"
    public.write_text(
        subprocess.run([*run, "--export-public-key"], capture_output=True, text=True, cwd=ROOT).stdout
    )
    from devices.qr import decode_qr_pdf

    [payload] = decode_qr_pdf(licence)
    forged = payload.replace('"n":"9237', '"n":"9238')
    bad = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "verify", "--public-key", str(public), forged],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 1 and "INVALID" in bad.stdout


def test_a_committed_case_leaves_no_reversible_trace_of_the_id_number(services: KioskServices) -> None:
    """The case row holds neither the number nor its bare SHA-256 (every ID number can be hashed
    and tried); it is found by a keyed tag. (The business registry's operator hash is the
    centre's list key, shared by every terminal: a separate question.)"""
    from forms.reference import id_hash

    _, case = commit(services, "convenience-store-licence", "adult", {**STORE, "trade_name": "东升"})
    number = demo_residents()["adult"][1].id_number
    [row] = services.store.conn.execute(
        "SELECT number, summary, applicant_tag, personal FROM cases WHERE id = ?", (case.id,)
    ).fetchall()
    text = " ".join(str(column) for column in row)
    for trace in (number, id_hash(number)):
        assert trace not in text
    assert [c.id for c in services.cases.for_applicant(number)] == [case.id]
