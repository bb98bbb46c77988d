"""The screen atlas: every resident screen, in portrait and landscape, in normal and elder mode,
written to one folder for people to look at (`python -m kiosk.devtools screens`).

It drives the real QML UI on simulated devices with fresh demo data, as a resident would:
the registration journey with a needs-fixing loop, each decision outcome, the idle countdown,
and an item that needs the network while the centre cannot be reached. It is one file of scenes
(~540 lines) because each scene is a short script read top to bottom, next to the list that
names them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.devtools.ui.driver import UiDriver
from kiosk.devtools.ui.walkthrough import (
    REGISTRATION,
    SIZES,
    ScreenshotSeries,
    business_page,
    free_trade_name,
    open_item,
    operator_page,
    pass_face_check,
    premises_page,
    rate_the_service,
    sign,
    to_business_page,
    to_consent,
    use_card_address,
)
from kiosk.services import KioskServices, build_services
from kiosk.ui.app import open_window

MODES = ("normal", "elder")
Shot = Callable[[str], None]


def _home(driver: UiDriver, elder: bool) -> None:
    """Back home for the next scene; the card leaves the reader; elder mode again if wanted."""
    if driver.controller.screen != "home":
        driver.go_home()
    driver.wait_screen("home")
    driver.dock.devRemoveCard()
    if elder and not driver.controller.elderMode:
        driver.click("elderToggle")


def registration_scenes(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """Home to done: every form page, the keyboard, a needs-fixing loop, the commitment."""
    shot("home")
    driver.click("startButton")
    driver.wait_screen("items")
    shot("items")
    driver.click(f"item_{REGISTRATION}")
    driver.wait_screen("identify")
    shot("identify")
    driver.dock.devInsertCard("adult")
    pass_face_check(driver, shot)  # no photo on the demo adult's card: consent, then hall staff
    shot("guide")
    driver.click("guideAccept")
    driver.wait_screen("form")
    operator_page(driver)
    shot("form-operator")
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("2"), "the business page")
    driver.type_pinyin("field_trade_name", "zhonghua", "中华")
    shot("form-keyboard")
    driver.hide_keyboard()
    for name in ("choice_industry_百货", "choice_organisation_form_店", "scope_F1201"):
        driver.click(name)
    shot("form-business")
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("3"), "the premises page")
    driver.click("choice_premises_proof_签署住所申报承诺")
    shot("form-premises-card-address")
    driver.click("pickAddress_premises")
    driver.wait_screen("address")
    driver.click("township_般阳路街道")
    driver.click("village_东关村")
    driver.type_digits("address_house", "125")
    shot("address-picker")
    driver.hide_keyboard()
    driver.click("useAddressButton")
    driver.wait_screen("form")
    sign(driver, shot=shot)
    shot("form-premises")
    driver.click("nextButton")
    driver.wait_screen("review")
    shot("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    shot("decision-needs-fixing")
    driver.click("fix_trade_name")
    driver.wait_screen("form")
    driver.erase("field_trade_name", 2)
    pinyin, trade_name = free_trade_name(driver)
    driver.type_pinyin("field_trade_name", pinyin, trade_name)
    driver.hide_keyboard()
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("3"), "the premises page")
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    shot("decision-commitment")
    driver.click("commitButton")
    driver.wait_screen("rating")
    shot("rating")
    rate_the_service(driver)
    shot("rating-chosen")
    driver.click("submitRatingButton")
    driver.wait_screen("done")
    shot("done")
    _home(driver, elder)


def countdown_scene(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """The idle countdown over a form page (the idle limit shortened for this scene only)."""
    open_item(driver, "elder")
    session = driver.controller.session
    idle = session.idle_seconds
    session.idle_seconds = 1
    try:
        driver.wait_item("countdownOverlay")
        shot("countdown")
        driver.click("continueButton")
    finally:
        session.idle_seconds = idle
    _home(driver, elder)


def manual_review_scene(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """A resident on the dishonesty list: manual review, with the reason and the window."""
    to_business_page(driver, "dishonest")
    business_page(driver, "mingyue", "明月")
    premises_page(driver)
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    shot("decision-manual-review")
    _home(driver, elder)


def _register(driver: UiDriver, resident: str, scopes: tuple[str, ...], premises: str = "") -> None:
    """A registration on the premises commitment with these scope entries, to its decision;
    `premises` typed instead of the card's address when given."""
    to_business_page(driver, resident)
    driver.type_pinyin("field_trade_name", *free_trade_name(driver))
    driver.hide_keyboard()
    for name in ("choice_industry_百货", "choice_organisation_form_店", *(f"scope_{c}" for c in scopes)):
        driver.click(name)
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("3"), "the premises page")
    if premises:  # what the text field sends as the resident types it
        driver.controller.setAnswer("premises", premises)
        driver.click("choice_premises_proof_签署住所申报承诺")
        sign(driver)
    else:
        premises_page(driver)
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")


def permits_scene(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """What the chosen scope still needs: the food filing offered next (证照联办) and started
    with the new credit code; a licensed scope naming its permit; premises in another county,
    with the guide printed to take there."""
    _register(driver, "adult", ("F1201", "F1203"))
    shot("decision-filing")
    driver.click("continue_prepackaged-food-filing")
    pass_face_check(driver)
    shot("guide-follow-on")
    driver.click("guideAccept")
    driver.wait_screen("form")
    shot("form-food-filing-carried")
    _home(driver, elder)
    _register(driver, "adult", ("F1201", "H6201"))
    shot("decision-licensed-scope")
    _home(driver, elder)
    _register(driver, "adult", ("F1201",), premises="山东省枣庄市山亭区山城街道府前路3号")
    shot("decision-outside-area")
    driver.click("printGuideButton")
    driver.wait_until(lambda: driver.controller.noticeGood, "the guide printed")
    shot("decision-guide-printed")
    _home(driver, elder)


def _to_face(driver: UiDriver) -> None:
    to_consent(driver, "elder")
    driver.click("consentAgree")
    driver.wait_screen("face")


def face_check_scene(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """人证核验 with a card that carries a photo: the live face blinking and turning, through to
    the guide; then a photo held up to the camera, which fails and may try again."""
    _to_face(driver)
    driver.wait_item("faceOval")
    driver.wait_item("faceLivePreview")
    shot("identity-face")
    driver.wait_until(lambda: driver.controller.screen == "guide", "the comparison", timeout=90)
    shot("identity-face-verified")
    _home(driver, elder)
    driver.dock.devFaceScene("photo")
    try:
        _to_face(driver)
        face = driver.controller.face_check
        driver.wait_until(lambda: face.state == "failed", "the failed try", timeout=90)
        shot("identity-face-failed")
    finally:
        driver.dock.devFaceScene("holder")
    _home(driver, elder)


def network_item_scene(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """An item that needs the centre, while it cannot be reached: the guide says what to do now."""
    driver.wait_until(lambda: driver.controller.networkState == "offline", "the sync's first probe")
    driver.click("startButton")
    driver.wait_screen("items")
    shot("items-offline")
    driver.click("item_social-insurance-certificate")
    driver.wait_screen("identify")
    driver.dock.devInsertCard("adult")
    pass_face_check(driver)
    shot("guide-offline")
    _home(driver, elder)


def paper_out_and_case_query_scene(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """The A4 printer out of paper at print time, then the same resident's 办件查询 with that
    case ready to print here once paper is back."""
    driver.dock.devDocumentPrinter("no_paper")
    to_business_page(driver)
    business_page(driver, *free_trade_name(driver))
    premises_page(driver)
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    driver.click("commitButton")
    driver.wait_screen("rating")
    shot("rating-paper-out")
    driver.click("printLaterButton")
    shot("rating-after-paper-out")
    driver.click("skipRatingButton")
    driver.wait_screen("done")
    shot("done-paper-out")
    _home(driver, elder)
    driver.dock.devDocumentPrinter("idle")
    open_item(driver, "adult", "case-status-query")
    shot("form-case-query")
    driver.click("nextButton")
    driver.wait_screen("review")
    driver.click("submitButton")
    driver.wait_screen("cases")
    shot("cases")
    _home(driver, elder)


def _capture(driver: UiDriver, shot: Shot, field: str, scene: str, prefix: str, after: str) -> None:
    """A picture field: the camera looking (shot), `scene` shown to it, the picture (shot), kept,
    and the form with its thumbnail (shot `after`)."""
    driver.click(f"capture_{field}")
    driver.wait_screen("capture")
    shot(f"{prefix}-watching")
    driver.dock.devShowQr(scene)
    driver.wait_until(lambda: driver.controller.capture.state == "review", "the picture to be taken")
    preview = driver.wait_item("capturePreview")
    driver.wait_until(lambda: preview.property("implicitWidth") > 0, "the picture to show")
    shot(f"{prefix}-review")
    driver.click("useCaptureButton")
    driver.wait_screen("form")
    thumbnail = driver.wait_item(f"captured_{field}")
    driver.wait_until(lambda: thumbnail.property("implicitWidth") > 0, "the thumbnail")
    shot(after)
    driver.dock.devShowQr("")


def capture_scene(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """The premises document photographed: the camera looking, the straightened page, the form."""
    to_business_page(driver)
    business_page(driver, *free_trade_name(driver))
    premises_page(driver, "拍摄场所使用证明")
    _capture(driver, shot, "premises_document", "document", "capture", "form-premises-captured")
    _home(driver, elder)


def temporary_proof_scene(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """临时身份证明 without a card: the typed identity, the photo page, the camera on the face."""
    driver.click("startButton")
    driver.wait_screen("items")
    driver.click("item_temporary-identity-proof")
    driver.wait_screen("identify")
    shot("identify-typing-offered")
    driver.click("typeIdentityButton")
    driver.wait_screen("manual_id")
    driver.click("manual_name")
    for pinyin, char in (("wang", "王"), ("jian", "建"), ("guo", "国")):
        driver.spell(pinyin)
        driver.pick_candidate(char)
    shot("manual-id-keyboard")
    driver.hide_keyboard()
    for char in "37030219750308011":
        driver.click(f"idKey_{char}")
    driver.click("idKey_7")  # a wrong check character
    driver.click("nextButton")
    identity = driver.controller.identity
    driver.wait_until(lambda: "id_number" in identity.manualErrors, "the check-character problem")
    shot("manual-id-wrong-number")
    driver.click("idKey_back")
    driver.click("idKey_6")
    driver.click("nextButton")
    pass_face_check(driver)
    shot("guide-temporary-proof")
    driver.click("guideAccept")
    driver.wait_screen("form")
    driver.click("choice_reason_身份证遗失")
    driver.click("choice_purpose_办理银行业务")
    shot("form-temporary-proof")
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("2"), "the photo page")
    _capture(driver, shot, "face_photo", "face", "capture-face", "form-photo")
    driver.click("nextButton")
    driver.wait_screen("review")
    shot("review-temporary-proof")
    driver.click("submitButton")
    driver.wait_screen("decision")
    shot("decision-temporary-proof-offline")
    _home(driver, elder)


def _pages(driver: UiDriver, shot: Shot, name: str, fill: dict[int, Callable[[], None]]) -> None:
    """Each form page of the open item: filled by `fill[page]`, shot, then the next."""
    page, controller = 1, driver.controller
    while controller.screen == "form":
        if page in fill:
            fill[page]()
        shot(f"form-{name}-{page}")
        driver.click("nextButton")
        page += 1
        label = f"{page}/"

        def turned(label: str = label) -> bool:
            return controller.screen != "form" or controller.pageNumber.startswith(label)

        driver.wait_until(turned, f"page {page} of {name}")
    # A certificate printed straight away is deciding or printing now: let it finish first.
    driver.wait_until(lambda: controller.screen not in ("deciding", "printing"), f"{name} decided", 60)
    _home(driver, driver.controller.elderMode)


def other_items_scene(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """The form pages of every other item, as their residents fill them in."""
    from kiosk.services import demo_credit_code

    credit_code = demo_credit_code()

    def licence_code() -> None:
        driver.dock.devShowQr("e_licence")
        answers = driver.controller.session.answers
        driver.wait_until(lambda: answers.get("credit_code") == credit_code, "the code")
        driver.dock.devShowQr("")

    def change_items() -> None:
        licence_code()
        for name in ("multi_change_items_名称", "multi_change_items_联系电话"):
            driver.click(name)
        # The next page shows a field for each item changed: both must have taken.
        def both_taken() -> bool:
            return {"名称", "联系电话"} <= set(driver.controller.session.answers.get("change_items", []))

        driver.wait_until(both_taken, "both change items")

    def new_values() -> None:
        driver.type_pinyin("field_new_trade_name", "xinhua", "新华")
        driver.hide_keyboard()
        driver.click("choice_new_industry_五金")
        driver.click("choice_new_organisation_form_店")
        driver.type_digits("field_new_phone", "13800001111")
        driver.hide_keyboard()
        sign(driver)

    open_item(driver, "adult", "individual-business-change")
    _pages(driver, shot, "change", {1: change_items, 2: new_values})

    def reason() -> None:
        licence_code()
        driver.click("choice_reason_停止经营")

    def confirm() -> None:
        driver.click("confirm_debts_settled")
        driver.click("confirm_taxes_settled")
        sign(driver)

    open_item(driver, "adult", "individual-business-deregistration")
    _pages(driver, shot, "deregistration", {1: reason, 2: confirm})

    def filing() -> None:
        licence_code()
        driver.click("multi_storage_conditions_常温")
        sign(driver)

    open_item(driver, "adult", "prepackaged-food-filing")
    _pages(driver, shot, "food-filing", {1: filing})

    def store() -> None:
        driver.type_digits("field_phone", "13912340000")
        driver.hide_keyboard()
        for name in ("choice_organisation_form_店", "scope_F1201", "scope_F1203"):
            driver.click(name)

    def premises_food() -> None:
        use_card_address(driver)
        driver.click("multi_storage_conditions_常温")
        sign(driver)

    open_item(driver, "elder", "convenience-store-licence")
    _pages(driver, shot, "convenience-store", {1: store, 2: premises_food})

    def reprint() -> None:
        licence_code()
        driver.click("choice_purpose_遗失补打")

    open_item(driver, "adult", "licence-print")
    _pages(driver, shot, "licence-print", {1: reprint})

    def certificate() -> None:
        driver.click("choice_certificate_type_城乡居民养老保险参保证明")
        driver.click("choice_period_近12个月")

    open_item(driver, "elder", "social-insurance-certificate")
    _pages(driver, shot, "insurance", {1: certificate})

    driver.click("startButton")
    driver.wait_screen("items")
    driver.click("item_service-guide")
    pass_face_check(driver)
    driver.click("guideAccept")
    driver.wait_screen("form")
    _pages(driver, shot, "guide", {1: lambda: driver.click("choice_guide_item_个体工商户简易注销")})


def admin_scenes(driver: UiDriver, shot: Shot, elder: bool) -> None:
    """Admin mode: the unlock, a wrong PIN, then every page as a technician sees it."""
    from kiosk.admin.demo_staff import DEMO_STAFF

    admin = driver.kiosk.admin
    technician, pin = next((s[0], s[3]) for s in DEMO_STAFF if s[2] == "technician")
    driver.hold("adminCorner", 3.3)
    driver.wait_item("pinDots")
    admin.devInsertStaffCard(technician)
    shot("admin-unlock")
    for digit in "000000":
        driver.click(f"pinKey_{digit}")
    driver.click("pinOk")
    driver.wait_until(lambda: not admin.busy and "不正确" in admin.message, "the wrong PIN")
    shot("admin-wrong-pin")
    for digit in pin:
        driver.click(f"pinKey_{digit}")
    driver.click("pinOk")
    driver.wait_until(lambda: admin.unlocked and not admin.busy, "admin mode unlocked")
    for page in ("devices", "paper", "reprint", "sync", "today", "versions", "assist", "system"):
        driver.click(f"adminPage_{page}")
        driver.wait_until(lambda: not admin.busy, f"the {page} page")
        shot(f"admin-{page}")
    driver.click("adminLock")
    driver.wait_until(lambda: not admin.open, "admin mode closed")
    admin.devInsertStaffCard("")
    _home(driver, elder)


SCENES = (
    registration_scenes,
    capture_scene,
    countdown_scene,
    manual_review_scene,
    permits_scene,
    paper_out_and_case_query_scene,
    network_item_scene,
    face_check_scene,
    temporary_proof_scene,
    other_items_scene,
    admin_scenes,
)


def write_atlas(
    config: KioskConfig,
    out_dir: Path,
    orientations: tuple[str, ...] = tuple(SIZES),
    modes: tuple[str, ...] = MODES,
    problems: list[str] | None = None,
) -> list[Path]:
    """Every scene in each orientation and mode; the screenshots, named
    `<orientation>-<mode>-NN-<screen>.png`. The terminal's data starts fresh and has no
    central platform, so the network shows as interrupted once the sync has probed. Texts that
    do not fit (kiosk/devtools/ui/text_fit.py) are added to `problems`, one line each."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    written: list[Path] = []
    for orientation in orientations:
        size = SIZES[orientation]
        for mode in modes:
            data = out_dir / ".data" / f"{orientation}-{mode}"
            config_here = replace(config, demo=True, data_dir=data, central_url="http://127.0.0.1:9")
            services = build_services(config_here, spool_dir=data / "printed")

            def start(built: KioskServices = services) -> KioskServices:
                return built

            kiosk = open_window(services.config, start, size)
            driver = UiDriver(kiosk)
            series: list[Path] = []
            shot = ScreenshotSeries(driver, out_dir, f"{orientation}-{mode}", series)
            try:
                driver.wait_ready()
                _home(driver, mode == "elder")
                for scene in SCENES:
                    scene(driver, shot, mode == "elder")
                if problems is not None:
                    problems += shot.problems
            finally:
                kiosk.close()
                services.close()
            written += series
    shutil.rmtree(out_dir / ".data", ignore_errors=True)
    return written
