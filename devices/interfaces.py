"""One interface per device kind, as the rest of the terminal sees it: methods that return
results (a status, a read, a print result), never raise for a device's ordinary troubles.

A real driver and its simulator both satisfy the kind's Protocol. The simulators' extra controls
(a card put on the reader, paper run out, a code held up to the camera) are Protocols of their
own, checked at run time, for the demo's dev dock and the tests; a real device has none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:  # the UI imports these Protocols before its first frame: no numpy, no PC/SC then
    import numpy as np

    from devices.document_printer import DocumentPrinterStatus, DocumentPrintResult
    from devices.id_card import IdCardData, IdCardRead, IdCardStatus
    from devices.receipt_printer import PrintResult, Receipt, ReceiptPrinterStatus
    from devices.ss_card import SsCardData, SsCardRead, SsCardStatus
    from devices.staff_card import StaffCardAnswer

T = TypeVar("T")


def simulator(device: object, controls: type[T]) -> T | None:
    """`device`'s simulator controls of the kind `controls` (one of the *Simulator Protocols
    below), looking through wrappers that expose what they wrap as `wrapped`; None for a real
    device, which has no such controls."""
    while not isinstance(device, controls) and hasattr(device, "wrapped"):
        device = device.wrapped
    return device if isinstance(device, controls) else None


class IdCardReader(Protocol):
    """The second-generation ID card reader (SAM)."""

    def status(self) -> IdCardStatus:
        """Whether a card is on the reader, the reader is missing, or the card is unreadable."""
        ...

    def read(self) -> IdCardRead:
        """Read the card on the reader (blocking)."""
        ...

    def on_status_change(self, listener: Callable[[IdCardStatus], None]) -> None:
        """Call `listener` (on the reader's thread) whenever the status changes."""
        ...


class SsCardReader(Protocol):
    """The social-security card reader (PC/SC)."""

    def status(self) -> SsCardStatus:
        """Whether a card is in the reader."""
        ...

    def read(self) -> SsCardRead:
        """Read the card in the reader (blocking)."""
        ...

    def on_status_change(self, listener: Callable[[SsCardStatus], None]) -> None:
        """Call `listener` (on the monitor's thread) whenever the status changes."""
        ...

    def stop_monitoring(self) -> None:
        """Stop watching for cards and readers."""
        ...


class ReceiptPrinter(Protocol):
    """The thermal receipt printer (ESC/POS)."""

    def status(self) -> ReceiptPrinterStatus:
        """Online, out of paper, cover open or unreachable."""
        ...

    def print_receipt(self, receipt: Receipt, name: str = "receipt") -> PrintResult:
        """Print `receipt`; the result says whether it printed and, if not, why."""
        ...


class DocumentPrinter(Protocol):
    """The A4 printer (CUPS)."""

    def status(self) -> DocumentPrinterStatus:
        """Idle, printing, out of paper, paused or unreachable."""
        ...

    def print_pdf(self, pdf: bytes, name: str) -> DocumentPrintResult:
        """Print `pdf` as job `name`; the result says whether it printed and, if not, why."""
        ...


class StaffCard(Protocol):
    """A staff card in the PC/SC reader, answering the terminal's challenge."""

    def ask(self, challenge: bytes) -> StaffCardAnswer | str:
        """The card's signed answer, or why there is none."""
        ...


# ---- the simulators' controls (demo dev dock, tests) -------------------------------------------
@runtime_checkable
class IdCardSimulator(Protocol):
    """A simulated ID card reader: cards put on it and taken off, its cable pulled."""

    def insert(self, card: IdCardData) -> None:
        """Put `card` on the reader."""
        ...

    def insert_damaged(self) -> None:
        """Put an unreadable card on the reader."""
        ...

    def remove(self) -> None:
        """Take the card off."""
        ...

    def set_connected(self, connected: bool) -> None:
        """Plug the reader in or pull its cable."""
        ...


@runtime_checkable
class SsCardSimulator(Protocol):
    """A simulated social-security card reader."""

    def insert(self, card: SsCardData) -> None:
        """Put `card` in the reader."""
        ...

    def remove(self) -> None:
        """Take the card out."""
        ...

    def set_connected(self, connected: bool) -> None:
        """Plug the reader in or pull its cable."""
        ...


@runtime_checkable
class PrinterSimulator(Protocol):
    """A simulated printer whose state is set by hand (out of paper, unplugged)."""

    def set_status(self, status: Any) -> None:
        """The printer's state from now on (the printer kind's status enum)."""
        ...


@runtime_checkable
class CameraSimulator(Protocol):
    """What the simulated camera shows: a code, a page, a face, a scripted sequence, nothing."""

    def show_qr(self, payload: str) -> None:
        """Hold a QR code with `payload` up to the camera."""
        ...

    def show_face(self) -> None:
        """Show a face."""
        ...

    def show_document(self) -> None:
        """Show a page of material."""
        ...

    def play(self, frames: list[np.ndarray], loop: bool = True) -> None:
        """Show `frames` in order (once, or over and over)."""
        ...

    def clear(self) -> None:
        """Show nothing in particular."""
        ...

    def set_plugged(self, plugged: bool) -> None:
        """Plug the camera in or pull its cable."""
        ...


@runtime_checkable
class StaffCardSimulator(Protocol):
    """A simulated staff card in the PC/SC reader (the demo's staff)."""

    def insert(self, staff_id: str, key: bytes) -> None:
        """Put the card of `staff_id`, holding `key`, in the reader."""
        ...

    def remove(self) -> None:
        """Take the card out."""
        ...
