"""A4 printing through a real cupsd with a cups-pdf queue (started by the README test command)."""

from __future__ import annotations

import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devices.cups_printer import CupsDocumentPrinter
from devices.document_printer import DocumentPrinterStatus
from forms.verification import verify_payload
from kiosk.devtools.samples import documents
from tests.zbar import qr_codes_in

PPD = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"
KEY = Ed25519PrivateKey.generate()


def cups_running() -> bool:
    out = subprocess.run(["lpstat", "-r"], capture_output=True, text=True)
    return "is running" in out.stdout


@pytest.fixture
def queue() -> Iterator[str]:
    if not cups_running():
        pytest.fail(
            "cupsd is not running: run the README test command (installer/run-tests.sh), which starts it"
        )
    name = f"kiosk-test-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-P", PPD], check=True, capture_output=True
    )
    yield name
    subprocess.run(["lpadmin", "-x", name], capture_output=True)


def cups_pdf_output_dir() -> Path:
    """Where cups-pdf writes (its Out setting, ${HOME} being the submitting user's home)."""
    text = Path("/etc/cups/cups-pdf.conf").read_text()
    out = re.search(r"^Out\s+(.+)$", text, re.M)
    return Path((out.group(1) if out else "${HOME}/PDF").replace("${HOME}", str(Path.home())))


def printed_file(job: str, timeout: float = 60.0) -> Path:  # a hang guard: cups-pdf is slow under load
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(cups_pdf_output_dir().glob(f"*job_{job}.pdf"))
        if found and found[0].stat().st_size > 0:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"cups-pdf wrote nothing for job {job} in {cups_pdf_output_dir()}")


def qr_payloads(pdf: Path, folder: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-png", "-r", "300", str(pdf), str(folder / pdf.stem)], check=True)
    out = []
    for page in sorted(folder.glob(f"{pdf.stem}*.png")):
        out += qr_codes_in(page)
    return out


def test_every_document_prints_through_cups_and_its_qr_survives(queue: str, tmp_path: Path) -> None:
    printer = CupsDocumentPrinter(queue)
    assert printer.status() is DocumentPrinterStatus.IDLE
    for name, pdf in documents(KEY).items():
        result = printer.print_pdf(pdf, name)
        assert result.ok and result.job, (name, result)
        output = printed_file(result.job)
        pages_in = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout
        pages_out = subprocess.run(["pdfinfo", str(output)], capture_output=True).stdout
        assert re.search(rb"Pages:\s+(\d+)", pages_in).group(1) == re.search(
            rb"Pages:\s+(\d+)", pages_out
        ).group(1)
        if name != "licence-calibration":  # the calibration page carries no QR
            payloads = qr_payloads(output, tmp_path)
            assert payloads and all(verify_payload(p, KEY.public_key()) for p in payloads), name
        output.unlink()


def test_a_paused_queue_is_reported_and_gets_no_job(queue: str) -> None:
    subprocess.run(["cupsdisable", queue], check=True)
    printer = CupsDocumentPrinter(queue)
    assert printer.status() is DocumentPrinterStatus.PAUSED
    result = printer.print_pdf(next(iter(documents(KEY).values())), "paused")
    assert not result.ok and result.status is DocumentPrinterStatus.PAUSED
    jobs = subprocess.run(["lpstat", "-o", queue], capture_output=True, text=True).stdout
    assert jobs.strip() == ""  # nothing was left held in the queue


def test_a_rejecting_queue_is_reported_distinctly(queue: str) -> None:
    subprocess.run(["cupsreject", queue], check=True)
    printer = CupsDocumentPrinter(queue)
    assert printer.status() is DocumentPrinterStatus.NOT_ACCEPTING
    assert printer.print_pdf(b"%PDF-1.4", "rejected").status is DocumentPrinterStatus.NOT_ACCEPTING


def test_a_missing_queue_and_a_missing_server_are_unreachable() -> None:
    import cups

    assert CupsDocumentPrinter("no-such-queue-here").status() is DocumentPrinterStatus.UNREACHABLE
    nowhere = CupsDocumentPrinter("kiosk-a4", connect=lambda: cups.Connection(host="127.0.0.1", port=1))
    result = nowhere.print_pdf(b"%PDF-1.4", "x")
    assert not result.ok and result.status is DocumentPrinterStatus.UNREACHABLE
