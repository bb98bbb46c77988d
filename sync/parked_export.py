"""Parked cases carried to the centre by hand: when the centre keeps refusing an entry, a
technician exports it from admin mode, takes the file to the centre, and a clerk imports it
(`kiosk-central import`). The file is the centre's own upload format, sealed with AES-GCM under a
key derived from the terminal's enrolment secret, which only the terminal and the centre hold:
a lost USB drive gives away nothing. Import is idempotent, like an upload."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = "kiosk-parked-export-1"


class ExportError(ValueError):
    """A file that is not an export, was changed, or is for another terminal."""


def _key(secret: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=FORMAT.encode()).derive(secret)


def seal_export(terminal_id: str, secret: bytes, entries: list[dict[str, Any]]) -> bytes:
    """The export file's bytes for `entries` (each as the upload API takes it)."""
    nonce = os.urandom(12)
    plain = json.dumps({"entries": entries}, ensure_ascii=False).encode()
    sealed = AESGCM(_key(secret)).encrypt(nonce, plain, f"{FORMAT}:{terminal_id}".encode())
    envelope = {
        "format": FORMAT,
        "terminal": terminal_id,
        "nonce": nonce.hex(),
        "sealed": base64.b64encode(sealed).decode(),
    }
    return json.dumps(envelope).encode()


def export_terminal(data: bytes) -> str:
    """Which terminal an export file comes from (read before its secret is looked up)."""
    try:
        envelope = json.loads(data)
        if envelope.get("format") != FORMAT:
            raise ExportError("not a parked-case export")
        return str(envelope["terminal"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExportError(f"not a parked-case export: {exc}") from None


def open_export(data: bytes, secret: bytes) -> list[dict[str, Any]]:
    """The entries of an export file; ExportError if it was changed or the secret is not its terminal's."""
    terminal = export_terminal(data)
    envelope = json.loads(data)
    try:
        plain = AESGCM(_key(secret)).decrypt(
            bytes.fromhex(envelope["nonce"]),
            base64.b64decode(envelope["sealed"]),
            f"{FORMAT}:{terminal}".encode(),
        )
    except Exception as exc:  # InvalidTag, bad hex or base64: all mean "not this terminal's file"
        raise ExportError("the file was changed, or it is not from this terminal") from exc
    return list(json.loads(plain)["entries"])
