"""办件查询 and 自助打证 through the QML UI, against the real reference server on loopback: a case
a clerk approved at the centre is found by the resident's ID card and printed at the terminal;
a returned case shows the clerk's note; another resident sees none of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.lifecycle import CaseState
from kiosk.core.office import fetch_decisions
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import pass_face_check
from kiosk.services import KioskServices
from tests.central import CentralServer
from tests.test_office_decisions import clerk, review_case_sent
from tests.test_ui_journey import open_driver

QUERY = "case-status-query"


@pytest.fixture
def central_database() -> None:
    """What is tested here is the terminal; the centre's databases are tested in the sync tests."""
    return None


@pytest.fixture
def central(enrolled_central: CentralServer) -> CentralServer:
    return enrolled_central


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def decided_at_the_centre(services: KioskServices, central: CentralServer) -> tuple:
    """Two cases of the resident on the dishonesty list, sent for review: one approved by a
    clerk, one returned with a note; the terminal has fetched both decisions."""
    approved, client = review_case_sent(services, central, "华星")
    returned, _ = review_case_sent(services, central, "明月")
    clerk(central, "decide", approved.id, "approve", "--clerk", "市场监管窗口 李")
    clerk(central, "decide", returned.id, "return", "--clerk", "李", "--note", "请带信用修复证明到窗口办理")
    assert sorted(fetch_decisions(client, services.journey, services.store)) == sorted(
        [approved.number, returned.number]
    )
    return approved, returned


def query_as(driver: UiDriver, resident: str, case_number: str = "") -> None:
    driver.click("startButton")
    driver.click(f"item_{QUERY}")
    driver.wait_screen("identify")
    driver.dock.devInsertCard(resident)
    pass_face_check(driver)
    driver.click("guideAccept")
    driver.wait_screen("form")
    if case_number:
        driver.controller.setAnswer("case_number", case_number)
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")


def test_a_licence_approved_at_the_centre_is_found_and_printed_here(
    driver: UiDriver, services: KioskServices, central: CentralServer, tmp_path: Path
) -> None:
    approved, returned = decided_at_the_centre(services, central)
    query_as(driver, "dishonest")
    driver.wait_screen("cases")
    assert [row["number"] for row in driver.controller.issuing.caseRows] == [returned.number, approved.number]
    assert driver.wait_item(f"caseState_{approved.number}").property("text") == "已审核通过"
    assert driver.wait_item(f"caseState_{returned.number}").property("text") == "已退回"
    assert "请带信用修复证明到窗口办理" in driver.wait_item(f"caseNext_{returned.number}").property("text")
    assert driver.find(f"printCase_{returned.number}") is None  # nothing to print for a return

    driver.click(f"printCase_{approved.number}")
    driver.wait_screen("rating")
    code = services.cases.get(approved.id).summary["credit_code"]
    assert driver.controller.issuing.result["documents"] == ["营业执照"] and driver.controller.issuing.result["creditCode"] == code
    assert (tmp_path / "spool" / f"licence-{code}.pdf").exists()
    assert services.cases.get(approved.id).state is CaseState.ISSUED
    driver.click("skipRatingButton")
    driver.wait_screen("done")


def test_a_query_by_case_number_shows_that_case_and_an_unknown_number_leads_back_to_the_field(
    driver: UiDriver, services: KioskServices, central: CentralServer
) -> None:
    approved, _ = decided_at_the_centre(services, central)
    query_as(driver, "dishonest", "DEMO-370302-001-999999")
    driver.wait_screen("decision")
    assert driver.controller.decision["outcome"] == "needs_fixing"
    driver.click("fix_case_number")
    driver.wait_screen("form")
    driver.controller.setAnswer("case_number", approved.number)
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("cases")
    assert [row["number"] for row in driver.controller.issuing.caseRows] == [approved.number]


def test_another_resident_sees_none_of_those_cases(
    driver: UiDriver, services: KioskServices, central: CentralServer
) -> None:
    approved, _ = decided_at_the_centre(services, central)
    query_as(driver, "adult")
    driver.wait_screen("cases")
    assert driver.controller.issuing.caseRows == [] and driver.wait_item("noCases")
    driver.controller.issuing.printCase(approved.id)  # not theirs: refused, nothing prints
    assert driver.controller.screen == "cases"
    assert services.cases.get(approved.id).state is CaseState.APPROVED_BY_OFFICE
    driver.click("homeButton")
    driver.wait_screen("home")
    assert driver.controller.issuing.caseRows == []


def test_out_of_paper_at_print_time_then_printed_later_through_the_query(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    from tests.test_ui_journey import registration_journey_until_printed

    driver.dock.devDocumentPrinter("no_paper")
    registration_journey_until_printed(driver)
    problems = driver.wait_item("printProblems")
    assert problems.property("visible")
    [case] = services.cases.all()
    assert case.state is CaseState.PRINT_PENDING
    driver.click("printLaterButton")
    driver.click("skipRatingButton")
    driver.wait_screen("done")
    assert "办件查询" in driver.wait_item("doneAdvice").property("text")
    driver.click("homeButton")
    driver.wait_screen("home")
    driver.dock.devRemoveCard()

    driver.dock.devDocumentPrinter("idle")  # staff refilled the paper
    query_as(driver, "adult")
    driver.wait_screen("cases")
    assert driver.wait_item(f"caseState_{case.number}").property("text") == "已办结，待打印"
    driver.click(f"printCase_{case.number}")
    driver.wait_screen("rating")
    assert not driver.find("printProblems")
    code = services.cases.get(case.id).summary["credit_code"]
    assert (tmp_path / "spool" / f"licence-{code}.pdf").exists()
    assert services.cases.get(case.id).state is CaseState.ISSUED
