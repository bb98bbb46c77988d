"""Device probe and self-test: what hardware is attached (serial ports, PC/SC readers, cameras,
CUPS queues, USB printers), and whether each device the configuration names answers through its
real driver. Written as a report a technician leaves with the centre."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from installer.layout import USER
from installer.run import Run

KEEP_REPORTS = 10
VERDICT_WORDS = {"ready": "就绪", "not_found": "未找到", "fault": "故障", "not_configured": "未配置"}
NOT_FOUND_STATES = {"no_device", "no_reader", "unreachable", "offline"}
READY_STATES = {"online", "idle", "waiting", "streaming", "card_present", "remove_card", "paper_near_end"}


@dataclass(frozen=True)
class DeviceCheck:
    """One configured device after its check."""

    key: str
    name: str
    driver: str
    verdict: str  # ready | not_found | fault | not_configured
    detail: str


# ---- what is attached --------------------------------------------------------------------------
def inventory(sysfs: Path = Path("/sys")) -> dict[str, list[str] | str]:
    """The hardware this machine shows, by kind; a kind that cannot be asked says why (a string)."""
    return {
        "serial": _serial_ports(),
        "pcsc": _pcsc_readers(),
        "camera": _cameras(sysfs),
        "cups": _cups_queues(),
        "usb_printer": _usb_printers(sysfs),
    }


def inventory_hints() -> dict[str, str]:
    """For the guided questions: what was found that a device kind could use."""
    found = inventory()
    hints = {}
    for kind, source, words in (
        ("social_security_card", "pcsc", "PC/SC 读卡器"),
        ("camera", "camera", "摄像头"),
        ("document_printer", "cups", "CUPS 打印队列"),
        ("id_card", "serial", "串口"),
        ("receipt_printer", "usb_printer", "USB 打印机"),
    ):
        value = found[source]
        if isinstance(value, list) and value:
            hints[kind] = f"找到{words}：{'；'.join(value)}"
    return hints


def _serial_ports() -> list[str] | str:
    from serial.tools import list_ports

    return [
        port.device if port.description in ("", "n/a") else f"{port.device}（{port.description}）"
        for port in list_ports.comports()
    ]


def _pcsc_readers() -> list[str] | str:
    try:
        from smartcard.System import readers

        return [str(reader) for reader in readers()]
    except Exception as exc:  # pcscd absent or not running: say so, do not fail the probe
        return f"pcscd 没有回答（{type(exc).__name__}）"


def _cameras(sysfs: Path) -> list[str]:
    out = []
    for device in sorted((sysfs / "class" / "video4linux").glob("video*")):
        name = (device / "name").read_text(errors="replace").strip() if (device / "name").exists() else "?"
        out.append(f"/dev/{device.name}（{name}）")
    return out


def _cups_queues() -> list[str] | str:
    try:
        import cups

        return sorted(cups.Connection().getPrinters())
    except Exception as exc:  # no scheduler: the report says so
        return f"无法连接 CUPS：{exc}"


# Receipt-printer makers whose ESC/POS printers often present a vendor-specific interface (class
# ff) instead of the printer class: Winbond/Nuvoton (the common 58/80 mm OEM boards), Epson, Star,
# Citizen, Bixolon, Xprinter's and Rongta's controllers.
ESCPOS_VENDORS = {"0416", "04b8", "0519", "1d90", "1504", "1fc9", "0483", "0fe6", "28e9"}


def _usb_printers(sysfs: Path) -> list[str]:
    """USB printers: a printer-class interface (07), or a known receipt-printer maker's device
    with a vendor-specific one; as vendor:product and the device's own name."""
    out = []
    for interface in sorted((sysfs / "bus" / "usb" / "devices").glob("*:*")):
        device = interface.resolve().parent  # the entries are links into /sys/devices/…/1-1/1-1:1.0
        if not (device / "idVendor").exists():
            continue
        kind = _read(interface / "bInterfaceClass")
        if kind != "07" and not (kind == "ff" and _read(device / "idVendor") in ESCPOS_VENDORS):
            continue
        ids = f"{_read(device / 'idVendor')}:{_read(device / 'idProduct')}"
        out.append(f"{ids}（{_read(device / 'product') or '未知型号'}）")
    return sorted(set(out))


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace").strip()
    except OSError:
        return ""


# ---- the configured devices ---------------------------------------------------------------------
def check_devices(config: Any, spool: Path, camera_wait: float = 5.0) -> list[DeviceCheck]:
    """Build the configured devices with their real drivers and check each one; never raises."""
    from devices.factory import make_devices
    from kiosk.admin.devices_report import device_states

    selection = config.devices
    drivers = {
        "id_card": selection.id_card,
        "ss_card": selection.social_security_card,
        "camera": selection.camera,
        "receipt": selection.receipt_printer,
        "a4": selection.document_printer,
    }
    try:
        devices = make_devices(selection, spool, config.printing.receipt_encoding)
    except Exception as exc:  # a driver that cannot even be built: every device is unknown
        return [
            DeviceCheck(key, key, driver, "fault", f"无法建立设备：{exc}") for key, driver in drivers.items()
        ]
    try:
        time.sleep(0.5)  # the card readers' threads make their first poll
        frame = _camera_frame(devices.camera, camera_wait)
        checks = []
        for state in device_states(devices):
            driver = drivers.get(state.key, "none")
            if state.state == "not_configured":
                checks.append(DeviceCheck(state.key, state.name, driver, "not_configured", "本终端未配置"))
                continue
            verdict, detail = _verdict(devices, state.key, state.state, frame)
            checks.append(DeviceCheck(state.key, state.name, driver, verdict, detail))
        return checks
    finally:
        devices.stop()


def _camera_frame(camera: Any, wait: float) -> Any:
    """A camera says 'idle' until used: take it for a moment; its first picture, or None."""
    if camera is None:
        return None
    camera.acquire("installer")
    try:
        deadline = time.monotonic() + wait
        while camera.latest_frame() is None and time.monotonic() < deadline:
            if camera.status().value in NOT_FOUND_STATES | {"error"}:
                break
            time.sleep(0.1)
        return camera.latest_frame()
    finally:
        camera.release("installer")


def _verdict(devices: Any, key: str, state: str, frame: Any) -> tuple[str, str]:
    if key == "ss_card" and hasattr(devices.ss_card, "reader"):
        reader = devices.ss_card.reader()
        return ("ready", f"读卡器 {reader}") if reader is not None else ("not_found", "没有 PC/SC 读卡器")
    if key == "camera":
        if frame is not None:
            return "ready", f"画面 {frame.shape[1]}×{frame.shape[0]}"
        return ("not_found" if state in NOT_FOUND_STATES | {"idle"} else "fault"), f"没有画面（{state}）"
    from kiosk.admin.devices_report import STATE_WORDS

    detail = f"{STATE_WORDS.get(state, '故障')}（{state}）"
    if state in READY_STATES:
        return "ready", detail
    if state in NOT_FOUND_STATES:
        return "not_found", detail
    return "fault", detail


# ---- the report ---------------------------------------------------------------------------------
def selftest(run: Run) -> str:
    """Probe, check the configured devices, write the report; a device not ready is a warning."""
    from kiosk.config import config_from_dict

    layout, ctx = run.layout, run.ctx
    raw = run.config()
    if not raw:
        from installer.actions import StepFailedError

        raise StepFailedError("还没有终端配置：请先运行 config 步骤")
    config = config_from_dict(raw)
    found = inventory()
    if ctx.dry_run:
        ctx.say("  [演练] 将检查各设备并写入自检报告")
        return "checked"
    checks = check_devices(config, layout.host(layout.data) / "spool")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = render_report(config.terminal_id, found, checks)
    for line in text.splitlines()[2:]:
        ctx.say(f"  {line}")
    name = f"selftest-{stamp}"
    body = {
        "terminal_id": config.terminal_id,
        "at": stamp,
        "hardware": found,
        "devices": [asdict(c) for c in checks],
    }
    ctx.write(layout.reports / f"{name}.txt", text, 0o640, USER)
    ctx.write(layout.reports / f"{name}.json", json.dumps(body, ensure_ascii=False, indent=1), 0o640, USER)
    _prune_reports(run)
    missing = [c.name for c in checks if c.verdict in ("not_found", "fault")]
    if missing:
        run.warn(f"设备未就绪：{'、'.join(missing)}（详见 {layout.reports / (name + '.txt')}）")
        return "warning"
    return "checked"


def render_report(terminal_id: str, found: dict[str, Any], checks: list[DeviceCheck]) -> str:
    """The self-test report as a technician reads it."""
    lines = [
        "终端设备自检报告",
        "=" * 16,
        f"终端：{terminal_id}    时间：{dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        "本机发现的硬件：",
    ]
    for kind, words in (
        ("serial", "串口"),
        ("pcsc", "PC/SC 读卡器"),
        ("camera", "摄像头"),
        ("cups", "CUPS 打印队列"),
        ("usb_printer", "USB 打印机"),
    ):
        value = found.get(kind)
        shown = value if isinstance(value, str) else ("；".join(value) if value else "无")
        lines.append(f"  {words}：{shown}")
    lines += ["", "配置的设备："]
    for check in checks:
        cells = (_pad(check.name, 14), _pad(check.driver, 12), _pad(VERDICT_WORDS[check.verdict], 8))
        lines.append(f"  {''.join(cells)}{check.detail}")
    tally = {word: sum(1 for c in checks if c.verdict == key) for key, word in VERDICT_WORDS.items()}
    lines += ["", "结论：" + "，".join(f"{word} {n} 台" for word, n in tally.items() if n)]
    return "\n".join(lines) + "\n"


def _pad(text: str, width: int) -> str:
    """Pad to a width in terminal columns (a Chinese character takes two)."""
    columns = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    return text + " " * max(1, width - columns)


def _prune_reports(run: Run) -> None:
    folder = run.layout.host(run.layout.reports)
    reports = sorted(folder.glob("selftest-*.txt"))
    for old in reports[:-KEEP_REPORTS]:
        for path in (old, old.with_suffix(".json")):
            run.ctx.remove(run.layout.reports / path.name)
