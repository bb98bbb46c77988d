"""The headless demo: the registration journey through the real QML UI, with a screenshot
of every screen, then the licence PDF and the receipt (bytes and rendering) from the
simulated printers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.devtools.escpos_preview import render_escpos_png
from kiosk.devtools.ui.driver import UiDriver
from kiosk.services import build_services
from kiosk.ui.app import LANDSCAPE, PORTRAIT, open_window

REGISTRATION = "individual-business-registration"
SIZES = {"portrait": PORTRAIT, "landscape": LANDSCAPE}


@dataclass
class WalkthroughOutput:
    """The files a walkthrough wrote."""

    screenshots: list[Path] = field(default_factory=list)
    licence_pdf: Path | None = None
    receipt_bytes: Path | None = None
    receipt_png: Path | None = None


class ScreenshotSeries:
    """Numbered screenshots of one orientation: portrait-01-home.png, portrait-02-items.png, …"""

    def __init__(self, driver: UiDriver, folder: Path, prefix: str, into: list[Path]) -> None:
        self.driver, self.folder, self.prefix, self.into = driver, folder, prefix, into
        self.problems: list[str] = []  # texts that do not fit, by screenshot (see text_fit)

    def __call__(self, name: str) -> None:
        """Save the window now under the next number, noting any text that does not fit."""
        from kiosk.devtools.ui.text_fit import text_problems

        path = self.folder / f"{self.prefix}-{len(self.into) + 1:02d}-{name}.png"
        self.into.append(self.driver.screenshot(path))
        self.problems += [f"{path.name}: {p}" for p in text_problems(self.driver.window.contentItem())]


# Names a resident might type, in pinyin, for the walkthrough to pick a free one from.
TRADE_NAMES = (
    ("huaxing", "华星"),
    ("xinhua", "新华"),
    ("chunfeng", "春风"),
    ("mingyue", "明月"),
    ("jinxing", "金星"),
    ("hongyun", "鸿运"),
    ("xiangyang", "向阳"),
    ("fuxing", "福星"),
)


def free_trade_name(driver: UiDriver) -> tuple[str, str]:
    """The first (pinyin, 字号) not yet registered for 百货 in this terminal's division."""
    services = driver.controller.services
    assert services is not None
    division = services.journey.division.code
    for pinyin, name in TRADE_NAMES:
        if not services.journey.reference.trade_name_taken(division, "百货", name):
            return pinyin, name
    raise RuntimeError("every walkthrough trade name is taken: start from fresh data")


STAFF_ID, STAFF_PIN = "ZC-07", "246813"  # the demo hall staff member (kiosk/admin/demo_staff.py)
IDENTITY_SCREENS = ("consent", "face", "staff_check")


def staff_confirm(driver: UiDriver, staff_id: str = STAFF_ID, pin: str = STAFF_PIN) -> None:
    """人证核验 by hall staff: their card on the reader, their PIN, 确认已核对."""
    driver.wait_screen("staff_check")
    driver.kiosk.admin.devInsertStaffCard(staff_id)
    for digit in pin:
        driver.click(f"staffPinKey_{digit}")
    driver.click("staffPinKey_ok")
    driver.wait_until(lambda: driver.controller.screen != "staff_check", "the staff check", timeout=30)
    driver.kiosk.admin.devInsertStaffCard("")


def pass_face_check(driver: UiDriver, shot: Callable[[str], None] | None = None) -> None:
    """After the card: the item's 人证核验 if it asks for one (consent, the simulated resident
    blinking and turning; hall staff for a resident whose card has no photo), up to the guide
    (or the form, for a certificate printed straight away)."""
    past = ("guide", "form")
    driver.wait_until(lambda: driver.controller.screen in (*past, *IDENTITY_SCREENS), "the card read")
    if driver.controller.screen in past:
        return
    driver.wait_screen("consent")
    if shot is not None:
        shot("consent")
    driver.click("consentAgree")

    def started() -> bool:  # the reference photo read: watching the face, or nothing to compare
        screen = driver.controller.screen
        if screen == "face":
            return driver.controller.face_check.state != "preparing"
        return screen in ("staff_check", *past)

    driver.wait_until(started, "the face check")
    if driver.controller.screen == "face" and shot is not None:
        driver.wait_item("faceOval")
        shot("face")
    compared = ("staff_check", *past)
    driver.wait_until(lambda: driver.controller.screen in compared, "the comparison", timeout=90)
    if driver.controller.screen == "staff_check":
        if shot is not None:
            shot("staff-check")
        staff_confirm(driver)
    driver.wait_until(lambda: driver.controller.screen in past, "the guide or the form")


def to_guide(driver: UiDriver, resident: str, item: str = REGISTRATION) -> None:
    """From home: start, choose `item`, the resident's ID card on the reader (and the item's
    人证核验): the guide (the form, for a certificate printed straight away)."""
    driver.click("startButton")
    driver.wait_screen("items")
    driver.click(f"item_{item}")
    driver.wait_screen("identify")
    driver.dock.devInsertCard(resident)
    pass_face_check(driver)


def open_item(driver: UiDriver, resident: str, item: str = REGISTRATION) -> None:
    """From home to the item's first form page (through its guide, where it has one first)."""
    to_guide(driver, resident, item)
    if driver.controller.screen == "guide":
        driver.click("guideAccept")
    driver.wait_screen("form")


def operator_page(driver: UiDriver) -> None:
    """The registration's first page: a phone number, 个人经营."""
    driver.type_digits("field_phone", "13912345678")
    driver.hide_keyboard()
    driver.click("choice_organisation_type_个人经营")


def to_business_page(driver: UiDriver, resident: str = "adult") -> None:
    """From home to the registration's business page."""
    open_item(driver, resident)
    operator_page(driver)
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("2"), "the business page")


def business_page(driver: UiDriver, pinyin: str, trade_name: str) -> None:
    """Type the 字号 in pinyin, pick 百货 / 店 / 日用百货销售, go on to the premises page."""
    driver.type_pinyin("field_trade_name", pinyin, trade_name)
    driver.hide_keyboard()
    for name in ("choice_industry_百货", "choice_organisation_form_店", "scope_F1201", "nextButton"):
        driver.click(name)
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("3"), "the premises page")


# 王, written with a finger: three strokes across and one down.
SIGNATURE_STROKES = [
    [(0.35, 0.3), (0.65, 0.3)],
    [(0.37, 0.5), (0.63, 0.5)],
    [(0.3, 0.72), (0.7, 0.72)],
    [(0.5, 0.3), (0.5, 0.72)],
]


def sign(driver: UiDriver, field: str = "signature", shot: Callable[[str], None] | None = None) -> None:
    """Open the signature pad for `field`, write on it (`shot` it then), keep the signature:
    back on the form."""
    driver.click(f"sign_{field}")
    driver.wait_screen("sign")
    driver.draw("signaturePad", SIGNATURE_STROKES)
    if shot is not None:
        shot("sign")
    driver.click("keepSignButton")
    driver.wait_screen("form")


def use_card_address(driver: UiDriver, field: str = "premises") -> None:
    """Tap the card's address offered for an address field: it becomes the answer."""
    driver.click(f"suggest_{field}")
    answers = driver.controller.session.answers
    driver.wait_until(lambda: answers.get(field), f"the card's address in '{field}'")
    driver.wait_until(lambda: driver.find(f"suggest_{field}") is None, "the suggestion taken")


def premises_page(driver: UiDriver, proof: str = "签署住所申报承诺") -> None:
    """The registration's premises page: the card's address tapped to use, the proof, the signature."""
    use_card_address(driver)
    driver.click(f"choice_premises_proof_{proof}")
    sign(driver)


def rate_the_service(driver: UiDriver) -> None:
    """On the rating screen: 非常满意, because it was done in one go (一次办好)."""
    driver.click("rate_5")
    driver.click("reason_一次办好")


def to_consent(driver: UiDriver, resident: str, item: str = REGISTRATION) -> None:
    """From home: start, choose `item` (one that asks for 人证核验), the resident's card on the
    reader: the consent screen."""
    driver.click("startButton")
    driver.wait_screen("items")
    driver.click(f"item_{item}")
    driver.wait_screen("identify")
    driver.dock.devInsertCard(resident)
    driver.wait_screen("consent")


def face_check_walkthrough(driver: UiDriver, shot: Callable[[str], None]) -> None:
    """人证核验 where the card carries a photo: 李秀兰 starts a registration, agrees, blinks and
    turns for the simulated camera, is matched with her card, and goes home from the guide."""
    driver.wait_screen("home")
    to_consent(driver, "elder")
    shot("face-consent")
    driver.click("consentAgree")
    driver.wait_until(lambda: driver.controller.face_check.state == "watching", "the face check")
    driver.wait_item("faceLivePreview")
    shot("face-check")
    driver.wait_until(lambda: driver.controller.screen != "face", "the comparison", timeout=90)
    shot("face-verified")
    driver.go_home()
    driver.dock.devRemoveCard()


def registration_journey(
    driver: UiDriver,
    shot: Callable[[str], None],
    strokes_of: Callable[[str], list[list[tuple[float, float]]]] | None = None,
) -> None:
    """Register 华星百货店 for the demo adult on the premises commitment: home back to home.
    The 字号 is spelt in pinyin, or written by hand on the pad when `strokes_of` gives each
    character's strokes."""
    driver.wait_screen("home")
    driver.wait_ready()
    shot("home")
    driver.click("startButton")
    driver.wait_screen("items")
    shot("items")
    driver.click(f"item_{REGISTRATION}")
    driver.wait_screen("identify")
    shot("identify")
    driver.click("devDockToggle")
    shot("dev-dock")
    driver.click("dev_card_adult")
    driver.click("devDockToggle")
    pass_face_check(driver, shot)
    shot("guide")
    driver.click("guideAccept")
    driver.wait_screen("form")
    driver.type_digits("field_phone", "13912345678")
    driver.click("choice_organisation_type_个人经营")  # the keyboard closes as the resident moves on
    shot("form-operator")
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("2"), "the business page")
    pinyin, trade_name = free_trade_name(driver)
    if strokes_of is None:
        driver.type_pinyin("field_trade_name", pinyin, trade_name)
    else:
        for character in trade_name:
            driver.write_by_hand("field_trade_name", character, strokes_of(character))
    shot("form-keyboard")
    driver.click("choice_industry_百货")
    driver.click("choice_organisation_form_店")
    driver.click("scope_F1201")
    driver.click("scope_F1203")
    shot("form-business")
    driver.click("nextButton")
    driver.wait_until(lambda: driver.controller.pageNumber.startswith("3"), "the premises page")
    use_card_address(driver)
    driver.click("choice_premises_proof_签署住所申报承诺")
    sign(driver, shot=shot)
    shot("form-premises")
    driver.click("nextButton")
    driver.wait_screen("review")
    shot("review")
    driver.click("submitButton")
    driver.wait_screen("decision")
    shot("decision")
    driver.click("commitButton")
    driver.wait_screen("rating")
    rate_the_service(driver)
    shot("rating")
    driver.click("submitRatingButton")
    driver.wait_screen("done")
    shot("done")
    driver.click("homeButton")
    driver.wait_screen("home")
    driver.dock.devRemoveCard()


def run_walkthrough(
    config: KioskConfig,
    out_dir: Path,
    orientations: list[str],
    keep_data: bool = False,
    enrol: Callable[[Path], None] | None = None,
) -> WalkthroughOutput:
    """Run the journey once per orientation and collect what it printed into `out_dir`.

    The terminal's data starts fresh unless `keep_data` (a restart after a crash keeps it);
    `enrol(data_dir)` enrols it with a central platform before it starts. After the journeys
    one sync round sends the cases.
    """
    out = WalkthroughOutput()
    spool = out_dir / "printed"
    for folder in (spool, out_dir / "screens") + (() if keep_data else (out_dir / "data",)):
        if folder.exists():
            shutil.rmtree(folder)
    if enrol is not None:
        enrol(out_dir / "data")
    services = build_services(replace(config, data_dir=out_dir / "data"), spool_dir=spool)
    try:
        for orientation in orientations:
            kiosk = open_window(services.config, lambda: services, SIZES[orientation])
            driver = UiDriver(kiosk)
            series: list[Path] = []
            try:
                shot = ScreenshotSeries(driver, out_dir / "screens", orientation, series)
                registration_journey(driver, shot)
                face_check_walkthrough(driver, shot)
            finally:
                kiosk.close()
            out.screenshots += series
        if services.sync is not None:
            services.sync.run_round()  # the cases reach the centre before the demo stops it
    finally:
        services.close()
    licences = sorted(spool.glob("licence-*.pdf"), key=lambda p: p.stat().st_mtime)
    receipts = sorted(spool.glob("receipt-*.escpos"), key=lambda p: p.stat().st_mtime)
    if licences:
        out.licence_pdf = out_dir / "licence.pdf"
        shutil.copyfile(licences[-1], out.licence_pdf)
    if receipts:
        out.receipt_bytes = out_dir / "receipt.escpos"
        shutil.copyfile(receipts[-1], out.receipt_bytes)
        out.receipt_png = render_escpos_png(
            out.receipt_bytes.read_bytes(), out_dir / "receipt.png", config.devices.receipt_paper_mm
        )
    return out
