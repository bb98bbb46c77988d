"""Choose the real driver or the simulator for each device kind from configuration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices.camera.camera import Camera, FrameSource
from devices.document_printer import SimulatedDocumentPrinter
from devices.id_card import SimulatedIdCardReader
from devices.interfaces import DocumentPrinter, IdCardReader, ReceiptPrinter, SsCardReader, StaffCard
from devices.receipt_printer import EscposReceiptPrinter
from devices.selection import DeviceSelection
from devices.simulated_receipt_printer import SimulatedReceiptPrinter


class DeviceUnavailableError(RuntimeError):
    """The configured driver is not available in this build yet."""


@dataclass
class Devices:
    """The terminal's devices, as chosen by configuration."""

    id_card: IdCardReader
    receipt_printer: ReceiptPrinter
    document_printer: DocumentPrinter
    ss_card: SsCardReader | None = None  # None: this terminal has no social-security card reader
    camera: Camera | None = None  # None: no camera
    camera_source: FrameSource | None = None  # the frames (the simulator, in demo mode, for the dev dock)
    staff_card: StaffCard | None = None  # staff cards go in the social-security card's PC/SC reader

    def stop(self) -> None:
        """Stop the device threads (card polling, card monitor, camera)."""
        for device, method in (
            (self.id_card, "stop"),
            (self.ss_card, "stop_monitoring"),
            (self.camera, "close"),
        ):
            stop = getattr(device, method, None)
            if stop is not None:
                stop()


def _escpos_connection(selection: DeviceSelection) -> tuple[Callable[[], Any], bool]:
    """A factory of python-escpos connections for the configured kind, and whether it can answer status."""
    from escpos import printer

    kind = selection.receipt_printer
    if kind == "network":
        host, port = selection.receipt_printer_host, selection.receipt_printer_port
        return (lambda: printer.Network(host, port, timeout=3)), True
    if kind == "serial":
        devfile, baud = selection.receipt_printer_serial, selection.receipt_printer_baudrate
        return (lambda: printer.Serial(devfile=devfile, baudrate=baud, timeout=2)), True
    if kind == "usb":
        vendor, product = (int(part, 16) for part in selection.receipt_printer_usb.split(":"))
        return (lambda: printer.Usb(vendor, product, timeout=2000)), True
    if kind == "file":
        devfile = selection.receipt_printer_file
        return (lambda: printer.File(devfile)), False
    raise DeviceUnavailableError(f"receipt_printer driver '{kind}' is not available")


def make_devices(selection: DeviceSelection, spool_dir: Path, receipt_encoding: str = "gb18030") -> Devices:
    """Build each device from `selection`; simulators spool their output under `spool_dir`."""
    id_card: Any
    if selection.id_card == "simulated":
        id_card = SimulatedIdCardReader()
    elif selection.id_card == "sam_serial":
        from devices.sam.reader import SamIdCardReader

        id_card = SamIdCardReader(selection.id_card_port)
        id_card.start()
    else:
        raise DeviceUnavailableError(f"id_card driver '{selection.id_card}' is not available")
    if selection.receipt_printer == "simulated":
        receipt: Any = SimulatedReceiptPrinter(spool_dir, selection.receipt_paper_mm, receipt_encoding)
    else:
        connect, asks_status = _escpos_connection(selection)
        receipt = EscposReceiptPrinter(connect, selection.receipt_paper_mm, receipt_encoding, asks_status)
    if selection.document_printer == "cups":
        from devices.cups_printer import CupsDocumentPrinter

        document: Any = CupsDocumentPrinter(selection.cups_queue)
    elif selection.document_printer == "simulated":
        document = SimulatedDocumentPrinter(spool_dir)
    else:
        raise DeviceUnavailableError(
            f"document_printer driver '{selection.document_printer}' is not available"
        )
    ss_card = _make_ss_card(selection)
    camera, source = _make_camera(selection)
    return Devices(id_card, receipt, document, ss_card, camera, source, _make_staff_card(selection))


def _make_staff_card(selection: DeviceSelection) -> Any:
    """The staff card, read in the same PC/SC reader as the social-security card."""
    from devices.staff_card import SimulatedStaffCard, StaffCardReader

    kind = selection.social_security_card
    if kind == "simulated":
        return SimulatedStaffCard()
    if kind == "pcsc":
        return StaffCardReader(selection.ss_card_reader)
    return None


def _make_ss_card(selection: DeviceSelection) -> Any:
    kind = selection.social_security_card
    if kind == "none":
        return None
    if kind == "simulated":
        from devices.ss_card import SimulatedSsCardReader

        return SimulatedSsCardReader()
    if kind == "pcsc":
        from devices.ss_card import SsCardReader

        reader = SsCardReader(selection.ss_card_reader)
        reader.start_monitoring()
        return reader
    raise DeviceUnavailableError(f"social_security_card driver '{kind}' is not available")


def _make_camera(selection: DeviceSelection) -> tuple[Any, Any]:
    kind = selection.camera
    if kind == "none":
        return None, None
    from devices.camera.camera import Camera

    if kind == "simulated":
        from devices.camera.simulated import SimulatedSource

        source: Any = SimulatedSource()
    elif kind == "opencv":
        from devices.camera.opencv_source import OpenCvSource

        device = selection.camera_device
        source = OpenCvSource(int(device) if device.isdigit() else device)
    else:
        raise DeviceUnavailableError(f"camera driver '{kind}' is not available")
    return Camera(source), source
