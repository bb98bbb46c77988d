"""Every item of the catalogue, end to end through the QML UI on simulated devices, by taps:
identify, guide, each form page (keyboard, pickers, e-licence scan, signature, camera), review,
decision, printing, rating. The registration itself is in test_ui_journey.py, 办件查询 in
test_ui_case_query.py."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.lifecycle import CaseState
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import pass_face_check, sign, use_card_address
from kiosk.services import KioskServices
from sync.client import CentralClient
from tests.central import CentralServer
from tests.test_ui_journey import open_driver

WANG_SHOP = "92370302MA000Y6G98"  # 王建国's hardware shop (assets/demo/reference.toml)
GULI_SHOP = "92370302MA000Y6GCH"  # 阿依古丽's general store: sells pre-packed food, not filed yet


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


@pytest.fixture
def central_database() -> None:
    """The terminal is under test here; the centre's databases are tested with the sync."""
    return None



def begin(driver: UiDriver, item: str, resident: str | None = "adult") -> None:
    """Home → the item → identified by ID card (unless the item needs nobody) → the first page."""
    driver.click("startButton")
    driver.wait_screen("items")
    driver.click(f"item_{item}")
    if resident is not None:
        driver.wait_screen("identify")
        driver.dock.devInsertCard(resident)
    pass_face_check(driver)
    if driver.controller.screen == "guide":  # a certificate printed straight away has none first
        driver.click("guideAccept")
    driver.wait_screen("form")


def show_licence_code(driver: UiDriver, services: KioskServices, credit_code: str) -> None:
    """Hold the business's e-licence up to the camera: its credit code fills the field."""
    services.devices.camera_source.show_qr(credit_code)
    driver.wait_until(lambda: driver.controller.session.answers.get("credit_code") == credit_code, "the code")
    def on_screen() -> bool:  # looked up each time: the page's fields are rebuilt as answers change
        field = driver.find("field_credit_code")
        return field is not None and field.property("text") == credit_code

    driver.wait_until(on_screen, "the code on the screen")
    services.devices.camera_source.clear()


def next_page(driver: UiDriver, number: int) -> None:
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith(str(number)), f"page {number}")


def submit(driver: UiDriver) -> dict:
    """The last page → the review → the decision; the decision shown."""
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    return driver.controller.decision


def print_straight_away(driver: UiDriver) -> dict:
    """The page of choices' 打印: decided and, when approved, printed without another tap; the
    rating screen then shows what came out (or the decision, when it was not approved)."""
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.screen in ("rating", "decision"), "printed or decided", 60)
    return driver.controller.decision


def print_and_finish(driver: UiDriver) -> dict:
    """Accept the decision (signing the commitment when there is one), print, rate, go home
    (printed already, for a certificate printed straight away: rate and go home)."""
    if driver.controller.screen != "rating":
        committing = driver.controller.decision["outcome"] == "approved_on_commitment"
        driver.click("commitButton" if committing else "printButton")
        driver.wait_screen("rating")
    result = dict(driver.controller.issuing.result)
    driver.click("rate_5")
    driver.click("submitRatingButton")
    driver.wait_screen("done")
    driver.click("homeButton")
    driver.wait_screen("home")
    driver.dock.devRemoveCard()
    return result


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_change_of_phone_number_needs_no_new_licence_only_the_receipt(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    begin(driver, "individual-business-change")
    show_licence_code(driver, services, WANG_SHOP)
    driver.click("multi_change_items_联系电话")
    next_page(driver, 2)
    driver.type_digits("field_new_phone", "13800001111")
    driver.hide_keyboard()
    sign(driver)
    assert submit(driver)["outcome"] == "approved"
    result = print_and_finish(driver)
    assert result["documents"] == [] and result["problems"] == []  # the phone is not on the licence
    [case] = services.cases.all()
    assert case.state is CaseState.ISSUED
    assert list((tmp_path / "spool").glob("receipt-*.escpos")) and not list((tmp_path / "spool").glob("*.pdf"))


def test_a_new_premises_picked_from_the_list_issues_the_changed_licence(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    begin(driver, "individual-business-change")
    show_licence_code(driver, services, WANG_SHOP)
    driver.click("multi_change_items_经营场所")
    next_page(driver, 2)
    driver.click("pickAddress_new_premises")
    driver.wait_screen("address")
    assert not driver.wait_item("useAddressButton").isEnabled()
    driver.click("township_昆仑镇")
    driver.click("village_磁村")
    driver.type_digits("address_house", "18")
    driver.hide_keyboard()
    driver.click("useAddressButton")
    driver.wait_screen("form")
    assert driver.controller.session.answers["new_premises"] == "淄川区昆仑镇磁村18号"
    assert driver.wait_item("field_new_premises").property("text") == "淄川区昆仑镇磁村18号"
    sign(driver)
    assert submit(driver)["outcome"] == "approved"
    result = print_and_finish(driver)
    assert result["documents"] == ["营业执照"]
    assert services.journey.reference.business_details(WANG_SHOP)["premises"] == "淄川区昆仑镇磁村18号"
    assert "淄川区昆仑镇磁村18号" in pdf_text(tmp_path / "spool" / f"licence-{WANG_SHOP}.pdf")


def test_simple_deregistration_on_commitment_prints_the_notice(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    begin(driver, "individual-business-deregistration")
    show_licence_code(driver, services, WANG_SHOP)
    driver.click("choice_reason_停止经营")
    next_page(driver, 2)
    driver.click("confirm_debts_settled")
    driver.click("confirm_taxes_settled")
    sign(driver)
    decision = submit(driver)
    assert decision["outcome"] == "approved_on_commitment"
    assert driver.wait_item("commitmentText").property("visible")
    result = print_and_finish(driver)
    assert result["documents"] == ["准予注销登记通知书"]
    [case] = services.cases.all()
    notice = next((tmp_path / "spool").glob(f"deregistration_notice-{case.number}.pdf"))
    assert "淄川区建国五金店" in pdf_text(notice)
    assert services.journey.reference.business_details(WANG_SHOP)["status"] == "deregistered"


def test_a_food_filing_for_a_shop_without_food_in_its_scope_says_how_to_fix_it_then_files(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    begin(driver, "prepackaged-food-filing", "adult")
    show_licence_code(driver, services, WANG_SHOP)  # a hardware shop: no food in its scope
    driver.click("multi_storage_conditions_常温")
    sign(driver)
    decision = submit(driver)
    assert decision["outcome"] == "needs_fixing"
    assert any("经营范围" in f["message"] for f in decision["failures"])
    driver.go_home()  # asks first: the answers would be lost
    driver.dock.devRemoveCard()

    begin(driver, "prepackaged-food-filing", "minority")
    show_licence_code(driver, services, GULI_SHOP)
    driver.click("multi_storage_conditions_常温")
    driver.click("multi_storage_conditions_冷藏")
    sign(driver)
    assert submit(driver)["outcome"] == "approved_on_commitment"
    result = print_and_finish(driver)
    assert result["documents"] == ["仅销售预包装食品备案凭证"]
    [filed] = services.cases.all()  # the first attempt needed fixing: nothing was stored
    assert filed.state is CaseState.ISSUED
    certificate = next((tmp_path / "spool").glob(f"food_filing_certificate-{filed.number}.pdf"))
    assert "淄川区古丽百货店" in pdf_text(certificate)


def test_a_convenience_store_gets_one_industry_licence(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    begin(driver, "convenience-store-licence", "elder")
    driver.type_digits("field_phone", "13912340000")
    driver.hide_keyboard()
    driver.type_pinyin("field_trade_name", "chunfeng", "春风")
    driver.hide_keyboard()
    driver.click("choice_organisation_form_店")
    driver.click("scope_F1201")
    driver.click("scope_F1203")
    next_page(driver, 2)
    use_card_address(driver)
    driver.click("multi_storage_conditions_常温")
    sign(driver)
    decision = submit(driver)
    assert decision["outcome"] in ("approved", "approved_on_commitment"), decision
    result = print_and_finish(driver)
    assert "行业综合许可证" in "".join(result["documents"]), result
    [case] = services.cases.all()
    assert case.state is CaseState.ISSUED


def test_the_licence_is_reprinted_for_its_operator(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    begin(driver, "licence-print")
    show_licence_code(driver, services, WANG_SHOP)
    driver.click("choice_purpose_遗失补打")
    assert driver.find("nextButton").property("text") == "打印"
    assert print_straight_away(driver)["outcome"] == "approved"
    result = print_and_finish(driver)
    assert result["documents"] == ["营业执照"]
    assert (tmp_path / "spool" / f"licence-{WANG_SHOP}.pdf").exists()


def test_a_social_insurance_certificate_from_the_live_register(
    driver: UiDriver, services: KioskServices, online: CentralServer, tmp_path: Path
) -> None:
    taps_before = driver.presses
    begin(driver, "social-insurance-certificate", "elder")
    # Card → the choices, already set to the usual certificate → 打印: three taps from home.
    assert driver.controller.session.answers["certificate_type"] == "城乡居民养老保险参保证明"
    assert print_straight_away(driver)["outcome"] == "approved"
    assert driver.presses - taps_before == 3
    result = print_and_finish(driver)
    assert result["documents"] == ["社会保险参保证明"]
    [case] = services.cases.all()
    text = pdf_text(next((tmp_path / "spool").glob(f"insurance_certificate-{case.number}.pdf")))
    assert "李秀兰" in text and "城乡居民养老保险参保证明" in text


def test_a_guide_prints_without_identifying_anyone(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    begin(driver, "service-guide", resident=None)
    driver.click("choice_guide_item_个体工商户简易注销")
    assert submit(driver)["outcome"] == "approved"
    result = print_and_finish(driver)
    assert result["documents"] == ["办事指南"]
    [case] = services.cases.all()
    assert "个体工商户简易注销" in pdf_text(next((tmp_path / "spool").glob(f"guide-{case.number}.pdf")))
    assert services.cases.personal(case.id)["applicant"]["id_number"] == ""


def type_identity(driver: UiDriver, pinyin_chars: list[tuple[str, str]], id_number: str) -> None:
    """On the manual-entry screen: the name character by character in pinyin, the number on the pad."""
    for pinyin, char in pinyin_chars:
        driver.click("manual_name")
        driver.spell(pinyin)
        driver.pick_candidate(char)
    driver.hide_keyboard()
    for char in id_number:
        driver.click(f"idKey_{char}")


def take_face(driver: UiDriver, services: KioskServices) -> None:
    """On the photo page: 拍照, the resident steps in front of the camera, 使用这张."""
    driver.click("capture_face_photo")
    driver.wait_screen("capture")
    assert driver.controller.capture.kind == "face"
    live = driver.wait_item("livePreview")  # the resident sees what the camera sees
    driver.wait_until(lambda: live.property("implicitWidth") > 0, "the camera's view")
    services.devices.camera_source.show_face()
    driver.wait_until(lambda: driver.controller.capture.state == "review", "the face to be taken")
    driver.click("useCaptureButton")
    driver.wait_screen("form")
    services.devices.camera_source.clear()


WANG_JIANGUO = ([("wang", "王"), ("jian", "建"), ("guo", "国")], "370302197503080116")
LI_XIULAN = ([("li", "李"), ("xiu", "秀"), ("lan", "兰")], "370302195806140025")


def apply_for_temporary_proof_by_typing(
    driver: UiDriver, services: KioskServices, who: tuple[list, str] = WANG_JIANGUO
) -> dict:
    """No card: typed identity (a wrong check character first), the face check, reason and
    purpose, the photo."""
    syllables, id_number = who
    driver.click("startButton")
    driver.click("item_temporary-identity-proof")
    driver.wait_screen("identify")
    driver.click("typeIdentityButton")
    driver.wait_screen("manual_id")
    wrong = "7" if id_number[-1] != "7" else "8"
    type_identity(driver, syllables, id_number[:-1] + wrong)
    driver.click("nextButton")
    driver.wait_until(lambda: "id_number" in driver.controller.identity.manualErrors, "the check-character problem")
    assert driver.controller.screen == "manual_id"
    driver.click("idKey_back")
    driver.click(f"idKey_{id_number[-1]}")
    driver.click("nextButton")
    pass_face_check(driver)
    driver.click("guideAccept")
    driver.wait_screen("form")
    driver.click("choice_reason_身份证遗失")
    driver.click("choice_purpose_办理银行业务")
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("2"), "the photo page")
    driver.click("nextButton")  # no photo yet: the page says so and stays
    driver.wait_until(lambda: "face_photo" in driver.controller.session.field_errors, "the missing photo")
    take_face(driver, services)
    thumbnail = driver.wait_item("captured_face_photo")
    driver.wait_until(lambda: thumbnail.property("implicitWidth") > 0, "the photo on the page")
    return submit(driver)


def test_a_temporary_proof_without_a_card_matched_with_the_household_register_photo_is_issued(
    driver: UiDriver, services: KioskServices, online: CentralServer
) -> None:
    # 李秀兰 has no card with her; the centre's household register has her photo, and the
    # terminal compares her live face with it (in memory) before the form.
    decision = apply_for_temporary_proof_by_typing(driver, services, LI_XIULAN)
    assert decision["outcome"] == "approved", decision
    print_and_finish(driver)
    [case] = services.cases.all()
    check = case.summary["identity_check"]
    assert check["method"] == "face" and check["passed"] and check["score"] < check["threshold"]


def test_a_temporary_proof_without_a_card_goes_to_an_officer_with_the_photo(
    driver: UiDriver, services: KioskServices, online: CentralServer
) -> None:
    decision = apply_for_temporary_proof_by_typing(driver, services)
    assert decision["outcome"] == "manual_review"
    assert [f["rule"] for f in decision["failures"]] == ["face-compared"], decision
    print_and_finish(driver)
    [case] = services.cases.all()
    assert case.state is CaseState.AWAITING_REVIEW
    personal = services.cases.personal(case.id)
    assert personal["applicant"]["identified_by"] == "manual_with_face"
    assert personal["applicant"]["name"] == "王建国" and personal["live"]["population_record_found"]
    kinds = services.store.conn.execute("SELECT kind FROM attachments WHERE case_id = ?", (case.id,)).fetchall()
    assert [k[0] for k in kinds] == ["face_photo"]


def test_once_an_officer_approves_the_proof_prints_with_the_photo_after_an_e_id_query(
    driver: UiDriver, services: KioskServices, online: CentralServer, tmp_path: Path
) -> None:
    from kiosk.core.office import fetch_decisions
    from sync.client import OutboxPusher
    from tests.test_office_decisions import clerk

    apply_for_temporary_proof_by_typing(driver, services)
    print_and_finish(driver)
    [case] = services.cases.all()
    client = CentralClient(online.url, services.config.terminal_id, online.secret)
    assert OutboxPusher(services.store, client).push().sent >= 1
    clerk(online, "decide", case.id, "approve", "--clerk", "般阳路派出所 张")
    assert fetch_decisions(client, services.journey, services.store) == [case.number]

    driver.click("startButton")
    driver.click("item_case-status-query")
    driver.wait_screen("identify")
    driver.dock.devShowEId("adult")  # the card is lost; the e-ID on the phone is not
    pass_face_check(driver)
    services.devices.camera_source.clear()
    driver.click("guideAccept")
    driver.wait_screen("form")
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("cases")
    driver.click(f"printCase_{case.number}")
    driver.wait_screen("rating")
    assert driver.controller.issuing.result["documents"] == ["临时身份证明"]
    proof = next((tmp_path / "spool").glob(f"temporary_identity_proof-{case.number}.pdf"))
    text = pdf_text(proof)
    assert "王建国" in text and "淄博市公安局淄川分局般阳路派出所" in text and "东关村125号" in text
    images = subprocess.run(["pdfimages", "-list", str(proof)], capture_output=True, text=True, check=True)
    assert len(images.stdout.strip().splitlines()) >= 3  # a header, a rule, and the photo (the QR is drawn)


def test_a_code_that_is_not_an_e_licence_on_the_credit_code_page_is_explained(
    driver: UiDriver, services: KioskServices
) -> None:
    begin(driver, "licence-print")
    driver.dock.devShowQr("garbled")
    driver.wait_until(lambda: "电子营业执照" in driver.controller.notice, "the explanation")
    assert not driver.controller.session.answers.get("credit_code")
    show_licence_code(driver, services, WANG_SHOP)
    assert "已读取" in driver.controller.notice


def test_a_candidate_far_along_the_bar_is_scrolled_to_and_written(driver: UiDriver) -> None:
    """The driver picks a pinyin candidate the bar shows only after scrolling, as a finger
    would; it once tapped where the candidate would have been and wrote another character."""
    from kiosk.devtools.ui.driver import _descendants

    driver.click("startButton")
    driver.click("item_temporary-identity-proof")
    driver.wait_screen("identify")
    driver.click("typeIdentityButton")
    driver.wait_screen("manual_id")
    driver.click("manual_name")
    driver.spell("li")
    candidates = [
        texts[0]
        for item in _descendants(driver._keyboard())
        if "SelectionListItem" in item.metaObject().className()
        if (texts := [d.property("text") for d in _descendants(item) if d.metaObject().indexOfProperty("text") >= 0])
    ]
    assert len(candidates) > 10  # more than the bar shows at once
    driver.pick_candidate(candidates[-1])
    assert driver.controller.screen == "manual_id"
    assert driver.window.activeFocusItem().property("text") == candidates[-1]
