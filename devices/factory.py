"""Choose the real driver or the simulator for each device kind from configuration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from devices.document_printer import SimulatedDocumentPrinter
from devices.id_card import SimulatedIdCardReader
from devices.receipt_printer import EscposReceiptPrinter
from devices.simulated_receipt_printer import SimulatedReceiptPrinter


class DeviceSelection(Protocol):
    """What the factory reads from the terminal's [devices] configuration."""

    id_card: str
    receipt_printer: str
    document_printer: str
    receipt_paper_mm: int
    receipt_printer_host: str
    receipt_printer_port: int


class DeviceUnavailableError(RuntimeError):
    """The configured driver is not available in this build yet."""


@dataclass
class Devices:
    """The terminal's devices, as chosen by configuration."""

    id_card: Any
    receipt_printer: Any
    document_printer: Any


def make_devices(selection: DeviceSelection, spool_dir: Path) -> Devices:
    """Build each device from `selection`; simulators spool their output under `spool_dir`."""
    if selection.id_card != "simulated":
        raise DeviceUnavailableError(f"id_card driver '{selection.id_card}' is not available yet")
    if selection.receipt_printer == "simulated":
        receipt: Any = SimulatedReceiptPrinter(spool_dir, selection.receipt_paper_mm)
    elif selection.receipt_printer == "network":
        from escpos.printer import Network  # noqa: PLC0415 (only this driver needs it)

        host, port = selection.receipt_printer_host, selection.receipt_printer_port
        receipt = EscposReceiptPrinter(lambda: Network(host, port, timeout=5), selection.receipt_paper_mm)
    else:
        raise DeviceUnavailableError(
            f"receipt_printer driver '{selection.receipt_printer}' is not available yet"
        )
    if selection.document_printer != "simulated":
        raise DeviceUnavailableError(
            f"document_printer driver '{selection.document_printer}' is not available yet"
        )
    return Devices(SimulatedIdCardReader(), receipt, SimulatedDocumentPrinter(spool_dir))
