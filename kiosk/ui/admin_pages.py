"""What admin mode shows and does off the UI thread: each page's figures read from the devices
and the store, the export of parked entries to a USB stick, and the device self-tests.

Plain functions over the services (no Qt): the admin controller runs them on its worker."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.services import KioskServices

# The sync worker's own words for its usual states; anything else is shown as it is (technical).
SYNC_ERROR_WORDS = {"not enrolled": "本终端尚未注册到中心", "centre unreachable": "连不上中心"}


def collect_page(services: KioskServices, page: str) -> dict[str, Any]:
    """What one admin page shows, read from the devices and the store (off the UI thread)."""
    if page == "devices":
        from kiosk.admin.devices_report import device_states, system_states

        return {
            "devices": [
                {"key": d.key, "name": d.name, "words": d.words, "ok": d.ok}
                for d in [*system_states(services), *device_states(services.devices)]
            ]
        }
    if page == "sync":
        from sync import outbox

        status = services.sync.status() if services.sync is not None else None
        with services.store.lock:
            counts = outbox.counts(services.store.conn)
            parked = outbox.parked(services.store.conn)
        return {
            "online": bool(status and status.online),
            "enrolled": bool(status and status.enrolled),
            "lastSuccess": status.last_success if status else "",
            "lastError": SYNC_ERROR_WORDS.get(status.last_error, status.last_error) if status else "",
            "counts": {k: int(v) for k, v in counts.items()},
            "parked": [{"entry": e, "case": c, "reason": r} for e, c, r in parked],
        }
    if page == "today":
        from kiosk.admin.figures import day_figures
        from kiosk.core.ratings import rating_levels

        figures = day_figures(services.store, dt.date.today())
        words = {level.value: level.label for level in rating_levels()}
        return {
            "cases": figures.cases,
            "byItem": [{"label": k, "count": v} for k, v in figures.by_item.items()],
            "byOutcome": [{"label": k, "count": v} for k, v in figures.by_outcome.items()],
            "ratings": [
                {"level": k, "label": f"{'★' * k}  {words.get(k, '')}", "count": v}
                for k, v in figures.ratings.items()
            ],
            "averageRating": figures.average_rating or 0.0,
            "medianMinutes": round((figures.median_journey_seconds or 0) / 60, 1),
            "staffCalls": staff_call_rows(services, dt.date.today()),
        }
    if page == "paper":
        from kiosk.admin.consumables import paper_rows

        return {"paper": paper_rows(services.store)}
    if page == "reprint":
        with services.store.lock:
            rows = services.store.conn.execute(
                "SELECT number, print_count, recorded_at FROM issued_documents"
                " WHERE kind = 'business_licence' ORDER BY id DESC LIMIT 20"
            ).fetchall()
        licences = []
        for number, count, at in rows:
            business = services.journey.reference.business_details(number) or {}
            licences.append({"code": number, "name": business.get("name", ""), "count": count, "at": at[:16]})
        return {"licences": licences}
    if page == "versions":
        reference = services.journey.reference
        rules, divisions = reference.name_rules(), reference.division_table()
        return {
            "items": [
                *(
                    {"name": item.name, "version": item.version_label, "rules": item.rules_version_label}
                    for item in services.catalogue.values()
                ),
                {"name": "名称登记规则", "version": rules.version, "rules": rules.content_hash[:12]},
                {"name": "行政区划表", "version": divisions.data_date, "rules": divisions.version[:12]},
            ]
        }
    return {"terminal": services.config.terminal_id, "dataDir": str(services.config.data_dir)}


def staff_call_rows(services: KioskServices, day: dt.date) -> list[dict[str, str]]:
    """The day's calls for staff as the admin page lists them: the time, the terminal, the item
    and the step of it the resident was at."""
    from kiosk.core.session import Screen
    from kiosk.core.staff_calls import calls_on
    from kiosk.ui.journey_steps import STEPS, step_of

    rows = []
    for call in calls_on(services.store, day):
        try:
            step = step_of(Screen(call.screen))
        except ValueError:  # a screen this version no longer has
            step = -1
        where = (
            f"第{step + 1}步 {STEPS[step]}"
            if step >= 0
            else ("首页" if call.screen == "home" else call.screen)
        )
        rows.append({"at": call.at[11:16], "terminal": call.terminal, "item": call.item, "where": where})
    return rows


def export_parked(services: KioskServices) -> Path | None:
    """The parked entries sealed for the centre, in a file on a USB drive or in the data folder;
    None while the terminal has no enrolment secret to seal with."""
    from kiosk.admin.diagnostics import usb_folder
    from sync import outbox
    from sync.client import upload_body
    from sync.credentials import load_secret
    from sync.parked_export import seal_export

    secret = load_secret(services.config.data_dir)
    if secret is None:
        return None
    with services.store.lock:
        entries = [upload_body(services.store, e) for e in outbox.parked_entries(services.store.conn)]
    folder = usb_folder() or services.config.data_dir / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kiosk-parked-{services.config.terminal_id}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_bytes(seal_export(services.config.terminal_id, secret, entries))
    return path


def run_self_test(services: KioskServices, device: str, staff_id: str) -> str:
    """One self-test; what it found, in Chinese, for the staff member."""
    from kiosk.admin.devices_report import test_page, test_receipt

    devices = services.devices
    if device == "receipt":
        result = devices.receipt_printer.print_receipt(
            test_receipt(services.config.terminal_id, staff_id), "selftest"
        )
        return "测试回执已打印。" if result.ok else f"测试回执没有打印：{result.status.value} {result.detail}"
    if device == "a4":
        printed = devices.document_printer.print_pdf(
            test_page(services.config.terminal_id, staff_id), "selftest-page"
        )
        return (
            "测试页已打印，请用尺子核对100毫米标尺。"
            if printed.ok
            else f"测试页没有打印：{printed.status.value}"
        )
    if device == "id_card":
        status = devices.id_card.status().value
        if status == "waiting":
            return "读卡器正常。放一张身份证再点“检查”，可以试读。"
        if status != "card_present":
            return f"读卡器状态：{status}"
        from forms.privacy import mask_name
        from kiosk.core.identity import checked_card

        read = checked_card(devices.id_card.read())  # a real read; only a masked name is shown
        if read.data is None:
            return f"读卡失败：{read.detail or read.status.value}。请换一张卡再试；仍失败请联系运维技术员。"
        return f"读卡成功：{mask_name(read.data.name)}（身份证号码校验通过）。"
    if device == "camera":
        camera = devices.camera
        if camera is None:
            return "本终端没有配置摄像头。"
        camera.acquire("selftest")
        try:
            deadline = time.monotonic() + 5
            while camera.latest_frame() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            frame = camera.latest_frame()
        finally:
            camera.release("selftest")
        return (
            f"摄像头正常，画面 {frame.shape[1]}×{frame.shape[0]}。"
            if frame is not None
            else "摄像头没有画面。"
        )
    return "未知的设备。"
