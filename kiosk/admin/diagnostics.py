"""The diagnostics bundle a technician takes away on a USB drive: the logs (personal data
masked once more on the way out), the configuration without secrets, a device report, the sync
state and versions, and whether the audit log verifies. Nothing of a resident in clear."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

from forms.privacy import mask_text
from kiosk.admin.devices_report import device_states
from kiosk.core.audit import verify_audit

SECRET_WORDS = ("secret", "password", "token", "key")
USB_ROOTS = (Path("/media"), Path("/run/media"))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {
            k: ("(removed)" if any(w in k.lower() for w in SECRET_WORDS) else _plain(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if isinstance(value, int | float | bool | type(None)) else str(value)


def usb_folder() -> Path | None:
    """The first writable removable drive mounted (/media/<user>/<label> or /run/media/…)."""
    for root in USB_ROOTS:
        for candidate in sorted(root.glob("*/*")) + sorted(root.glob("*")) if root.is_dir() else []:
            if candidate.is_dir() and candidate.is_mount():
                return candidate
    return None


def write_bundle(services: Any, folder: Path) -> Path:
    """Write the bundle into `folder`; its path."""
    config = services.config
    now = dt.datetime.now()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kiosk-diagnostics-{config.terminal_id}-{now:%Y%m%d-%H%M%S}.zip"
    with services.store.lock:
        from sync import outbox

        counts = outbox.counts(services.store.conn)
        broken_row = verify_audit(services.store.conn)
    report = {
        "terminal": config.terminal_id,
        "written_at": now.isoformat(timespec="seconds"),
        "devices": [dataclasses.asdict(d) for d in device_states(services.devices)],
        "sync": _plain(services.sync.status()) if services.sync is not None else None,
        "outbox": counts,
        "audit_log": "verifies" if broken_row is None else f"BROKEN at row {broken_row}",
        "store_integrity": "ok" if services.store.integrity_ok() else "FAILED",
        "catalogue": {item.id: item.version_label for item in services.catalogue.values()},
        **service_state(services),
    }
    _write_zip(path, report, config)
    return path


def service_state(services: Any) -> dict[str, Any]:
    """Whether the terminal takes new sessions and why not, and the disk it keeps its store on."""
    availability = getattr(services, "availability", None)
    faults = availability.faults() if availability is not None else []
    health = getattr(services, "health", None)
    reading = health.disk.latest if health is not None else None
    return {
        "in_service": not faults,
        "out_of_service": [dataclasses.asdict(fault) for fault in faults],
        "disk": None
        if reading is None
        else {**dataclasses.asdict(reading), "days_left": reading.days_left, "words": reading.staff_words()},
    }


def write_refusal_bundle(config: Any, refused: Any, folder: Path) -> Path:
    """The bundle of a terminal that refuses to start (a TerminalRefusedError): the refusal, the
    configuration and the logs; nothing is read from the store."""
    now = dt.datetime.now()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kiosk-diagnostics-{config.terminal_id}-{now:%Y%m%d-%H%M%S}.zip"
    report = {
        "terminal": config.terminal_id,
        "written_at": now.isoformat(timespec="seconds"),
        "in_service": False,
        "refused": {**refused.log_fields(), "technician": refused.technician},
    }
    _write_zip(path, report, config)
    return path


def _write_zip(path: Path, report: dict[str, Any], config: Any) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("report.json", json.dumps(report, ensure_ascii=False, indent=2))
        bundle.writestr("config.json", json.dumps(_plain(config), ensure_ascii=False, indent=2))
        for log in sorted((config.data_dir / "logs").glob("kiosk.jsonl*")):
            bundle.writestr(f"logs/{log.name}", mask_text(log.read_text(encoding="utf-8", errors="replace")))
