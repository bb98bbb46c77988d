"""Admin mode through the QML UI: the hidden way in, the staff card and PIN, the lockout and the
idle lock (on fake clocks), each page's main action, the technician-only actions, and the
audit log of the whole session verifying, and failing at a changed row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.document_printer import DocumentPrinterStatus
from devices.interfaces import PrinterSimulator, simulator
from kiosk.core.audit import verify_audit
from kiosk.devtools.ui.driver import UiDriver
from kiosk.services import KioskServices
from sync import outbox
from tests.clock import FakeClock
from tests.test_ui_journey import open_driver, registration_journey_until_printed

STAFF_PIN, TECHNICIAN_PIN = "246813", "135792"  # kiosk/admin/demo_staff.py



@pytest.fixture
def central_database() -> None:
    """The terminal is under test here; the centre's databases are tested with the sync."""
    return None


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:
    yield from open_driver(services)


def admin(driver: UiDriver):  # noqa: ANN201 (the AdminController)
    return driver.kiosk.admin


def enter(driver: UiDriver) -> None:
    """Hold the hall's name for three seconds: the unlock screen."""
    driver.hold("adminCorner", 3.3)
    driver.wait_item("pinDots")


def type_pin(driver: UiDriver, pin: str) -> None:
    for digit in pin:
        driver.click(f"pinKey_{digit}")
    driver.click("pinOk")
    driver.wait_until(lambda: not admin(driver).busy, "the PIN check")


def shown(driver: UiDriver, name: str) -> str:
    """The text of the item called `name` as drawn now ('' while a refreshed list rebuilds it)."""
    item = driver.find(name)
    return item.property("text") if item is not None else ""


def unlock_as(driver: UiDriver, staff_id: str, pin: str) -> None:
    enter(driver)
    admin(driver).devInsertStaffCard(staff_id)
    type_pin(driver, pin)
    driver.wait_until(lambda: admin(driver).unlocked, "admin mode unlocked")


def test_a_tap_on_the_corner_does_nothing_and_holding_it_asks_for_card_and_pin(driver: UiDriver) -> None:
    driver.click("adminCorner")
    assert not admin(driver).open and driver.find("adminOverlay") is None
    enter(driver)
    assert "工作人员卡" in driver.wait_item("adminMessage").property("text")
    type_pin(driver, STAFF_PIN)  # no card on the reader
    assert not admin(driver).unlocked and "工作人员卡" in admin(driver).message
    admin(driver).devInsertStaffCard("ZC-07")
    type_pin(driver, STAFF_PIN)
    assert admin(driver).unlocked and admin(driver).staff["name"] == "李娜"
    driver.wait_item("deviceState_receipt")
    driver.click("adminLock")
    driver.wait_until(lambda: driver.find("adminOverlay") is None, "admin mode closed")


def test_wrong_pins_lock_out_with_a_growing_delay_on_a_fake_clock(driver: UiDriver) -> None:
    enter(driver)
    admin(driver).devInsertStaffCard("ZC-07")
    clock = FakeClock(2_000_000_000.0)
    lockout = admin(driver).gate().lockout
    lockout.clock = lockout.monotonic = clock  # the lockout runs on elapsed (monotonic) time
    for _ in range(3):
        type_pin(driver, "000001")
        assert admin(driver).message == "密码不正确。"
    type_pin(driver, "000001")
    assert "30秒" in driver.wait_item("adminMessage").property("text")
    type_pin(driver, STAFF_PIN)  # the right PIN, too early
    assert not admin(driver).unlocked and "秒后再试" in admin(driver).message
    clock.now += 31
    type_pin(driver, "000002")
    assert "60秒" in admin(driver).message  # twice as long
    clock.now += 61
    type_pin(driver, STAFF_PIN)
    assert admin(driver).unlocked


def test_admin_mode_locks_itself_when_left_alone(driver: UiDriver) -> None:
    unlock_as(driver, "ZC-07", STAFF_PIN)
    clock = FakeClock(admin(driver).clock())
    admin(driver).clock = clock
    admin(driver).touch()
    clock.now += admin(driver).idle_lock_seconds - 5
    ticks: list[int] = []  # the idle check really runs at this time, and keeps it open
    admin(driver)._timer.timeout.connect(lambda: ticks.append(1))
    driver.wait_until(lambda: len(ticks) >= 2, "two runs of the idle check", timeout=5)
    assert admin(driver).unlocked
    clock.now += 10
    driver.wait_until(lambda: not admin(driver).open, "the idle lock", timeout=5)
    assert driver.find("adminOverlay") is None


def test_self_tests_print_and_check_and_are_audited(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    unlock_as(driver, "ZC-07", STAFF_PIN)
    driver.click("selfTest_receipt")
    driver.wait_until(lambda: "测试回执已打印" in admin(driver).message, "the test receipt")
    assert (tmp_path / "spool" / "selftest.escpos").exists()
    driver.click("selfTest_a4")
    driver.wait_until(lambda: "测试页已打印" in admin(driver).message, "the test page")
    assert (tmp_path / "spool" / "selftest-page.pdf").read_bytes().startswith(b"%PDF")
    driver.click("selfTest_camera")
    driver.wait_until(lambda: "摄像头正常" in admin(driver).message, "the camera check")
    driver.click("selfTest_id_card")
    driver.wait_until(lambda: "放一张身份证" in admin(driver).message, "the reader without a card")
    driver.dock.devInsertCard("adult")
    driver.click("selfTest_id_card")
    driver.wait_until(lambda: "读卡成功：王**" in admin(driver).message, "a card read, its name masked")
    printer = simulator(services.devices.document_printer, PrinterSimulator)
    assert printer is not None
    printer.set_status(DocumentPrinterStatus.NO_PAPER)
    driver.click("adminPage_devices")
    driver.wait_until(lambda: "缺纸" in shown(driver, "deviceState_a4"), "the A4 printer out of paper")
    tests = services.store.conn.execute(
        "SELECT actor, detail FROM audit_log WHERE action = 'self_test' ORDER BY id"
    ).fetchall()
    assert [actor for actor, _ in tests] == ["ZC-07"] * 5
    assert all("王建国" not in detail for _, detail in tests)  # the audit keeps no name in clear


def a_parked_case(driver: UiDriver, services: KioskServices) -> outbox.OutboxEntry:
    """A registration whose outbox entry the centre refused, parked: the sync page's work."""
    registration_journey_until_printed(driver)
    driver.click("skipRatingButton")
    driver.click("homeButton")
    driver.wait_screen("home")
    with services.store.durable() as conn:
        [entry] = [e for e in outbox.pending(conn) if e.kind == "case"]
        outbox.park(conn, entry.entry_uuid, "中心拒收：字段不全（演示）")
    return entry


def test_a_parked_case_is_sent_again_from_the_sync_page(driver: UiDriver, services: KioskServices) -> None:
    entry = a_parked_case(driver, services)
    unlock_as(driver, "ZC-07", STAFF_PIN)
    driver.click("adminPage_sync")
    driver.wait_item(f"retry_{entry.entry_uuid}")
    driver.wait_until(lambda: "需处理 1 条" in shown(driver, "syncCounts"), "the parked count")
    driver.click(f"retry_{entry.entry_uuid}")
    driver.wait_until(lambda: "重新排队" in admin(driver).message, "the retry")
    with services.store.lock:
        assert outbox.counts(services.store.conn)["parked"] == 0


def test_today_page_counts_the_cases_and_ratings(driver: UiDriver, services: KioskServices) -> None:
    registration_journey_until_printed(driver)
    driver.click("rate_5")
    driver.click("submitRatingButton")
    driver.click("homeButton")
    driver.wait_screen("home")
    unlock_as(driver, "ZC-07", STAFF_PIN)
    driver.click("adminPage_today")
    driver.wait_until(lambda: "今日办件 1 件" in shown(driver, "todayTotals"), "today's figures")
    assert "平均评价 5.0" in shown(driver, "todayTotals")
    assert admin(driver).view["byItem"] == [{"label": "个体工商户设立登记", "count": 1}]
    # The chart draws each row: its label, a bar (the longest, as the only case), and the count.
    for label in ("个体工商户设立登记", "★★★★★  非常满意"):
        row = driver.wait_item(f"todayBar_{label}")
        texts = [child.property("text") for child in row.childItems() if child.property("text") is not None]
        bars = [child for child in row.childItems() if child.property("text") is None]
        assert texts == [label, "1"] and bars[0].width() > 0, (label, texts)


def test_only_a_technician_sees_and_may_restart(driver: UiDriver, services: KioskServices) -> None:
    unlock_as(driver, "ZC-07", STAFF_PIN)
    assert driver.find("adminPage_system") is None
    admin(driver).restartApp()  # called without the button: still refused
    assert "运维技术员" in admin(driver).message
    driver.click("adminLock")
    driver.wait_until(lambda: not admin(driver).open, "locked")
    admin(driver).devInsertStaffCard("")

    restarts: list[bool] = []
    admin(driver).restartRequested.connect(lambda: restarts.append(True))
    unlock_as(driver, "TECH-01", TECHNICIAN_PIN)
    driver.click("adminPage_system")
    driver.click("restartApp")
    assert restarts == [True]
    actions = [a for (a,) in services.store.conn.execute("SELECT action FROM audit_log ORDER BY id")]
    assert "admin_refused" in actions and actions[-1] == "app_restart"


def test_after_a_full_admin_session_the_audit_log_verifies_and_a_changed_row_is_found(
    driver: UiDriver, services: KioskServices
) -> None:
    enter(driver)
    admin(driver).devInsertStaffCard("TECH-01")
    type_pin(driver, "000000")
    type_pin(driver, TECHNICIAN_PIN)
    for page in ("paper", "reprint", "sync", "today", "versions", "assist", "system", "devices"):
        driver.click(f"adminPage_{page}")
        driver.wait_until(lambda: not admin(driver).busy, f"the {page} page")
        if page == "versions":
            rows = {row["name"]: row for row in admin(driver).view["items"]}
            item = services.catalogue["individual-business-registration"]
            assert rows[item.name]["version"] == item.version_label
            assert rows[item.name]["rules"] == item.rules_version_label
            assert rows["名称登记规则"]["version"] == services.journey.reference.name_rules().version
            assert rows["行政区划表"]["version"] == "2025-12-31"
    driver.click("selfTest_receipt")
    driver.wait_until(lambda: "测试回执" in admin(driver).message, "the test receipt")
    driver.click("adminLock")
    admin(driver).worker.wait()  # the lock's audit entry is written off the UI thread
    conn = services.store.conn
    rows = conn.execute("SELECT id, actor, action FROM audit_log ORDER BY id").fetchall()
    assert [r[2] for r in rows if r[1] != "installer"] == [
        "admin_unlock_refused",
        "admin_unlocked",
        "self_test",
        "admin_locked",
    ]
    assert verify_audit(conn) is None
    changed = rows[-2][0]  # the self-test: someone rewrites who did it
    conn.execute("DROP TRIGGER audit_no_update")  # an attacker with the file gets past the trigger
    conn.execute("UPDATE audit_log SET actor = 'ZC-07' WHERE id = ?", (changed,))
    assert verify_audit(conn) == changed


def test_paper_counts_what_printed_since_the_refill_and_a_refill_starts_again(
    driver: UiDriver, services: KioskServices
) -> None:
    registration_journey_until_printed(driver)  # one licence page, one receipt
    driver.click("skipRatingButton")
    driver.click("homeButton")
    driver.wait_screen("home")
    unlock_as(driver, "ZC-07", STAFF_PIN)
    driver.click("adminPage_paper")
    driver.wait_until(lambda: "已用 1" in shown(driver, "paper_receipt"), "one receipt counted")
    assert "已用 1" in shown(driver, "paper_a4")
    driver.click("refill_receipt")
    driver.wait_until(lambda: "已用 0" in shown(driver, "paper_receipt"), "the refill")
    driver.wait_until(lambda: "已用 1" in shown(driver, "paper_a4"), "the A4 count kept")  # only the roll changed
    actions = [a for (a,) in services.store.conn.execute("SELECT action FROM audit_log")]
    assert "paper_refilled" in actions


def test_a_licence_reprint_needs_a_reason_and_is_counted_and_audited(
    driver: UiDriver, services: KioskServices, tmp_path: Path
) -> None:
    registration_journey_until_printed(driver)
    code = driver.controller.issuing.result["creditCode"]
    driver.click("skipRatingButton")
    driver.click("homeButton")
    driver.wait_screen("home")
    unlock_as(driver, "ZC-07", STAFF_PIN)
    driver.click("adminPage_reprint")
    button = driver.wait_item(f"reprint_{code}")
    assert not button.isEnabled()  # no reason chosen yet
    admin(driver).reprintLicence(code, " ")  # nor without the button
    assert "原因" in admin(driver).message
    driver.click("reprintReason_原件污损")
    driver.click(f"reprint_{code}")
    driver.wait_until(lambda: "第2次打印" in admin(driver).message, "the reprint")
    detail = services.store.conn.execute(
        "SELECT actor, detail FROM audit_log WHERE action = 'reprint'"
    ).fetchone()
    assert detail[0] == "ZC-07" and "原件污损" in detail[1]
    assert (tmp_path / "spool" / f"licence-{code}.pdf").exists()


def test_assisting_puts_the_staff_member_on_the_case_until_home(
    driver: UiDriver, services: KioskServices
) -> None:
    unlock_as(driver, "ZC-07", STAFF_PIN)
    driver.click("adminPage_assist")
    driver.click("startAssist")
    driver.wait_until(lambda: not admin(driver).open, "admin mode closed for the resident")
    assert "李娜" in driver.wait_item("assistedBy").property("text")
    registration_journey_until_printed(driver)
    [case] = services.cases.all()
    assert case.summary["assisted_by"] == "ZC-07"
    driver.click("skipRatingButton")
    driver.click("homeButton")
    driver.wait_screen("home")
    assert driver.find("assistedBy") is None and driver.controller.session.assisted_by is None
    assert driver.controller.assistedBy == ""  # the name too, not only the id


def test_a_technician_exports_a_diagnostics_bundle_with_nothing_personal_in_clear(
    driver: UiDriver, services: KioskServices
) -> None:
    import zipfile

    registration_journey_until_printed(driver)
    driver.click("skipRatingButton")
    driver.click("homeButton")
    driver.wait_screen("home")
    unlock_as(driver, "TECH-01", TECHNICIAN_PIN)
    driver.click("adminPage_system")
    driver.click("exportDiagnostics")
    driver.wait_until(lambda: "诊断包已导出" in admin(driver).message, "the bundle")
    [bundle] = (services.config.data_dir / "diagnostics").glob("kiosk-diagnostics-*.zip")
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        text = "".join(archive.read(n).decode("utf-8") for n in names)
    assert {"report.json", "config.json"} <= set(names) and any(n.startswith("logs/") for n in names)
    assert '"audit_log": "verifies"' in text and "回执打印机" in text
    for personal in ("370302197503080116", "王建国", "13912345678"):
        assert personal not in text, personal


def test_parked_cases_carried_to_the_centre_by_hand_are_sealed_and_taken_in_once(
    driver: UiDriver, services: KioskServices, enrolled_central
) -> None:
    import subprocess
    import sys

    from sync.client import CentralClient, OutboxPusher
    from sync.credentials import save_secret

    central = enrolled_central
    save_secret(services.config.data_dir, central.secret)
    entry = a_parked_case(driver, services)
    unlock_as(driver, "ZC-07", STAFF_PIN)
    driver.click("adminPage_sync")
    driver.click("exportParked")
    driver.wait_until(lambda: "已导出" in admin(driver).message, "the export")
    [exported] = (services.config.data_dir / "exports").glob("kiosk-parked-*.json")
    assert (
        "王建国".encode() not in exported.read_bytes() and b"370302197503080116" not in exported.read_bytes()
    )

    def take_in(path: Path) -> subprocess.CompletedProcess:
        run = [sys.executable, "-m", "sync.server.main", "import", str(path), "--db", central.database]
        return subprocess.run(run, capture_output=True, text=True)

    assert "stored" in take_in(exported).stdout
    assert "already held" in take_in(exported).stdout  # carried twice: still one case
    tampered = exported.with_name("tampered.json")
    tampered.write_bytes(exported.read_bytes().replace(b'"sealed": "', b'"sealed": "AA'))
    refused = take_in(tampered)
    assert refused.returncode == 2 and "changed" in refused.stderr

    driver.click(f"retry_{entry.entry_uuid}")  # once the cause is fixed, the terminal sends it
    driver.wait_until(lambda: "重新排队" in admin(driver).message, "the retry")
    client = CentralClient(central.url, services.config.terminal_id, central.secret)
    OutboxPusher(services.store, client).push()
    with services.store.lock:
        assert [
            e.state for e in outbox.entries_for_case(services.store.conn, entry.case_id) if e.kind == "case"
        ] == ["acknowledged"]
    assert central.store().case_count(services.config.terminal_id) == 1


def test_where_configured_a_pin_alone_unlocks(qapp, demo_config, tmp_path: Path) -> None:
    from dataclasses import replace

    from kiosk.config import AdminConfig
    from kiosk.services import build_services

    services = build_services(
        replace(demo_config, admin=AdminConfig(pin_only=True)), spool_dir=tmp_path / "spool"
    )
    try:
        for driver in open_driver(services):
            enter(driver)
            assert driver.wait_item("adminMessage").property("text") == "请输入密码。"
            type_pin(driver, TECHNICIAN_PIN)  # no card on the reader
            assert admin(driver).unlocked and admin(driver).staff["id"] == "TECH-01"
            driver.click("adminLock")
    finally:
        services.close()
