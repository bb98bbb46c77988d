"""Thermal receipt printers speaking ESC/POS, through python-escpos.

Text is encoded by us as GB18030 and sent raw: python-escpos's automatic encoder mangles
strings of CJK punctuation alone and encodes ¥ as bytes GBK printers cannot print.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from escpos.exceptions import Error as EscposError

if TYPE_CHECKING:  # python-escpos takes ~0.2 s to import: only where bytes are made
    from escpos.escpos import Escpos

log = logging.getLogger(__name__)

FS_CHINESE_MODE = b"\x1c\x26"  # FS &: select double-byte (Chinese) character mode
PAPER_CHARS = {58: 32, 80: 48}  # half-width characters per line, font A


class ReceiptLine(Protocol):
    """What the printer needs of one line (forms.layouts.receipt.ReceiptLine is one)."""

    @property
    def text(self) -> str: ...  # noqa: D102
    @property
    def align(self) -> str: ...  # noqa: D102
    @property
    def bold(self) -> bool: ...  # noqa: D102
    @property
    def large(self) -> bool: ...  # noqa: D102


class Receipt(Protocol):
    """What the printer needs of a receipt: lines, an optional QR code, footer lines (the
    layout is forms' job; the printer takes anything of this shape, so devices import no forms)."""

    @property
    def lines(self) -> Sequence[ReceiptLine]: ...  # noqa: D102
    @property
    def qr_payload(self) -> str | None: ...  # noqa: D102
    @property
    def footer(self) -> Sequence[ReceiptLine]: ...  # noqa: D102


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


GETA = "〓"  # the traditional mark for a character the type case lacks; GBK has it


def encode_receipt_text(text: str, encoding: str = "gb18030") -> bytes:
    """Encode text for a Chinese receipt printer, with ¥ as the full-width ￥.

    GB18030 printers get every character; GBK-only printers get 〓 for characters outside GBK
    (rare characters, 𠮷), never the 4-byte sequences they would print as garbage.
    """
    text = text.replace("¥", "￥")
    if encoding == "gbk":
        text = "".join(c if _in_gbk(c) else GETA for c in text)
        return text.encode("gbk")
    return text.encode("gb18030")


def _in_gbk(char: str) -> bool:
    try:
        char.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def receipt_bytes(printer: Escpos, receipt: Receipt, encoding: str = "gb18030") -> None:
    """Write the ESC/POS commands for `receipt` to `printer`."""
    printer.hw("INIT")
    printer._raw(FS_CHINESE_MODE)
    for line in receipt.lines:
        _line(printer, line, encoding)
    if receipt.qr_payload:
        printer.set(align="center")
        printer.qr(receipt.qr_payload, native=True, size=6)
    for line in receipt.footer:
        _line(printer, line, encoding)
    printer.set_with_default()
    printer.cut()


def _line(printer: Escpos, line: ReceiptLine, encoding: str) -> None:
    printer.set(
        align=line.align,
        bold=line.bold,
        double_height=line.large,
        double_width=line.large,
        normal_textsize=not line.large,
    )
    printer._raw(encode_receipt_text(line.text, encoding) + b"\n")


DLE_EOT = b"\x10\x04"


def query_status(printer: Escpos) -> ReceiptPrinterStatus:
    """Ask the printer (DLE EOT 1, 2, 4) how it is; silence or a short answer is UNKNOWN, never ONLINE."""
    answers = []
    try:
        for query in (1, 2, 4):
            printer._raw(DLE_EOT + bytes([query]))
            reply = printer._read()
            if not reply:
                return ReceiptPrinterStatus.UNKNOWN
            answers.append(reply[-1])
    except (TimeoutError, OSError, NotImplementedError, EscposError):
        return ReceiptPrinterStatus.UNKNOWN
    printer_status, offline_cause, paper = answers
    if paper & 0x60 or offline_cause & 0x20:
        return ReceiptPrinterStatus.NO_PAPER
    if offline_cause & 0x04:
        return ReceiptPrinterStatus.COVER_OPEN
    if printer_status & 0x08:
        return ReceiptPrinterStatus.OFFLINE
    if paper & 0x0C:
        return ReceiptPrinterStatus.PAPER_NEAR_END
    return ReceiptPrinterStatus.ONLINE


class EscposReceiptPrinter:
    """A receipt printer reached through a python-escpos connection (USB, serial, network, file).

    The receipt's bytes are made once and sent in one write; the printer's state is asked first
    where the connection can answer. A printer that cannot say (file devices, silent printers)
    still gets the receipt, reported as UNKNOWN so the screen can say "if nothing came out…".
    """

    def __init__(
        self,
        connect: Callable[[], Escpos],
        paper_mm: int = 80,
        encoding: str = "gb18030",
        asks_status: bool = True,
    ) -> None:
        self._connect = connect
        self.paper_mm = paper_mm
        self.encoding = encoding
        self.asks_status = asks_status
        self.last_bytes = b""

    def _open(self) -> Escpos:
        # python-escpos connects lazily; open now so "cannot connect" is OFFLINE, not a silent UNKNOWN.
        printer = self._connect()
        printer.open()
        return printer

    def status(self) -> ReceiptPrinterStatus:
        """The printer's state now (OFFLINE when it cannot be reached at all)."""
        try:
            printer = self._open()
            try:
                return query_status(printer) if self.asks_status else ReceiptPrinterStatus.UNKNOWN
            finally:
                printer.close()
        except (OSError, TimeoutError, EscposError) as exc:
            log.warning("receipt printer unreachable: %s", exc)
            return ReceiptPrinterStatus.OFFLINE

    def print_receipt(self, receipt: Receipt, name: str = "receipt") -> PrintResult:
        """Send one receipt; a printer out of paper, open or offline is reported, not raised."""
        from escpos.printer import Dummy

        writer = Dummy()
        receipt_bytes(writer, receipt, self.encoding)
        data = writer.output
        try:
            printer = self._open()
            try:
                status = query_status(printer) if self.asks_status else ReceiptPrinterStatus.UNKNOWN
                if status in (
                    ReceiptPrinterStatus.NO_PAPER,
                    ReceiptPrinterStatus.COVER_OPEN,
                    ReceiptPrinterStatus.OFFLINE,
                ):
                    return PrintResult(False, status, f"printer {status.value}")
                printer._raw(data)
            finally:
                printer.close()
        except (OSError, TimeoutError, EscposError) as exc:
            log.warning("receipt printer unreachable: %s", exc)
            return PrintResult(False, ReceiptPrinterStatus.OFFLINE, str(exc))
        self.last_bytes = data
        return PrintResult(True, status)
