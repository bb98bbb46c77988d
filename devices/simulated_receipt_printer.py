"""A receipt printer simulator: real ESC/POS bytes from python-escpos, kept in a folder."""

from __future__ import annotations

from pathlib import Path

from devices.receipt_printer import PrintResult, Receipt, ReceiptPrinterStatus, receipt_bytes


class SimulatedReceiptPrinter:
    """Renders receipts to the exact bytes a printer would get and writes them to `spool`."""

    def __init__(self, spool: Path, paper_mm: int = 80, encoding: str = "gb18030") -> None:
        self.spool = spool
        self.paper_mm = paper_mm
        self.encoding = encoding
        self._status = ReceiptPrinterStatus.ONLINE
        self.last_bytes = b""

    def status(self) -> ReceiptPrinterStatus:
        """The simulated printer's state."""
        return self._status

    def set_status(self, status: ReceiptPrinterStatus) -> None:
        """Put the simulated printer into a state (paper out, cover open, …)."""
        self._status = status

    def print_receipt(self, receipt: Receipt, name: str = "receipt") -> PrintResult:
        """Print one receipt unless the simulated state forbids it."""
        if self._status not in (ReceiptPrinterStatus.ONLINE, ReceiptPrinterStatus.PAPER_NEAR_END):
            return PrintResult(False, self._status, f"printer {self._status.value}")
        from escpos.printer import Dummy

        printer = Dummy()
        receipt_bytes(printer, receipt, self.encoding)
        self.last_bytes = printer.output
        self.spool.mkdir(parents=True, exist_ok=True)
        (self.spool / f"{name}.escpos").write_bytes(self.last_bytes)
        return PrintResult(True, self._status)
