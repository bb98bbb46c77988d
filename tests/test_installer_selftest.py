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
