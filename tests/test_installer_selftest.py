"""The installer's device probe and self-test report: on a machine with none of the devices the
configuration names, each is listed as not found and nothing crashes; on the simulators, all ready."""

from __future__ import annotations

import json
from pathlib import Path

from sync.server.process import free_port
from tests.installer_root import bare_root, run_installer, write_answers

STEPS = ("install", "--only", "user,config,selftest")


def _report(prefix: Path) -> tuple[str, dict]:
    [text] = sorted((prefix / "var/lib/township-kiosk/reports").glob("selftest-*.txt"))
    return text.read_text(encoding="utf-8"), json.loads(text.with_suffix(".json").read_text(encoding="utf-8"))


def test_with_no_devices_each_configured_device_is_listed_as_not_found(tmp_path: Path) -> None:
    prefix = bare_root(tmp_path / "root")
    closed = free_port()
    answers = write_answers(
        tmp_path / "answers.toml",
        "http://127.0.0.1:9",
        None,
        devices={
            "id_card": "sam_serial",
            "id_card_port": str(tmp_path / "no-such-ttyUSB0"),
            "social_security_card": "pcsc",
            "camera": "opencv",
            "camera_device": str(tmp_path / "no-such-video0"),
            "receipt_printer": "network",
            "receipt_printer_port": closed,
            "document_printer": "cups",
        },
    )
    no_services = {"PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm"), "CUPS_SERVER": f"127.0.0.1:{closed}"}
    result = run_installer(prefix, "--answers", str(answers), "--non-interactive", *STEPS, env=no_services)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    text, body = _report(prefix)
    verdicts = {device["key"]: device["verdict"] for device in body["devices"]}
    assert verdicts == {"id_card": "not_found", "ss_card": "not_found", "camera": "not_found", "receipt": "not_found", "a4": "not_found"}
    for line in ("身份证阅读器", "社保卡读卡器", "摄像头", "回执打印机", "A4打印机"):
        assert any(line in row and "未找到" in row for row in text.splitlines()), line
    assert "结论：未找到 5 台" in text
    assert "设备未就绪" in result.stdout  # repeated among the notes at the end
    assert body["hardware"]["pcsc"].startswith("pcscd 没有回答")


def test_on_the_simulators_every_device_is_ready(tmp_path: Path) -> None:
    prefix = bare_root(tmp_path / "root")
    answers = write_answers(tmp_path / "answers.toml", "http://127.0.0.1:9", None)
    result = run_installer(prefix, "--answers", str(answers), "--non-interactive", *STEPS)
    assert result.returncode == 0, result.stdout[-3000:]
    text, body = _report(prefix)
    assert {device["verdict"] for device in body["devices"]} == {"ready"}
    assert "结论：就绪 5 台" in text
    assert "画面 1920×1080" in text  # the simulated camera really gave a picture


def _usb(sysfs: Path, name: str, vendor: str, product: str, interface_class: str, label: str) -> None:
    """A USB device and its first interface as the kernel shows them: links in bus/usb/devices."""
    device = sysfs / "devices" / "pci0000:00" / "usb1" / name
    (device / f"{name}:1.0").mkdir(parents=True)
    for key, value in (("idVendor", vendor), ("idProduct", product), ("product", label)):
        (device / key).write_text(value + "\n")
    (device / f"{name}:1.0" / "bInterfaceClass").write_text(interface_class + "\n")
    links = sysfs / "bus" / "usb" / "devices"
    links.mkdir(parents=True, exist_ok=True)
    (links / name).symlink_to(device)
    (links / f"{name}:1.0").symlink_to(device / f"{name}:1.0")


def test_usb_printers_are_found_by_class_or_by_a_receipt_printer_makers_vendor_interface(tmp_path: Path) -> None:
    from installer.steps.probe import inventory

    sysfs = tmp_path / "sys"
    _usb(sysfs, "1-1", "04f9", "0042", "07", "HL-2240 series")  # a laser printer: printer class
    _usb(sysfs, "1-2", "0416", "5011", "ff", "POS58 Printer")  # a thermal OEM board: vendor class
    _usb(sysfs, "1-3", "046d", "0825", "0e", "Webcam C270")  # not a printer
    _usb(sysfs, "1-4", "1a86", "7523", "ff", "USB Serial")  # vendor class, but no printer maker
    assert inventory(sysfs)["usb_printer"] == ["0416:5011（POS58 Printer）", "04f9:0042（HL-2240 series）"]


def test_a_usb_receipt_printer_gets_a_udev_rule_for_the_kiosk_group() -> None:
    from installer.steps.services import udev_rules

    rules = udev_rules({"receipt_printer": "usb", "receipt_printer_usb": "0416:5011"})
    assert 'ATTR{idVendor}=="0416", ATTR{idProduct}=="5011", GROUP="kiosk", MODE="0660"' in rules
    assert "idVendor" not in udev_rules({"receipt_printer": "network"})
