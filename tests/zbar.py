"""The independent check of what the terminal prints: zbar reading QR codes from page images.

zbar is asked for QR codes only. With every symbology on, its one-dimensional decoders
(DataBar among them) sometimes read a false barcode out of a page's text or a QR code's modules,
and that extra line made a printed code look unverifiable."""

from __future__ import annotations

import subprocess
from pathlib import Path

QR_ONLY = ["-Sdisable", "-Sqrcode.enable"]


def qr_codes_in(image: Path) -> list[str]:
    """Every QR payload zbarimg finds in a PNG (none: an empty list)."""
    result = subprocess.run(["zbarimg", "--raw", "-q", *QR_ONLY, str(image)], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line]
