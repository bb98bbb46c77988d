"""What a registration's business scope still needs, through the QML UI on simulated devices:
the permit or filing named on the decision screen, the receipt and the acceptance notice; the
food filing started next in the same session (证照联办) with the new credit code; the card's
address offered, never taken silently; premises in another county sent there with the guide."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.lifecycle import CaseState
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import free_trade_name, operator_page, sign, to_guide, use_card_address
from kiosk.services import KioskServices
from tests.test_ui_journey import open_driver

FILING_LINE = "经营“食品销售（仅销售预包装食品）”需要办理仅销售预包装食品经营者备案"
PERMIT_LINE = "经营“餐饮服务”需要先取得食品经营许可证"
FOOD_FILING = "prepackaged-food-filing"


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def receipt_words(spool: Path, case_number: str) -> str:
    """The Chinese words of the receipt as the printer got them (GB18030), run together across
    the paper's line breaks and without the printer's commands."""
    raw = (spool / f"receipt-{case_number}.escpos").read_bytes()
    return "".join(re.findall(r"[\u4e00-\u9fff“”（）：]+", raw.decode("gb18030", errors="ignore")))


def to_premises_page(driver: UiDriver, scopes: tuple[str, ...]) -> None:
    """A registration for the adult demo resident, with these scope entries, to the premises page."""
    to_guide(driver, "adult")
    driver.click("guideAccept")
    driver.wait_screen("form")
    operator_page(driver)
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("2"), "the business page")
    driver.type_pinyin("field_trade_name", *free_trade_name(driver))
    driver.hide_keyboard()
    for name in ("choice_industry_百货", "choice_organisation_form_店", *(f"scope_{c}" for c in scopes)):
        driver.click(name)
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("3"), "the premises page")


def to_decision(driver: UiDriver) -> dict:
    """The premises page filled on the commitment (address already answered), then the decision."""
    driver.click("choice_premises_proof_签署住所申报承诺")
    sign(driver)
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    return driver.controller.decision


def register(driver: UiDriver, scopes: tuple[str, ...]) -> dict:
    to_premises_page(driver, scopes)
    use_card_address(driver)
    return to_decision(driver)


def text_of(driver: UiDriver, name: str) -> str:
    return str(driver.wait_item(name).property("text"))


def test_the_card_address_is_offered_and_not_the_answer_until_tapped(
    driver: UiDriver, services: KioskServices
) -> None:
    to_premises_page(driver, ("F1201",))
    card_address = "山东省淄博市淄川区般阳路街道东关村125号"
    assert text_of(driver, "field_premises") == ""
    assert "premises" not in driver.controller.session.answers
    assert text_of(driver, "suggest_premises") == f"使用身份证上的地址：{card_address}"
    driver.click("choice_premises_proof_签署住所申报承诺")
    sign(driver)
    driver.click("nextButton")  # the address is required: the page stays, saying so
    driver.wait_until(lambda: driver.controller.session.field_errors.get("premises"), "the premises problem")
    assert driver.controller.pageNumber.startswith("3")
    assert driver.controller.session.field_errors["premises"] == "请填写“经营场所地址”。"
    use_card_address(driver)
    assert driver.controller.session.answers["premises"] == card_address
    driver.wait_until(lambda: text_of(driver, "field_premises") == card_address, "the address in the field")
    assert driver.find("suggest_premises") is None  # taken: no longer offered
    driver.click("nextButton")
    driver.wait_screen("review")


def test_prepacked_food_sales_names_the_filing_and_starts_it_next_with_the_new_credit_code(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    decision = register(driver, ("F1201", "F1203"))
    assert decision["outcome"] == "approved_on_commitment"
    assert text_of(driver, "permit_0") == FILING_LINE
    button = driver.wait_item(f"continue_{FOOD_FILING}")
    assert button.property("text") == "接着办理：仅销售预包装食品经营者备案"
    [registration] = services.cases.all()
    credit_code = registration.summary["credit_code"]
    assert registration.summary["permits"] == [
        {
            "scope_name": "食品销售（仅销售预包装食品）",
            "permit": "仅销售预包装食品经营者备案",
            "kind": "filing",
        }
    ]

    driver.click(f"continue_{FOOD_FILING}")  # the commitment accepted, the licence printed, then on
    driver.wait_screen("guide")  # no card read again
    assert driver.controller.itemName == "仅销售预包装食品经营者备案"
    assert registration.number in text_of(driver, "guideNotice")
    registration = services.cases.get(registration.id)
    assert registration.state is CaseState.ISSUED
    assert (tmp_path / "spool" / f"licence-{credit_code}.pdf").exists()
    receipt = receipt_words(tmp_path / "spool", registration.number)
    assert "还需办理：" + FILING_LINE in receipt, receipt

    driver.click("guideAccept")
    driver.wait_screen("form")
    answers = driver.controller.session.answers
    assert answers["credit_code"] == credit_code and answers["food_safety_manager"] == "王建国"
    assert text_of(driver, "field_credit_code") == credit_code
    driver.click("multi_storage_conditions_常温")
    sign(driver)
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    assert driver.controller.decision["outcome"] == "approved_on_commitment", driver.controller.decision
    driver.click("commitButton")
    driver.wait_screen("rating")
    assert driver.controller.issuing.result["documents"] == ["仅销售预包装食品备案凭证"]
    filing = next(c for c in services.cases.all() if c.item_id == FOOD_FILING)
    assert filing.summary["credit_code"] == credit_code
    assert services.journey.reference.business(credit_code).has_food_filing


def test_a_licensed_scope_names_its_permit_on_the_screen_the_notice_and_the_receipt(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    decision = register(driver, ("F1201", "H6201"))
    assert decision["outcome"] == "manual_review"
    assert text_of(driver, "permit_0") == PERMIT_LINE
    assert text_of(driver, "permitWhere_0") == "请到便民服务中心窗口办理"
    assert not any(i.objectName().startswith("continue_") and i.isVisible() for i in driver.items())
    driver.click("printButton")
    driver.wait_screen("rating")
    [case] = services.cases.all()
    notice = pdf_text(tmp_path / "spool" / f"acceptance_notice-{case.number}.pdf")
    assert "食品经营许可证" in notice and "还需办理" in notice
    assert "还需办理：" + PERMIT_LINE in receipt_words(tmp_path / "spool", case.number)


def test_premises_in_another_county_are_sent_there_with_the_guide_printed(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    to_premises_page(driver, ("F1201",))
    driver.controller.setAnswer("premises", "山东省枣庄市山亭区山城街道府前路3号")  # as typed
    decision = to_decision(driver)
    assert decision["outcome"] == "needs_fixing"
    [away] = [f for f in decision["failures"] if f["action"] == "go_to"]
    assert "山亭区" in away["remedy"]
    driver.click("printGuideButton")
    driver.wait_until(lambda: driver.controller.noticeGood, "the guide printed")
    assert "办事指南已打印" in text_of(driver, "decisionNotice")
    [guide_case] = services.cases.all()
    assert guide_case.item_id == "service-guide"
    guide = pdf_text(tmp_path / "spool" / f"guide-{guide_case.number}.pdf")
    assert "个体工商户设立登记" in guide
    assert driver.controller.screen == "decision"
    driver.click("fix_premises")  # the address was wrong after all: straight back to the field
    driver.wait_screen("form")
    assert driver.controller.pageNumber.startswith("3")
