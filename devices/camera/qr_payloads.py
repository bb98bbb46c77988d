"""What a decoded QR payload is: the formats are data (devices/data/qr_payloads.toml).

`parse_payload` never raises: text that fits no format comes back as a problem the screen can
explain. A format may declare a check of a field (a national check character); the payload
carries it, and the core applies it (kiosk.core.codes): a reader reports, the core judges.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

FORMATS_FILE = Path(__file__).resolve().parent.parent / "data" / "qr_payloads.toml"
MAX_PAYLOAD = 4096  # a QR code holds at most 2953 bytes; anything longer is not one


@dataclass(frozen=True)
class QrPayload:
    """A payload understood: its format, what it is for, and its fields (text)."""

    format: str
    kind: str
    fields: dict[str, str]
    raw: str = field(repr=False)
    checks: dict[str, str] = field(default_factory=dict)  # field → the check its format declares


@dataclass(frozen=True)
class QrProblem:
    """A payload not understood: `reason` is unknown_format or too_long (or, from the core's
    check, failed_check)."""

    reason: str
    detail: str = ""


@cache
def payload_formats(path: Path = FORMATS_FILE) -> tuple[dict[str, Any], ...]:
    """The format table, with its patterns compiled."""
    formats = tomllib.loads(path.read_text(encoding="utf-8"))["format"]
    for spec in formats:
        if spec["shape"] == "pattern":
            spec["compiled"] = re.compile(spec["pattern"])
    return tuple(formats)


def parse_payload(text: str, formats: tuple[dict[str, Any], ...] | None = None) -> QrPayload | QrProblem:
    """The first format `text` fits, with its fields; a QrProblem when none does."""
    if len(text) > MAX_PAYLOAD:
        return QrProblem("too_long", f"{len(text)} characters")
    as_json = _json_object(text)
    for spec in formats or payload_formats():
        fields = _fields_json(spec, as_json) if spec["shape"] == "json" else _fields_pattern(spec, text)
        if fields is not None:
            return QrPayload(spec["name"], spec["kind"], fields, text, dict(spec.get("check", {})))
    return QrProblem("unknown_format", f"{len(text)} characters")  # the text may be personal


def _json_object(text: str) -> dict[str, Any] | None:
    if not text.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _fields_json(spec: dict[str, Any], body: dict[str, Any] | None) -> dict[str, str] | None:
    if body is None or any(not isinstance(body.get(key), str) for key in spec["required"]):
        return None
    if any(body.get(key) != value for key, value in spec.get("match", {}).items()):
        return None
    return {name: body[key] for name, key in spec["fields"].items()}


def _fields_pattern(spec: dict[str, Any], text: str) -> dict[str, str] | None:
    found = spec["compiled"].match(text)
    if found is None:
        return None
    return {name: found.group(group) for name, group in spec["fields"].items()}
