"""A4 printing through CUPS (pycups over IPP): the queue's real state, the job followed to the end.

A paused queue still accepts jobs and holds them, so its state is read before submitting and
the resident is told the truth; a stopped cupsd and a missing queue are both "unreachable".
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devices.document_printer import DocumentPrinterStatus, DocumentPrintResult

log = logging.getLogger(__name__)

IPP_IDLE, IPP_PROCESSING, IPP_STOPPED = 3, 4, 5
JOB_COMPLETED, JOB_CANCELED, JOB_ABORTED = 9, 7, 8
NO_PAPER_REASONS = ("media-empty", "media-needed", "media-jam")
ATTRIBUTES = ["printer-state", "printer-state-reasons", "printer-is-accepting-jobs"]


def _default_connection() -> Any:
    import cups

    return cups.Connection()


def status_from_attributes(attributes: dict[str, Any]) -> DocumentPrinterStatus:
    """Map a queue's IPP attributes to one status the UI can show."""
    reasons = attributes.get("printer-state-reasons") or []
    if not attributes.get("printer-is-accepting-jobs", True):
        return DocumentPrinterStatus.NOT_ACCEPTING
    if any(reason.startswith(NO_PAPER_REASONS) for reason in reasons):
        return DocumentPrinterStatus.NO_PAPER
    state = int(attributes.get("printer-state") or 0)  # 0: no state reported, unknown
    return {
        IPP_IDLE: DocumentPrinterStatus.IDLE,
        IPP_PROCESSING: DocumentPrinterStatus.PRINTING,
        IPP_STOPPED: DocumentPrinterStatus.PAUSED,
    }.get(state, DocumentPrinterStatus.UNKNOWN)


class CupsDocumentPrinter:
    """One CUPS queue."""

    def __init__(
        self,
        queue: str,
        connect: Callable[[], Any] = _default_connection,
        job_timeout: float = 60.0,
        poll_seconds: float = 0.1,
    ) -> None:
        self.queue = queue
        self._connect = connect
        self.job_timeout = job_timeout
        self.poll_seconds = poll_seconds

    def _attributes(self, conn: Any) -> dict[str, Any]:
        return conn.getPrinterAttributes(self.queue, requested_attributes=ATTRIBUTES)

    def status(self) -> DocumentPrinterStatus:
        """The queue's state now; UNREACHABLE when cupsd or the queue cannot be reached."""
        try:
            return status_from_attributes(self._attributes(self._connect()))
        except Exception as exc:  # cups.IPPError, RuntimeError (no server): both mean unreachable
            log.warning("CUPS queue %s unreachable: %s", self.queue, exc)
            return DocumentPrinterStatus.UNREACHABLE

    def print_pdf(self, pdf: bytes, name: str) -> DocumentPrintResult:
        """Submit a PDF and wait until CUPS says the job completed (or failed, or took too long)."""
        try:
            conn = self._connect()
            status = status_from_attributes(self._attributes(conn))
        except Exception as exc:
            log.warning("CUPS queue %s unreachable: %s", self.queue, exc)
            return DocumentPrintResult(False, DocumentPrinterStatus.UNREACHABLE, detail=str(exc))
        if status not in (DocumentPrinterStatus.IDLE, DocumentPrinterStatus.PRINTING):
            return DocumentPrintResult(False, status, detail=f"queue {self.queue} is {status.value}")
        with tempfile.TemporaryDirectory(prefix="kiosk-print-") as folder:
            path = Path(folder) / f"{name}.pdf"
            path.write_bytes(pdf)
            try:
                job = conn.printFile(self.queue, str(path), name, {})
            except Exception as exc:
                return DocumentPrintResult(False, DocumentPrinterStatus.NOT_ACCEPTING, detail=str(exc))
            return self._follow(conn, job)

    def _follow(self, conn: Any, job: int) -> DocumentPrintResult:
        deadline = time.monotonic() + self.job_timeout
        while time.monotonic() < deadline:
            state = conn.getJobAttributes(job).get("job-state")
            if state == JOB_COMPLETED:
                return DocumentPrintResult(True, DocumentPrinterStatus.IDLE, job=str(job))
            if state in (JOB_CANCELED, JOB_ABORTED):
                return DocumentPrintResult(
                    False, self.status(), job=str(job), detail=f"job {job} state {state}"
                )
            time.sleep(self.poll_seconds)
        return DocumentPrintResult(False, self.status(), job=str(job), detail=f"job {job} not done in time")
