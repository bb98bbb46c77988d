"""Who is at the screen: the ID card (SAM reader), the social-security card, an e-ID code held up
to the camera, or a name and number typed by a resident without a card (items with a face photo).

QML reaches it as `identity`. An accepted identity goes to the session; if the item checks the
face, the card goes on to the face check (`on_identified`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from devices.id_card import IdCardRead, IdCardStatus
from kiosk.core.session import Screen
from kiosk.ui import viewmodels
from kiosk.ui.controllers.shared import Shared
from kiosk.ui.identify_sources import IdentifySources
from kiosk.ui.messages import CARD_MESSAGES, QR_MESSAGES, READ_FAILURE_MESSAGES, SS_CARD_MESSAGES
from kiosk.ui.qml_property import qml_property

if TYPE_CHECKING:
    from kiosk.services import KioskServices

log = logging.getLogger(__name__)


# The card a resident put on the reader or in the slot, to be reminded of when they leave; a
# phone's e-ID code or a typed number leaves nothing behind.
CARDS_LEFT_IN_THE_TERMINAL = {"id_card": "您的身份证", "social_security_card": "您的社保卡"}


class IdentityController(QObject):
    """Reads the identity sources while the identify screen shows, and checks typed identities."""

    changed = Signal()
    _cardStatus = Signal(str)  # from the reader's thread, queued to the UI thread

    def __init__(
        self, shared: Shared, on_identified: Callable[[Any], None], parent: QObject | None = None
    ) -> None:
        """`on_identified` receives an identity the session took to the consent screen."""
        super().__init__(parent)
        self._shared = shared
        self._on_identified = on_identified
        self._manual_errors: dict[str, str] = {}  # the manual-entry screen's problems, by field
        self._sources: IdentifySources | None = None
        self._scanning = False
        self._cardStatus.connect(self._on_card_status)

    # ---- properties ---------------------------------------------------------------------------
    def _get_typed_identity(self) -> bool:
        return self._shared.session.typed_identity()

    def _get_manual_errors(self) -> dict:
        return dict(self._manual_errors)

    def _get_identify_ways(self) -> list:
        item = self._shared.session.item
        return list(item.identify_with) if item is not None else []

    def _get_can_type_identity(self) -> bool:
        item = self._shared.session.item
        return item is not None and "manual_with_face" in item.identify_with

    def _get_card_to_take(self) -> str:
        identity = self._shared.session.identity
        way = identity.as_applicant().get("identified_by") if identity is not None else None
        return CARDS_LEFT_IN_THE_TERMINAL.get(str(way), "")

    # 人证核验 compares with the household register's photo, not a card's, for a typed identity
    typedIdentity = qml_property(bool, _get_typed_identity, notify=changed)
    manualErrors = qml_property("QVariantMap", _get_manual_errors, notify=changed)
    canTypeIdentity = qml_property(bool, _get_can_type_identity, notify=changed)
    identifyWays = qml_property("QVariantList", _get_identify_ways, notify=changed)
    cardToTake = qml_property(str, _get_card_to_take, notify=changed)

    # ---- life cycle ---------------------------------------------------------------------------
    def started(self, services: KioskServices) -> None:
        """Listen to the readers and the camera of the started services."""
        services.devices.id_card.on_status_change(lambda status: self._cardStatus.emit(status.value))
        self._sources = IdentifySources(services.devices, self)
        self._sources.ssCardStatus.connect(self._on_ss_card_status)
        self._sources.scanned.connect(self._on_scanned)
        self._sources.cameraStatus.connect(self._on_camera_status)

    def reset(self) -> None:
        """Forget this resident's typed-identity problems (home)."""
        self._manual_errors = {}

    def close(self) -> None:
        """The window is going: let the camera go."""
        if self._sources is not None:
            self._sources.close()
            self._scanning = False

    def follow_camera(self) -> None:
        """Scan for codes exactly while the identify screen, or a form page taking an e-licence
        code, shows; the camera is off otherwise."""
        sources = self._sources
        if sources is None:  # not started yet: nothing scans
            return
        wanted = self._shared.session.screen is Screen.IDENTIFY or self._e_licence_field() is not None
        if wanted and not self._scanning:
            sources.start_scanning()
        elif self._scanning and not wanted:
            sources.stop_scanning()
        self._scanning = wanted

    def read_waiting_card(self) -> None:
        """A card already on a reader when the identify screen opens is read at once."""
        services = self._shared.running
        if services.devices.id_card.status() is IdCardStatus.CARD_PRESENT:
            self._read_card()
        elif self._ss_card_waiting():
            self._read_ss_card()

    def _identified(self, identity: Any, way: str) -> None:
        """Accept an identity if the item takes this way of identifying; otherwise say which do."""
        session = self._shared.session
        item = session.item
        if item is not None and way not in item.identify_with:
            log.info("identity refused for this item", extra={"way": way, "item": item.id})
            self._shared.refresh(f"办理本事项请使用{viewmodels.identify_ways(item)}。")
            return
        session.identified(identity)
        if session.screen is Screen.CONSENT:
            self._on_identified(identity)  # its photo is compared once the resident agrees
        self._shared.refresh()

    # ---- ID card ------------------------------------------------------------------------------
    @Slot(str)
    def _on_card_status(self, status: str) -> None:
        if self._shared.session.screen is not Screen.IDENTIFY:
            return
        state = IdCardStatus(status)
        if state is IdCardStatus.CARD_PRESENT:
            self._read_card()
        elif state in (IdCardStatus.CARD_ERROR, IdCardStatus.NO_DEVICE):
            log.warning("id card reader reports %s", state.value)
            self._shared.refresh(CARD_MESSAGES[state])
        elif state is IdCardStatus.WAITING:
            self._shared.refresh()

    def _read_card(self) -> None:
        self._shared.busy = True
        self._shared.refresh()
        reader = self._shared.running.devices.id_card
        self._shared.worker.run(reader.read, self._on_card_read, self._shared.failed)

    def _on_card_read(self, read: IdCardRead) -> None:
        from kiosk.core.identity import checked_card

        read = checked_card(read)
        self._shared.busy = False
        if self._shared.session.screen is not Screen.IDENTIFY:
            return
        if read.data is None:
            log.warning("id card read failed", extra={"status": read.status.value, "detail": read.detail})
            message = READ_FAILURE_MESSAGES.get(read.detail) or CARD_MESSAGES.get(
                read.status, "请将身份证放在读卡区。"
            )
            self._shared.refresh(message)
            return
        self._identified(read.data, "id_card")

    # ---- typed identity (no card with them) ---------------------------------------------------
    @Slot()
    def identifyByTyping(self) -> None:
        """The resident has no card: type the name and ID number (items with a face photo only)."""
        if self._shared.session.screen is Screen.IDENTIFY and self._get_can_type_identity():
            self._shared.session.identify_manually()
            self._manual_errors = {}
            self._shared.refresh()

    @Slot(str, str)
    def confirmTypedIdentity(self, name: str, id_number: str) -> None:
        """Check the typed name and number (the check character too); on to the guide."""
        if self._shared.session.screen is not Screen.MANUAL_ID:
            return
        from kiosk.core.identity import Refused, manual_identity

        identity = manual_identity(name, id_number)
        if isinstance(identity, Refused):
            log.info("typed identity refused", extra={"fields": sorted(identity.fields)})
            self._manual_errors = dict(identity.fields)
            self._shared.refresh(identity.message)
            return
        self._manual_errors = {}
        log.info("resident identified by typing; the face photo follows on the form")
        self._identified(identity, "manual_with_face")

    # ---- social-security card -----------------------------------------------------------------
    def _ss_card_waiting(self) -> bool:
        from devices.ss_card import SsCardStatus

        services = self._shared.services
        reader = services.devices.ss_card if services is not None else None
        return reader is not None and reader.status() is SsCardStatus.CARD_PRESENT

    @Slot(str)
    def _on_ss_card_status(self, status: str) -> None:
        if self._shared.session.screen is not Screen.IDENTIFY or self._shared.busy:
            return
        if status == "card_present":
            self._read_ss_card()
        elif status == "no_reader":
            log.warning("social-security card reader reports no reader")
            self._shared.refresh(SS_CARD_MESSAGES["no_reader"])
        elif status == "card_error":
            self._shared.refresh(SS_CARD_MESSAGES["bad_record"])

    def _read_ss_card(self) -> None:
        reader = self._shared.running.devices.ss_card
        if reader is None:
            return
        self._shared.busy = True
        self._shared.refresh()
        self._shared.worker.run(reader.read, self._on_ss_card_read, self._shared.failed)

    def _on_ss_card_read(self, read: Any) -> None:
        self._shared.busy = False
        if self._shared.session.screen is not Screen.IDENTIFY:
            return
        if read.data is None:
            log.warning(
                "social-security card read failed", extra={"status": read.status.value, "detail": read.detail}
            )
            if read.detail != "no_card":
                self._shared.refresh(SS_CARD_MESSAGES.get(read.detail, SS_CARD_MESSAGES["bad_record"]))
            else:
                self._shared.refresh()
            return
        self._identified(read.data, "social_security_card")

    # ---- codes held up to the camera ----------------------------------------------------------
    @Slot(object)
    def _on_scanned(self, result: Any) -> None:
        from kiosk.core.codes import checked_payload

        result = checked_payload(result)  # a national check character that fails: refused
        if self._e_licence_field() is not None:
            self._on_scanned_on_form(result)
            return
        shared = self._shared
        if shared.session.screen is not Screen.IDENTIFY or shared.busy or shared.services is None:
            return
        from devices.camera.qr_payloads import QrPayload
        from kiosk.core.identity import Refused, identity_from_credential

        if not isinstance(result, QrPayload):
            shared.refresh(QR_MESSAGES["unknown"])
            return
        if result.kind != "identity":
            log.info("QR code of the wrong kind at identification", extra={"kind": result.kind})
            shared.refresh(QR_MESSAGES.get(result.kind, QR_MESSAGES["unknown"]))
            return
        identity = identity_from_credential(result, shared.services.e_id_issuers)
        if isinstance(identity, Refused):
            issuer = result.fields["issuer"]
            log.warning("e-ID credential refused", extra={"reason": identity.reason, "issuer": issuer})
            shared.refresh(QR_MESSAGES["identity_problem"])
            return
        self._identified(identity, "e_id")

    def _e_licence_field(self) -> str | None:
        """The field on the form page showing now that an e-licence code fills, if any."""
        session = self._shared.session
        item = session.item
        if session.screen is not Screen.FORM or item is None:
            return None
        page = item.pages[session.page_index]
        return next((f.id for f in page.fields if f.prefill == "e_licence.credit_code"), None)

    def _on_scanned_on_form(self, result: Any) -> None:
        """An electronic business licence held up on a page asking for the credit code fills it."""
        from devices.camera.qr_payloads import QrPayload

        field = self._e_licence_field()
        if field is None:
            return
        if not isinstance(result, QrPayload) or result.kind != "e_licence":
            self._shared.refresh("请出示电子营业执照上的二维码，或直接输入统一社会信用代码。")
            return
        session = self._shared.session
        if session.answers.get(field) == result.fields["credit_code"]:
            return  # the same code, seen again while it is still held up
        log.info("credit code read from an e-licence code")
        session.set_answer(field, result.fields["credit_code"])
        self._shared.refresh("已读取电子营业执照，统一社会信用代码已填好。", good=True)

    @Slot(str)
    def _on_camera_status(self, status: str) -> None:
        if status in ("no_device", "error"):
            log.warning("camera reports %s", status)
            if self._shared.session.screen is Screen.IDENTIFY:
                self._shared.refresh("扫码暂时无法使用，请把身份证放在读卡区，或插入社保卡。")
