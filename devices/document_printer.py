"""A4 document printers: the interface, its states, and the simulator (a spool folder)."""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from pathlib import Path


class DocumentPrinterStatus(enum.Enum):
    """Every state an A4 printer queue can be in."""

    IDLE = "idle"
    PRINTING = "printing"
    PAUSED = "paused"  # accepts jobs but holds them: tell the resident
    NOT_ACCEPTING = "not_accepting"
    NO_PAPER = "no_paper"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DocumentPrintResult:
    """What happened to a document job."""

    ok: bool
    status: DocumentPrinterStatus
    job: str = ""
    detail: str = ""


class SimulatedDocumentPrinter:
    """Writes each job's PDF into a spool folder; the dev dock and tests set its state."""

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self._status = DocumentPrinterStatus.IDLE
        self._lock = threading.Lock()
        self._jobs = 0

    def status(self) -> DocumentPrinterStatus:
        """The printer's current state."""
        return self._status

    def set_status(self, status: DocumentPrinterStatus) -> None:
        """Put the simulated printer into a state (paper out, paused, unplugged, …)."""
        self._status = status

    def print_pdf(self, pdf: bytes, name: str) -> DocumentPrintResult:
        """Print one PDF; a printer that cannot take it says why."""
        if self._status not in (DocumentPrinterStatus.IDLE, DocumentPrinterStatus.PRINTING):
            return DocumentPrintResult(False, self._status, detail=f"printer {self._status.value}")
        with self._lock:
            self._jobs += 1
            job = f"sim-{self._jobs}"
        self.spool.mkdir(parents=True, exist_ok=True)
        (self.spool / f"{name}.pdf").write_bytes(pdf)
        return DocumentPrintResult(True, DocumentPrinterStatus.IDLE, job=job)
