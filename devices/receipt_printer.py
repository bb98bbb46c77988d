"""Thermal receipt printers speaking ESC/POS, through python-escpos.

Text is encoded by us as GB18030 and sent raw: python-escpos's automatic encoder mangles
strings of CJK punctuation alone and encodes ¥ as bytes GBK printers cannot print.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from forms.layouts.receipt import Receipt, ReceiptLine

if TYPE_CHECKING:  # python-escpos takes ~0.2 s to import: only where bytes are made
    from escpos.escpos import Escpos

log = logging.getLogger(__name__)

FS_CHINESE_MODE = b"\x1c\x26"  # FS &: select double-byte (Chinese) character mode
PAPER_CHARS = {58: 32, 80: 48}  # half-width characters per line, font A


class ReceiptPrinterStatus(enum.Enum):
    """Every state a receipt printer can be in. No reply is UNKNOWN, never ONLINE."""

    ONLINE = "online"
    PAPER_NEAR_END = "paper_near_end"
    NO_PAPER = "no_paper"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrintResult:
    """What happened to a print job: ok, or the status that stopped it and a detail."""

    ok: bool
    status: ReceiptPrinterStatus
    detail: str = ""


def encode_receipt_text(text: str) -> bytes:
    """Encode text for a Chinese receipt printer: GB18030, with ¥ as the full-width ￥."""
    return text.replace("¥", "￥").encode("gb18030")


def receipt_bytes(printer: Escpos, receipt: Receipt) -> None:
    """Write the ESC/POS commands for `receipt` to `printer`."""
    printer.hw("INIT")
    printer._raw(FS_CHINESE_MODE)
    for line in receipt.lines:
        _line(printer, line)
    if receipt.qr_payload:
        printer.set(align="center")
        printer.qr(receipt.qr_payload, native=True, size=6)
    for line in receipt.footer:
        _line(printer, line)
    printer.set_with_default()
    printer.cut()


def _line(printer: Escpos, line: ReceiptLine) -> None:
    printer.set(
        align=line.align,
        bold=line.bold,
        double_height=line.large,
        double_width=line.large,
        normal_textsize=not line.large,
    )
    printer._raw(encode_receipt_text(line.text) + b"\n")


class EscposReceiptPrinter:
    """A receipt printer reached through any python-escpos connection (USB, serial, network, file)."""

    def __init__(self, connect: Callable[[], Escpos], paper_mm: int = 80) -> None:
        self._connect = connect
        self.paper_mm = paper_mm

    def print_receipt(self, receipt: Receipt, name: str = "receipt") -> PrintResult:
        """Send one receipt; a connection failure comes back as OFFLINE, not an exception."""
        try:
            printer = self._connect()
            try:
                receipt_bytes(printer, receipt)
            finally:
                printer.close()
        except (OSError, TimeoutError) as exc:
            log.warning("receipt printer unreachable: %s", exc)
            return PrintResult(False, ReceiptPrinterStatus.OFFLINE, str(exc))
        return PrintResult(True, ReceiptPrinterStatus.ONLINE)
