"""Paper: how much each printer has printed since staff last refilled it, so the hall refills
before a resident meets an empty printer. Counted as jobs succeed, by wrapping the printers."""

from __future__ import annotations

import re
from typing import Any

from devices.document_printer import DocumentPrinterStatus, DocumentPrintResult
from devices.interfaces import DocumentPrinter, ReceiptPrinter
from devices.receipt_printer import PrintResult, Receipt, ReceiptPrinterStatus
from kiosk.core.audit import append_audit
from kiosk.core.store import Store

# What a full load lasts: an 80 mm roll of 50 m at about 15 cm a receipt; a 250-sheet A4 tray.
CAPACITY = {"receipt": 300, "a4": 250}
NAMES = {"receipt": "回执打印纸", "a4": "A4纸"}
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _value(store: Store, name: str) -> int:
    with store.lock:
        row = store.conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    return row[0] if row else 0


def add_printed(store: Store, device: str, count: int = 1) -> None:
    """`count` more sheets or receipts out of `device`."""
    with store.durable() as conn:
        conn.execute(
            "INSERT INTO counters(name, value) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET value = value + ?",
            (f"printed:{device}", count, count),
        )


def since_refill(store: Store, device: str) -> int:
    """Printed since the last refill."""
    return _value(store, f"printed:{device}") - _value(store, f"refill_base:{device}")


def refilled(store: Store, device: str, staff_id: str) -> None:
    """Staff put new paper in: the count starts again; audited."""
    printed = _value(store, f"printed:{device}")
    with store.durable() as conn:
        conn.execute(
            "INSERT INTO counters(name, value) VALUES (?, ?)"
            " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (f"refill_base:{device}", printed),
        )
        append_audit(conn, staff_id, "paper_refilled", {"device": device, "printed_before": printed})


def paper_rows(store: Store) -> list[dict[str, Any]]:
    """Each printer's paper as the admin page shows it."""
    rows = []
    for device, capacity in CAPACITY.items():
        used = since_refill(store, device)
        rows.append(
            {
                "device": device,
                "name": NAMES[device],
                "used": used,
                "left": max(0, capacity - used),
                "low": used >= capacity * 0.8,
            }
        )
    return rows


class CountingReceiptPrinter:
    """The receipt printer, counting each receipt that printed."""

    def __init__(self, printer: ReceiptPrinter, store: Store) -> None:
        """Counts into `store` what `printer` prints."""
        self.wrapped, self._store = printer, store

    def status(self) -> ReceiptPrinterStatus:
        """The printer's own status."""
        return self.wrapped.status()

    def print_receipt(self, receipt: Receipt, name: str = "receipt") -> PrintResult:
        """Print, and count it when it printed."""
        result = self.wrapped.print_receipt(receipt, name)
        if result.ok:
            add_printed(self._store, "receipt")
        return result

    @property
    def last_bytes(self) -> bytes:
        """The ESC/POS bytes of the last receipt, where the printer keeps them."""
        return bytes(getattr(self.wrapped, "last_bytes", b""))


class CountingDocumentPrinter:
    """The A4 printer, counting the pages of each job that printed."""

    def __init__(self, printer: DocumentPrinter, store: Store) -> None:
        """Counts into `store` the pages `printer` prints."""
        self.wrapped, self._store = printer, store

    def status(self) -> DocumentPrinterStatus:
        """The printer's own status."""
        return self.wrapped.status()

    def print_pdf(self, pdf: bytes, name: str) -> DocumentPrintResult:
        """Print, and count its pages when it printed."""
        result = self.wrapped.print_pdf(pdf, name)
        if result.ok:
            add_printed(self._store, "a4", max(1, len(_PAGE.findall(pdf))))
        return result
