"""The technician's answers: read from a file (non-interactive), asked for (guided), or kept from
the terminal's existing configuration, and checked with the kiosk's own configuration rules."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from installer.actions import StepFailedError
from kiosk.config import DEVICE_CHOICES, ConfigError, config_from_dict

# Asked for in this order; none has a default a real terminal could use.
REQUIRED = (
    ("terminal_id", "终端编号（中心分配，如 ZC-370302-0007）"),
    ("hall_name", "服务大厅名称（显示在屏幕左上角）"),
    ("division_code", "行政区划代码（6位）"),
    ("registration_authority", "登记机关（打印在营业执照上）"),
    ("central_url", "中心平台地址（https://…）"),
)
DEVICE_QUESTIONS = {
    "id_card": "身份证阅读器",
    "social_security_card": "社保卡读卡器",
    "camera": "摄像头",
    "receipt_printer": "回执打印机",
    "document_printer": "A4打印机",
}
# A terminal as the centres equip them; the answers file or the technician says otherwise.
DEVICE_DEFAULTS = {
    "id_card": "sam_serial",
    "social_security_card": "pcsc",
    "camera": "opencv",
    "receipt_printer": "usb",
    "document_printer": "cups",
}
INSTALLER_KEYS = {
    "enrolment_code",
    "centre_key_fingerprint",
    "centre_ca_file",
    "calibration_offset_x_mm",
    "calibration_offset_y_mm",
}


@dataclass
class Answers:
    """The configuration to write (kiosk.toml's keys) and the installer's own answers."""

    config: dict[str, Any] = field(default_factory=dict)
    installer: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> Answers:
        """Read an answers file: kiosk.toml's keys plus an [installer] section."""
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise StepFailedError(f"应答文件 {path} 无法读取（应为 UTF-8 编码的 TOML）：{exc}") from exc
        installer = raw.pop("installer", {})
        if not isinstance(installer, dict):
            raise StepFailedError("应答文件中的 installer 应是一节 [installer]")
        unknown = set(installer) - INSTALLER_KEYS
        if unknown:
            raise StepFailedError(f"应答文件 [installer] 中有未知项：{', '.join(sorted(unknown))}")
        return cls(raw, installer)


class Prompter:
    """Asks the technician, or in non-interactive mode takes the default and fails without one."""

    def __init__(
        self, interactive: bool, read: Callable[[str], str] = input, say: Callable[[str], None] = print
    ) -> None:
        self.interactive, self.read, self.say = interactive, read, say

    def ask(
        self,
        key: str,
        question: str,
        default: str | None,
        choices: tuple[str, ...] = (),
        check: Callable[[str], str | None] | None = None,
    ) -> str:
        """The answer to one question; `check` returns a problem to show, or None."""
        if not self.interactive:
            if default is None:
                raise StepFailedError(f"应答文件缺少 {key}（{question}）")
            problem = check(default) if check else None
            if problem:
                raise StepFailedError(f"应答文件中的 {key} 不可用：{problem}")
            return default
        hint = f"（可选：{' / '.join(choices)}）" if choices else ""
        while True:
            shown = f" [{default}]" if default is not None else ""
            reply = self.read(f"{question}{hint}{shown}：").strip()
            value = reply or default
            if value is None:
                self.say("  请填写。")
                continue
            if choices and value not in choices:
                self.say(f"  请从 {' / '.join(choices)} 中选择。")
                continue
            problem = check(value) if check else None
            if problem:
                self.say(f"  {problem}")
                continue
            return value

    def number(self, key: str, question: str, default: float | None, limit: float) -> float:
        """A number within ±limit."""

        def check(text: str) -> str | None:
            try:
                value = float(text)
            except ValueError:
                return "请输入数字，如 1.5 或 -0.5"
            return None if abs(value) <= limit else f"应在 ±{limit:g} 之间"

        return float(self.ask(key, question, None if default is None else f"{default:g}", check=check))


def settle_config(
    answers: Answers, existing: dict[str, Any], prompter: Prompter, hints: dict[str, str]
) -> dict:
    """The configuration to write: the answers file over the existing configuration, with what is
    still missing asked for; every value checked as the kiosk will check it at start."""
    merged = _merge(existing, answers.config)
    for key, question in REQUIRED:
        current = merged.get(key)
        merged[key] = prompter.ask(
            key,
            question,
            None if current is None else str(current),
            check=functools.partial(_problem, merged, key),
        )
    devices = dict(merged.get("devices", {}))
    for kind, question in DEVICE_QUESTIONS.items():
        hint = hints.get(kind)
        if hint and prompter.interactive:
            prompter.say(f"  {hint}")
        devices[kind] = prompter.ask(
            f"devices.{kind}",
            question,
            devices.get(kind, DEVICE_DEFAULTS[kind]),
            choices=DEVICE_CHOICES[kind],
        )
    merged["devices"] = devices
    printing = dict(merged.get("printing", {}))
    printing["licence_mode"] = prompter.ask(
        "printing.licence_mode",
        "营业执照打印方式（full：白纸整页打印；overlay：套打在预印执照纸上）",
        printing.get("licence_mode", "full"),
        choices=("full", "overlay"),
    )
    merged["printing"] = printing
    problem = _whole_problem(merged)
    if problem:
        raise StepFailedError(f"配置不可用：{problem}")
    return merged


def _problem(merged: dict[str, Any], key: str, value: str) -> str | None:
    trial = dict(merged, **{key: value})
    problem = _whole_problem(trial)
    return problem if problem and f"'{key}'" in problem else None


def _whole_problem(raw: dict[str, Any]) -> str | None:
    try:
        config_from_dict(raw)
    except ConfigError as exc:
        return str(exc)
    return None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
