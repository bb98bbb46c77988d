"""The demo's dev dock (演示): synthetic cards on the simulated readers, codes, pages and faces
shown to the simulated camera, cables pulled and printers out of paper.

Only a demo terminal has one (JourneyController.dock); QML reaches it as `simulators`. It holds
the synthetic residents whose cards it puts on the readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Signal, Slot

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

    @Slot(str)
    def devInsertCard(self, key: str) -> None:
        """Put a synthetic resident's card on the simulated reader."""
        if (services := self._services) is not None:
            services.devices.id_card.insert(self.demo_card(key))

    @Slot(str)
    def devFaceScene(self, scene: str) -> None:
        """What the simulated camera shows at the next face check: the card holder blinking and
        turning (holder), the holder's photo held up (photo), nobody, or someone else (other)."""
        if scene in FACE_SCENES:
            self.face_scene = scene

    @Slot()
    def devRemoveCard(self) -> None:
        """Take the card off the simulated reader."""
        if (services := self._services) is not None:
            services.devices.id_card.remove()

    @Slot()
    def devDamagedCard(self) -> None:
        """Put an unreadable card on the simulated reader."""
        if (services := self._services) is not None:
            services.devices.id_card.insert_damaged()

    @Slot(str)
    def devInsertSsCard(self, key: str) -> None:
        """Put a synthetic resident's social-security card in the simulated reader."""
        services = self._services
        if services is not None and services.devices.ss_card is not None:
            from devices.demo_residents import demo_ss_card

            services.devices.ss_card.insert(demo_ss_card(self.demo_card(key)))

    @Slot()
    def devRemoveSsCard(self) -> None:
        """Take the social-security card out of the simulated reader."""
        services = self._services
        if services is not None and services.devices.ss_card is not None:
            services.devices.ss_card.remove()

    @Slot(str)
    def devShowEId(self, key: str) -> None:
        """Hold a synthetic resident's e-ID code (signed by the demo issuer) up to the camera."""
        services = self._services
        if services is None or services.devices.camera_source is None or services.demo_e_id_key is None:
            return
        from kiosk.core.identity import sign_credential
        from kiosk.services import DEMO_E_ID_ISSUER

        card, issuer_key = self.demo_card(key), services.demo_e_id_key
        code = sign_credential(card.name, card.id_number, card.valid_to, DEMO_E_ID_ISSUER, issuer_key)
        services.devices.camera_source.show_qr(code)

    @Slot(str)
    def devShowQr(self, kind: str) -> None:
        """Show the camera an e-licence code, a garbled code, a page, a face, or nothing ('')."""
        services = self._services
        source = services.devices.camera_source if services is not None else None
        if source is None:
            return
        if kind == "e_licence":
            from kiosk.services import demo_credit_code

            source.show_qr(demo_credit_code())
        elif kind == "document":
            source.show_document()
        elif kind == "face":
            source.show_face()
        elif kind == "garbled":
            source.show_qr("¿?%3C#not-a-code-we-know#")
        else:
            source.clear()

    @Slot(str, bool)
    def devPlug(self, device: str, plugged: bool) -> None:
        """Plug a simulated device in or pull its cable (id_card, ss_card, camera, receipt, a4)."""
        services = self._services
        if services is None:
            return
        devices = services.devices
        if device == "id_card":
            devices.id_card.set_connected(plugged)
        elif device == "ss_card" and devices.ss_card is not None:
            devices.ss_card.set_connected(plugged)
        elif device == "camera" and devices.camera_source is not None:
            devices.camera_source.set_plugged(plugged)
        elif device == "receipt":
            self.devReceiptPrinter("online" if plugged else "offline")
        elif device == "a4":
            self.devDocumentPrinter("idle" if plugged else "unreachable")

    @Slot(str)
    def devReceiptPrinter(self, status: str) -> None:
        """Set the simulated receipt printer's state."""
        if (services := self._services) is not None:
            from devices.receipt_printer import ReceiptPrinterStatus

            services.devices.receipt_printer.set_status(ReceiptPrinterStatus(status))

    @Slot(str)
    def devDocumentPrinter(self, status: str) -> None:
        """Set the simulated A4 printer's state."""
        if (services := self._services) is not None:
            from devices.document_printer import DocumentPrinterStatus

            services.devices.document_printer.set_status(DocumentPrinterStatus(status))
