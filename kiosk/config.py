"""The terminal's configuration: one TOML file, documented defaults, checked at start.

A bad value stops the start with a message that names the key and what it may be.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from devices.selection import DeviceSelection
from forms.divisions import known_divisions

DEVICE_CHOICES = {
    "id_card": ("simulated", "sam_serial", "none"),
    "social_security_card": ("simulated", "pcsc", "none"),
    "camera": ("simulated", "opencv", "none"),
    "receipt_printer": ("simulated", "network", "serial", "usb", "file", "none"),
    "document_printer": ("simulated", "cups", "none"),
}


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Timeouts:
    """Seconds before the kiosk acts on its own."""

    idle_seconds: int = 90  # no touch: show the countdown
    countdown_seconds: int = 15  # then return home and wipe the session
    card_read_seconds: int = 10
    print_seconds: int = 60
    network_seconds: int = 10


@dataclass(frozen=True)
class PrintingConfig:
    """How documents print: the licence in full or as 套打, its calibration, the receipt encoding."""

    licence_mode: str = "full"  # full | overlay (套打 onto pre-printed stock)
    overlay_offset_x_mm: float = 0.0
    overlay_offset_y_mm: float = 0.0
    overlay_scale: float = 1.0
    receipt_encoding: str = "gb18030"  # gb18030 | gbk (older printers: rare characters print as 〓)


@dataclass(frozen=True)
class AdminConfig:
    """How hall staff get into admin mode."""

    pin_only: bool = False  # a PIN alone unlocks (no staff card reader at this terminal)
    idle_lock_seconds: int = 120  # admin mode locks itself after this long untouched
    free_tries: int = 3  # wrong PINs before the first lockout
    first_lockout_seconds: int = 30  # doubled at each further wrong PIN
    max_lockout_seconds: int = 3600


@dataclass(frozen=True)
class FaceConfig:
    """人证核验 (devices/face): how alike the live face and the reference photo must be."""

    # Largest embedding distance counted as the same person: dlib documents 0.6; a hall may make
    # it stricter (more residents go to hall staff), never laxer.
    match_threshold: float = 0.6


@dataclass(frozen=True)
class KioskConfig:
    """Everything a terminal needs to know about itself."""

    terminal_id: str = "DEMO-370302-001"
    hall_name: str = "淄川区便民服务中心"
    division_code: str = "370302"
    registration_authority: str = "淄博市淄川区市场监督管理局"
    central_url: str = "http://127.0.0.1:8470"
    data_dir: Path = Path("var")
    # Only when written: demo staff with published PINs, a demo licence block, a demo e-ID issuer,
    # the dev dock.
    demo: bool = False
    voice_prompts: bool = True  # say each screen's prompt (assets/voice); false for a quiet hall
    retention_days: int = 30  # personal data of a finished case the centre holds: kept this long
    min_free_mb: int = 200  # less free disk under data_dir: no new sessions until there is again
    devices: DeviceSelection = field(default_factory=DeviceSelection)
    timeouts: Timeouts = field(default_factory=Timeouts)
    printing: PrintingConfig = field(default_factory=PrintingConfig)
    admin: AdminConfig = field(default_factory=AdminConfig)
    face: FaceConfig = field(default_factory=FaceConfig)


def _check(section: str, cls: type, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(f"'{section}' must be a table ([{section}] with its keys), got {raw!r}"[:200])
    known = {f.name: f for f in fields(cls)}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{section}.{key}" if section else key
        if key not in known:
            raise ConfigError(f"unknown key '{where}'; allowed keys: {', '.join(sorted(known))}")
        default = getattr(cls(), key)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"'{where}' must be true or false, got {value!r}")
        elif isinstance(default, float):
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ConfigError(f"'{where}' must be a number, got {value!r}")
            value = float(value)
        elif isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"'{where}' must be a positive whole number, got {value!r}")
        elif isinstance(default, str | Path) and not isinstance(value, str):
            raise ConfigError(f"'{where}' must be a string, got {value!r}")
        out[key] = Path(value) if isinstance(default, Path) else value
    return out


def config_from_dict(raw: dict[str, Any], base_dir: Path | None = None) -> KioskConfig:
    """Build and check a configuration from parsed TOML."""
    raw = dict(raw)
    devices = DeviceSelection(**_check("devices", DeviceSelection, raw.pop("devices", {})))
    timeouts = Timeouts(**_check("timeouts", Timeouts, raw.pop("timeouts", {})))
    printing = PrintingConfig(**_check("printing", PrintingConfig, raw.pop("printing", {})))
    admin = AdminConfig(**_check("admin", AdminConfig, raw.pop("admin", {})))
    face = FaceConfig(**_check("face", FaceConfig, raw.pop("face", {})))
    top = _check("", KioskConfig, raw)
    config = KioskConfig(
        devices=devices, timeouts=timeouts, printing=printing, admin=admin, face=face, **top
    )
    if not 0.3 <= face.match_threshold <= 0.6:
        raise ConfigError(f"'face.match_threshold' is {face.match_threshold}; allowed: 0.3 to 0.6")
    if printing.licence_mode not in ("full", "overlay"):
        raise ConfigError(
            f"'printing.licence_mode' is '{printing.licence_mode}'; allowed values: full, overlay"
        )
    if printing.receipt_encoding not in ("gb18030", "gbk"):
        raise ConfigError(
            f"'printing.receipt_encoding' is '{printing.receipt_encoding}'; allowed values: gb18030, gbk"
        )
    if not 0.9 <= printing.overlay_scale <= 1.1:
        raise ConfigError(f"'printing.overlay_scale' is {printing.overlay_scale}; allowed: 0.9 to 1.1")
    if max(abs(printing.overlay_offset_x_mm), abs(printing.overlay_offset_y_mm)) > 20:
        raise ConfigError("'printing.overlay_offset_x_mm' and '_y_mm' must be within ±20 mm")
    for kind, allowed in DEVICE_CHOICES.items():
        value = getattr(devices, kind)
        if value not in allowed:
            raise ConfigError(f"'devices.{kind}' is '{value}'; allowed values: {', '.join(allowed)}")
    if not re.fullmatch(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}", devices.receipt_printer_usb):
        raise ConfigError(
            f"'devices.receipt_printer_usb' is '{devices.receipt_printer_usb}'; "
            "expected vendor:product in hexadecimal, e.g. 0416:5011"
        )
    _check_photo_decoder_call(devices.id_photo_decoder_call)
    if devices.receipt_paper_mm not in (58, 80):
        raise ConfigError(f"'devices.receipt_paper_mm' is {devices.receipt_paper_mm}; allowed values: 58, 80")
    if config.division_code not in known_divisions():
        raise ConfigError(
            f"'division_code' is '{config.division_code}'; allowed values: "
            + ", ".join(f"{c} ({d.name})" for c, d in known_divisions().items())
        )
    if not re.fullmatch(r"[A-Z0-9-]{4,40}", config.terminal_id):
        raise ConfigError("'terminal_id' must be 4–40 characters of A–Z, 0–9 and '-'")
    if not re.match(r"^https?://", config.central_url):
        raise ConfigError(f"'central_url' must start with http:// or https://, got {config.central_url!r}")
    if base_dir is not None and not config.data_dir.is_absolute():
        config = _replace(config, data_dir=base_dir / config.data_dir)
    return config


def _check_photo_decoder_call(call: str) -> None:
    from devices.face.wlt_call import CallSpec

    try:
        CallSpec.parse(call)
    except ValueError as exc:
        raise ConfigError(f"'devices.id_photo_decoder_call': {exc}") from None


def _replace(config: KioskConfig, **changes: Any) -> KioskConfig:
    from dataclasses import replace

    return replace(config, **changes)


def load_config(path: Path | None) -> KioskConfig:
    """Read the TOML file at `path` (defaults when None); relative data_dir is beside the file."""
    if path is None:
        return config_from_dict({}, Path.cwd())
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    return config_from_dict(raw, path.parent)
