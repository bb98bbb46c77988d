"""Admin mode as QML sees it (`admin`): the hidden way in, the unlock, the pages, the actions,
and the lock that closes it again after a while untouched. Every action is audited with the
staff id; what a technician alone may do is refused to hall staff here, not only hidden. What
each page shows, the parked-entry export and the device self-tests are kiosk/ui/admin_pages.py."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from devices.interfaces import StaffCardSimulator
from kiosk.ui.admin_pages import collect_page, export_parked, run_self_test
from kiosk.ui.qml_property import qml_property
from kiosk.ui.workers import Worker

if TYPE_CHECKING:
    from kiosk.admin.gate import AdminGate, Refused
    from kiosk.admin.staff import StaffMember
    from kiosk.services import KioskServices

log = logging.getLogger(__name__)

PAGES = ("devices", "paper", "reprint", "sync", "today", "versions", "assist", "system")
PAGE_NAMES = {
    "devices": "设备状态",
    "paper": "纸张耗材",
    "reprint": "补打执照",
    "sync": "数据同步",
    "today": "今日统计",
    "versions": "事项版本",
    "assist": "帮办",
    "system": "系统维护",
}
TECHNICIAN_PAGES = frozenset({"system"})
RESTART_EXIT_CODE = 75  # the service manager starts the kiosk again


class AdminController(QObject):
    """The admin overlay's state and actions."""

    changed = Signal()
    restartRequested = Signal()

    def __init__(
        self,
        services: Callable[[], KioskServices | None],
        idle_lock_seconds: int,
        assist: Callable[[str, str], None] = lambda staff_id, name: None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        """`services` gives the kiosk's services once they are up (None before); `assist(staff
        id, name)` puts a helping staff member on the resident's session (帮办)."""
        super().__init__(parent)
        self._services = services
        self._assist = assist
        self.idle_lock_seconds = idle_lock_seconds
        self.clock = clock
        self.worker = Worker(1)
        self._gate: AdminGate | None = None
        self._open = False
        self._member: StaffMember | None = None
        self._message = ""
        self._page = "devices"
        self._busy = False
        self._view: dict[str, Any] = {}
        self._last_touch = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    # ---- properties -------------------------------------------------------------------------
    def _get_open(self) -> bool:
        return self._open

    def _get_unlocked(self) -> bool:
        return self._member is not None

    def _get_staff(self) -> dict:
        from kiosk.admin.staff import ROLE_NAMES

        m = self._member
        return (
            {"id": m.staff_id, "name": m.name, "role": ROLE_NAMES[m.role], "technician": m.is_technician}
            if m
            else {}
        )

    def _get_message(self) -> str:
        return self._message

    def _get_page(self) -> str:
        return self._page

    def _get_pages(self) -> list:
        technician = self._member is not None and self._member.is_technician
        return [{"key": p, "label": PAGE_NAMES[p]} for p in PAGES if technician or p not in TECHNICIAN_PAGES]

    def _get_busy(self) -> bool:
        return self._busy

    def _get_view(self) -> dict:
        return dict(self._view)

    def _get_lock_minutes(self) -> int:
        return max(1, round(self.idle_lock_seconds / 60))

    def _get_pin_only(self) -> bool:
        services = self._services()
        return bool(services and services.config.admin.pin_only)

    open = qml_property(bool, _get_open, notify=changed)
    unlocked = qml_property(bool, _get_unlocked, notify=changed)
    staff = qml_property("QVariantMap", _get_staff, notify=changed)
    message = qml_property(str, _get_message, notify=changed)
    page = qml_property(str, _get_page, notify=changed)
    pages = qml_property("QVariantList", _get_pages, notify=changed)
    busy = qml_property(bool, _get_busy, notify=changed)
    view = qml_property("QVariantMap", _get_view, notify=changed)  # what the current page shows
    pinOnly = qml_property(bool, _get_pin_only, notify=changed)
    lockMinutes = qml_property(int, _get_lock_minutes, constant=True)  # said on the message bar

    # ---- the way in and out -------------------------------------------------------------------
    def _unlocked_gate(self) -> AdminGate:
        """The gate that unlocked admin mode (every page action is recorded through it)."""
        gate = self.gate()
        if gate is None:
            raise RuntimeError("admin mode is unlocked only once the kiosk has started")
        return gate

    def gate(self) -> AdminGate | None:
        """The unlock checks, once the services are up."""
        services = self._services()
        if self._gate is None and services is not None:
            from kiosk.admin.gate import AdminGate

            self._gate = AdminGate(services.store, services.config.admin, services.devices.staff_card)
        return self._gate

    @Slot()
    def requestEntry(self) -> None:
        """The hidden gesture was made: ask for the staff card and PIN."""
        if self._open or self.gate() is None:
            return
        log.info("admin entry requested")
        self._open, self._member, self._page = True, None, "devices"
        self._message = "请输入密码。" if self._get_pin_only() else "请把工作人员卡放在读卡器上，再输入密码。"
        self.touch()
        self.changed.emit()

    @Slot(str)
    def unlock(self, pin: str) -> None:
        """Check the card and the PIN off the UI thread (the hash is slow on purpose)."""
        gate = self.gate()
        if not self._open or self._member is not None or gate is None or self._busy:
            return
        self._busy = True
        self._message = "正在核验…"
        self.changed.emit()
        self.worker.run(lambda: gate.unlock(pin), self._on_unlock, self._on_failed)

    def _on_unlock(self, outcome: StaffMember | Refused) -> None:
        from kiosk.admin.gate import Refused

        self._busy = False
        if isinstance(outcome, Refused):
            self._message = outcome.message
        else:
            self._member, self._message = outcome, ""
            self.touch()
            self._refresh()
        self.changed.emit()

    def _on_failed(self, exc: Exception) -> None:
        self._busy = False
        log.error("admin action failed: %s", exc)
        self._message = "操作没有完成，请重试；仍不行请联系运维技术员。"
        self.changed.emit()

    @Slot()
    def lock(self) -> None:
        """Lock and close admin mode (the 锁定 button, or the idle timer)."""
        if self._member is not None and self.gate() is not None:
            self._audit_later(self._member, "admin_locked", {})
            log.info("admin mode locked", extra={"staff": self._member.staff_id})
        self._open, self._member, self._view, self._message = False, None, {}, ""
        self.changed.emit()

    @Slot()
    def touch(self) -> None:
        """Staff did something: the idle lock starts over."""
        self._last_touch = self.clock()

    @Slot()
    def _tick(self) -> None:
        if self._open and self.clock() - self._last_touch > self.idle_lock_seconds:
            log.info("admin mode locked itself after inactivity")
            self.lock()

    # ---- pages --------------------------------------------------------------------------------
    @Slot(str)
    def showPage(self, page: str) -> None:
        """Go to a page the staff member may see."""
        if self._member is None or page not in PAGES:
            return
        if page in TECHNICIAN_PAGES and not self._member.is_technician:
            self._refuse_role(page)
            return
        self._page = page
        self.touch()
        self._refresh()

    def _refuse_role(self, what: str) -> None:
        assert self._member is not None
        self._audit_later(self._member, "admin_refused", {"what": what, "reason": "technician only"})
        self._message = "这项操作只限运维技术员。"
        self.changed.emit()

    @Slot()
    def refresh(self) -> None:
        """Read the current page's figures again."""
        if self._member is not None:
            self._refresh()

    def _refresh(self) -> None:
        services = self._services()
        if services is None:
            return
        page = self._page
        self._busy = True
        self.changed.emit()
        self.worker.run(lambda: collect_page(services, page), self._on_view, self._on_failed)

    def _on_view(self, view: dict[str, Any]) -> None:
        self._busy, self._view = False, view
        self.changed.emit()

    # ---- actions ------------------------------------------------------------------------------
    def _in_background(self, work: Callable[[KioskServices, StaffMember], str]) -> None:
        """Run a staff member's action off the UI thread; what it returns is their message."""
        services, member = self._services(), self._member
        if services is None or member is None:
            return
        self.touch()
        self._busy = True
        self.changed.emit()
        self.worker.run(lambda: work(services, member), self._on_action_done, self._on_failed)

    @Slot(str)
    def selfTest(self, device: str) -> None:
        """Print a test receipt or page, or check the card reader or camera; audited."""

        def run(services: KioskServices, member: StaffMember) -> str:
            result = run_self_test(services, device, member.staff_id)
            self._unlocked_gate().record(member, "self_test", {"device": device, "result": result})
            return result

        self._in_background(run)

    @Slot(str)
    def retryParked(self, entry_uuid: str) -> None:
        """Send a parked case to the centre again (after its cause is fixed); audited."""

        def run(services: KioskServices, member: StaffMember) -> str:
            from sync import outbox

            with services.store.durable() as conn:
                released = outbox.release_parked(conn, entry_uuid)
            self._unlocked_gate().record(member, "parked_retry", {"entry": entry_uuid, "released": released})
            if services.sync is not None:
                services.sync.sync_now()
            return "已重新排队发送。" if released else "这条记录已经不在待处理列表中。"

        self._in_background(run)

    @Slot()
    def exportParked(self) -> None:
        """Write the parked cases, sealed for the centre, to a USB drive (or the data folder)."""

        def run(services: KioskServices, member: StaffMember) -> str:
            path = export_parked(services)
            if path is None:
                return "本终端还没有注册到中心，无法导出。"
            self._unlocked_gate().record(member, "parked_exported", {"file": path.name})
            return f"已导出，请把文件交给中心导入：{path}"

        self._in_background(run)

    @Slot()
    def restartApp(self) -> None:
        """Restart the kiosk application (technicians); audited before it goes."""
        if self._member is None:
            return
        if not self._member.is_technician:
            self._refuse_role("restart")
            return
        self._unlocked_gate().record(self._member, "app_restart", {})
        log.warning("kiosk restart requested from admin mode", extra={"staff": self._member.staff_id})
        self.restartRequested.emit()

    @Slot(str)
    def refill(self, device: str) -> None:
        """Staff put new paper in `device` (receipt | a4); audited."""
        if device not in ("receipt", "a4"):
            return

        def run(services: KioskServices, member: StaffMember) -> str:
            from kiosk.admin.consumables import NAMES, refilled

            refilled(services.store, device, member.staff_id)
            return f"已记录：{NAMES[device]}已补充。"

        self._in_background(run)

    @Slot(str, str)
    def reprintLicence(self, credit_code: str, reason: str) -> None:
        """Print an issued licence again; the reason is required, the reprint counted and audited."""
        if self._member is not None and not reason.strip():
            self._message = "补打必须选择原因。"
            self.changed.emit()
            return
        self._in_background(
            lambda services, member: services.journey.reprint_licence(credit_code, member.staff_id, reason)[1]
        )

    @Slot()
    def exportDiagnostics(self) -> None:
        """Write the diagnostics bundle to a USB drive (or the data folder without one); technicians."""
        if self._member is not None and not self._member.is_technician:
            self._refuse_role("diagnostics")
            return

        def run(services: KioskServices, member: StaffMember) -> str:
            from kiosk.admin.diagnostics import usb_folder, write_bundle

            folder = usb_folder() or services.config.data_dir / "diagnostics"
            path = write_bundle(services, folder)
            exported = {"file": path.name, "folder": str(folder)}
            self._unlocked_gate().record(member, "diagnostics_exported", exported)
            return f"诊断包已导出：{path}"

        self._in_background(run)

    @Slot()
    def startAssist(self) -> None:
        """帮办: close admin mode and put this staff member on the resident's case."""
        member = self._member
        if member is None:
            return
        self._audit_later(member, "assist_started", {})
        self._assist(member.staff_id, member.name)
        self.lock()

    def _audit_later(self, member: StaffMember, action: str, detail: dict[str, Any]) -> None:
        """Write an audit entry off the UI thread (the one worker keeps the entries in order)."""
        gate = self._unlocked_gate()
        self.worker.run(lambda: gate.record(member, action, detail), lambda _: None, self._on_audit_failed)

    def _on_audit_failed(self, exc: Exception) -> None:
        log.error("admin audit entry not written: %s", exc)

    def _on_action_done(self, result: str) -> None:
        self._busy, self._message = False, result
        self._refresh()

    # ---- dev dock (demo only) -------------------------------------------------------------------
    @Slot(str)
    def devInsertStaffCard(self, staff_id: str) -> None:
        """Put a demo staff member's card on the simulated reader ('' takes it away)."""
        services = self._services()
        card = services.devices.staff_card if services and services.config.demo else None
        if not isinstance(card, StaffCardSimulator):
            return
        if staff_id:
            from kiosk.admin.demo_staff import demo_card_key

            card.insert(staff_id, demo_card_key(staff_id))
        else:
            card.remove()

    def shutdown(self) -> None:
        """Stop the idle timer and wait for background work."""
        self._timer.stop()
        self.worker.wait()
