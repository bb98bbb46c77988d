"""The demo's dev dock (演示): synthetic cards on the simulated readers, codes, pages and faces
shown to the simulated camera, cables pulled and printers out of paper.

Only a demo terminal has one (JourneyController.dock); QML reaches it as `simulators`. It holds
the synthetic residents whose cards it puts on the readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Signal, Slot

from devices.interfaces import (
    CameraSimulator,
    IdCardSimulator,
    PrinterSimulator,
    SsCardSimulator,
    simulator,
)
from kiosk.ui.qml_property import qml_property

if TYPE_CHECKING:
    from devices.id_card import IdCardData
    from kiosk.services import KioskServices
    from kiosk.ui.controllers.shared import Shared

FACE_SCENES = ("holder", "photo", "nobody", "other")


class DevDock(QObject):
    """Drives the demo terminal's simulated devices for the person trying the kiosk."""

    changed = Signal()

    def __init__(self, shared: Shared, parent: QObject | None = None) -> None:
        """Drives the simulators of `shared.services` once the kiosk has started."""
        super().__init__(parent)
        self._shared = shared
        self._residents: dict[str, Any] = {}  # key → (label, synthetic ID card)
        self.face_scene = "holder"  # what the simulated camera shows at the next face check

    @property
    def _services(self) -> KioskServices | None:
        return self._shared.services

    def started(self) -> None:
        """The kiosk has started: the synthetic residents are ready to be put on the readers."""
        from devices.demo_residents import demo_residents

        self._residents = demo_residents()
        self.changed.emit()

    def _get_residents(self) -> list:
        return [{"key": k, "label": label} for k, (label, _) in self._residents.items()]

    demoResidents = qml_property("QVariantList", _get_residents, notify=changed)

    def demo_card(self, key: str) -> IdCardData:
        """The synthetic resident `key`'s ID card."""
        return cast("IdCardData", self._residents[key][1])

    def face_key(self, identity: Any) -> str:
        """Which synthetic resident the simulated camera shows for `identity` ('' for none)."""
        if identity is None:
            return ""
        number = identity.as_applicant().get("id_number")
        return next((key for key, (_, card) in self._residents.items() if card.id_number == number), "")

    # ---- the simulators, when the devices are simulated (a real device has no such controls) --
    def _id_card(self) -> IdCardSimulator | None:
        return simulator(self._services.devices.id_card, IdCardSimulator) if self._services else None

    def _ss_card(self) -> SsCardSimulator | None:
        return simulator(self._services.devices.ss_card, SsCardSimulator) if self._services else None

    def _camera(self) -> CameraSimulator | None:
        return simulator(self._services.devices.camera_source, CameraSimulator) if self._services else None

    def _printer(self, kind: str) -> PrinterSimulator | None:
        services = self._services
        if services is None:
            return None
        printer = services.devices.receipt_printer if kind == "receipt" else services.devices.document_printer
        return simulator(printer, PrinterSimulator)

    @Slot(str)
    def devInsertCard(self, key: str) -> None:
        """Put a synthetic resident's card on the simulated reader."""
        if (reader := self._id_card()) is not None:
            reader.insert(self.demo_card(key))

    @Slot(str)
    def devFaceScene(self, scene: str) -> None:
        """What the simulated camera shows at the next face check: the card holder blinking and
        turning (holder), the holder's photo held up (photo), nobody, or someone else (other)."""
        if scene in FACE_SCENES:
            self.face_scene = scene

    @Slot()
    def devRemoveCard(self) -> None:
        """Take the card off the simulated reader."""
        if (reader := self._id_card()) is not None:
            reader.remove()

    @Slot()
    def devDamagedCard(self) -> None:
        """Put an unreadable card on the simulated reader."""
        if (reader := self._id_card()) is not None:
            reader.insert_damaged()

    @Slot(str)
    def devInsertSsCard(self, key: str) -> None:
        """Put a synthetic resident's social-security card in the simulated reader."""
        if (reader := self._ss_card()) is not None:
            from devices.demo_residents import demo_ss_card

            reader.insert(demo_ss_card(self.demo_card(key)))

    @Slot()
    def devRemoveSsCard(self) -> None:
        """Take the social-security card out of the simulated reader."""
        if (reader := self._ss_card()) is not None:
            reader.remove()

    @Slot(str)
    def devShowEId(self, key: str) -> None:
        """Hold a synthetic resident's e-ID code (signed by the demo issuer) up to the camera."""
        services, camera = self._services, self._camera()
        if services is None or camera is None or services.demo_e_id_key is None:
            return
        from kiosk.core.identity import sign_credential
        from kiosk.services import DEMO_E_ID_ISSUER

        card, issuer_key = self.demo_card(key), services.demo_e_id_key
        code = sign_credential(card.name, card.id_number, card.valid_to, DEMO_E_ID_ISSUER, issuer_key)
        camera.show_qr(code)

    @Slot(str)
    def devShowQr(self, kind: str) -> None:
        """Show the camera an e-licence code, a garbled code, a page, a face, or nothing ('')."""
        camera = self._camera()
        if camera is None:
            return
        if kind == "e_licence":
            from kiosk.services import demo_credit_code

            camera.show_qr(demo_credit_code())
        elif kind == "document":
            camera.show_document()
        elif kind == "face":
            camera.show_face()
        elif kind == "garbled":
            camera.show_qr("¿?%3C#not-a-code-we-know#")
        else:
            camera.clear()

    @Slot(str, bool)
    def devPlug(self, device: str, plugged: bool) -> None:
        """Plug a simulated device in or pull its cable (id_card, ss_card, camera, receipt, a4)."""
        if device == "id_card" and (id_card := self._id_card()) is not None:
            id_card.set_connected(plugged)
        elif device == "ss_card" and (ss_card := self._ss_card()) is not None:
            ss_card.set_connected(plugged)
        elif device == "camera" and (camera := self._camera()) is not None:
            camera.set_plugged(plugged)
        elif device == "receipt":
            self.devReceiptPrinter("online" if plugged else "offline")
        elif device == "a4":
            self.devDocumentPrinter("idle" if plugged else "unreachable")

    @Slot(str)
    def devReceiptPrinter(self, status: str) -> None:
        """Set the simulated receipt printer's state."""
        if (printer := self._printer("receipt")) is not None:
            from devices.receipt_printer import ReceiptPrinterStatus

            printer.set_status(ReceiptPrinterStatus(status))

    @Slot(str)
    def devDocumentPrinter(self, status: str) -> None:
        """Set the simulated A4 printer's state."""
        if (printer := self._printer("a4")) is not None:
            from devices.document_printer import DocumentPrinterStatus

            printer.set_status(DocumentPrinterStatus(status))
