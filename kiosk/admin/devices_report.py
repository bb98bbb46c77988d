"""What hall staff see of the devices: each one's state in plain words, and the self-tests
(a test receipt, a test page, a card on the reader, the camera's picture)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from devices.factory import Devices
from forms.layouts.receipt import Receipt, ReceiptLine

STATE_WORDS = {
    "online": "正常", "idle": "正常", "waiting": "正常", "streaming": "正常（正在使用）",
    "printing": "正在打印", "card_present": "有卡", "remove_card": "有卡（已读）",
    "paper_near_end": "纸快用完", "no_paper": "缺纸", "cover_open": "机盖打开",
    "paused": "已暂停", "not_accepting": "不接收任务", "offline": "未连接", "unreachable": "未连接",
    "no_device": "未连接", "no_reader": "未连接", "card_error": "卡片无法读取", "error": "故障",
    "unknown": "状态未知",
}
GOOD = {"online", "idle", "waiting", "streaming", "printing", "card_present", "remove_card"}


@dataclass(frozen=True)
class DeviceState:
    """One device as the admin screen lists it."""

    key: str
    name: str
    state: str  # the driver's status value
    words: str
    ok: bool


def device_states(devices: Devices) -> list[DeviceState]:
    """Every device of the terminal, configured or not."""
    listed: list[tuple[str, str, Any]] = [
        ("id_card", "身份证阅读器", devices.id_card),
        ("ss_card", "社保卡读卡器", devices.ss_card),
        ("camera", "摄像头", devices.camera),
        ("receipt", "回执打印机", devices.receipt_printer),
        ("a4", "A4打印机", devices.document_printer),
    ]
    out = []
    for key, name, device in listed:
        if device is None:
            out.append(DeviceState(key, name, "not_configured", "本终端未配置", True))
            continue
        try:
            state = device.status().value
        except Exception as exc:  # a driver that cannot even say: shown as a fault, not a crash
            state = f"error: {exc}"[:80]
        out.append(DeviceState(key, name, state, STATE_WORDS.get(state, "故障"), state in GOOD))
    return out


def system_states(services: Any) -> list[DeviceState]:
    """The terminal itself, listed with its devices: whether it takes new sessions (and why not)
    and its disk space, for the admin screen's device page."""
    rows = []
    availability = getattr(services, "availability", None)
    faults = availability.faults() if availability is not None else []
    if faults:
        words = "；".join(fault.staff for fault in faults)
        rows.append(DeviceState("service", "受理状态", faults[0].check, f"暂停服务：{words}", False))
    else:
        rows.append(DeviceState("service", "受理状态", "in_service", "正常受理", True))
    health = getattr(services, "health", None)
    reading = health.disk.latest if health is not None else None
    if reading is not None:
        state = "low" if reading.low else "ok"
        rows.append(DeviceState("disk", "存储空间", state, reading.staff_words(), not reading.low))
    return rows


def test_receipt(terminal_id: str, staff_id: str) -> Receipt:
    """The self-test receipt: the terminal, the time, who asked, and the characters that must print."""
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return Receipt(
        (
            ReceiptLine("回执打印机自检", align="center", bold=True, large=True),
            ReceiptLine(f"终端：{terminal_id}"),
            ReceiptLine(f"时间：{now}"),
            ReceiptLine(f"操作人员：{staff_id}"),
            ReceiptLine("中文：便民服务中心 个体工商户"),
            ReceiptLine("生僻字：王䶮 𠮷"),
            ReceiptLine("数字：0123456789 ABCDEFXYZ"),
        ),
        qr_payload=f"SELFTEST {terminal_id} {now}",
    )


def test_page(terminal_id: str, staff_id: str) -> bytes:
    """The A4 self-test page: a frame 10 mm inside the paper's edge, a 100 mm ruler, text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from forms.fonts import register_cjk_font

    font = register_cjk_font()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    page.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    page.line(30 * mm, 60 * mm, 130 * mm, 60 * mm)
    for tick in range(11):
        page.line((30 + 10 * tick) * mm, 60 * mm, (30 + 10 * tick) * mm, 64 * mm)
    page.setFont(font, 22)
    page.drawString(30 * mm, height - 40 * mm, "A4打印机自检页")
    page.setFont(font, 12)
    lines = (
        f"终端：{terminal_id}",
        f"时间：{dt.datetime.now():%Y-%m-%d %H:%M}",
        f"操作人员：{staff_id}",
        "外框距纸边10毫米；下方标尺长100毫米，可用尺子核对打印比例。",
    )
    for n, text in enumerate(lines):
        page.drawString(30 * mm, height - (55 + 8 * n) * mm, text)
    page.showPage()
    page.save()
    return out.getvalue()
