"""Fields answered on a screen of their own: a page or the face taken with the camera, a
signature on the pad, an address picked from the division's townships and villages.

QML reaches it as `capture`. A picture waits here for the resident to confirm it; a kept one
goes to the session (memory only, sent with the case).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.core.session import Screen
from kiosk.ui.capture_flow import REVIEW_PROMPT, messages_for
from kiosk.ui.controllers.shared import Shared, plain
from kiosk.ui.qml_property import qml_property

log = logging.getLogger(__name__)


class CaptureController(QObject):
    """The camera capture's sub-states, the signature pad and the address picker."""

    changed = Signal()
    _problem = Signal(str)  # what the camera sees wrong now, from the worker, queued

    def __init__(self, shared: Shared, parent: QObject | None = None) -> None:
        """Works on the session's detour field (`Session.detour_field`)."""
        super().__init__(parent)
        self._shared = shared
        self._state = ""  # watching | review | failed | signing, on the capture and sign screens
        self._message = ""
        self._taken: tuple[str, str, bytes] | None = None  # token, kind, JPEG to confirm
        self._cancel: threading.Event | None = None
        self._problem.connect(self._on_problem)
        shared.preview.updated.connect(self.changed)

    # ---- properties ---------------------------------------------------------------------------
    def _field_attribute(self, name: str) -> str:
        session = self._shared.session
        field, item = session.detour_field, session.item
        value = getattr(item.field(field), name) if item is not None and field else ""
        return str(value or "")

    def _get_state(self) -> str:
        return self._state

    def _get_message(self) -> str:
        return self._message

    def _get_label(self) -> str:
        return self._field_attribute("label")

    def _get_kind(self) -> str:
        return self._field_attribute("type")

    def _get_statement(self) -> str:
        return self._field_attribute("statement")

    def _get_image(self) -> str:
        return f"image://capture/{self._taken[0]}" if self._taken else ""

    def _get_live(self) -> str:
        token = self._shared.preview.token()
        return f"image://capture/{token}" if token else ""

    def _get_division_name(self) -> str:
        from forms.divisions import known_divisions

        division = known_divisions().get(self._shared.config.division_code)
        return division.name if division else ""

    def _get_townships(self) -> list:
        from forms.places import townships

        code = self._shared.config.division_code
        return [{"name": t.name, "villages": list(t.villages)} for t in townships(code)]

    state = qml_property(str, _get_state, notify=changed)
    message = qml_property(str, _get_message, notify=changed)
    label = qml_property(str, _get_label, notify=changed)
    kind = qml_property(str, _get_kind, notify=changed)  # document | face | signature | text
    statement = qml_property(str, _get_statement, notify=changed)
    image = qml_property(str, _get_image, notify=changed)  # the picture to confirm
    live = qml_property(str, _get_live, notify=changed)  # the camera's view while it looks
    divisionName = qml_property(str, _get_division_name, constant=True)
    townships = qml_property("QVariantList", _get_townships, constant=True)

    def picture(self, token: str) -> bytes | None:
        """The JPEG of a picture of this session (being confirmed, or kept), for the screens."""
        if self._taken and self._taken[0] == token:
            return self._taken[2]
        if token.startswith("live-"):
            return self._shared.preview.jpeg()
        kept = self._shared.session.captures.get(token)
        return kept[1] if kept else None

    def camera_kind(self) -> str:
        """What the camera is taking on the capture screen: 'face' or 'document'."""
        return self._get_kind() or "document"

    def reset(self) -> None:
        """Stop the camera and forget a picture not yet confirmed (home)."""
        if self._cancel is not None:
            self._cancel.set()
        self._shared.preview.stop()
        self._taken = None
        self._set("", "")

    def _set(self, state: str, message: str) -> None:
        self._state, self._message = state, message
        self.changed.emit()

    # ---- the camera ---------------------------------------------------------------------------
    @Slot(str)
    def captureField(self, field_id: str) -> None:
        """Take a page of material, or the resident's face, with the camera for a picture field."""
        if self._shared.field_type(field_id) not in ("document", "face"):
            return
        self._shared.session.start_capture(field_id)
        self._shared.refresh()
        self._begin()

    def _begin(self) -> None:
        services = self._shared.services
        camera = services.devices.camera if services is not None else None
        kind = self.camera_kind()
        messages = messages_for(kind)
        self._taken = None
        if camera is None:
            self._set("failed", messages["no_device"])
            return
        from kiosk.ui.capture_flow import take_picture

        cancel = self._cancel = threading.Event()
        self._shared.preview.start(camera, mirror=kind == "face")
        self._set("watching", messages["start"])
        self._shared.worker.run(
            lambda: take_picture(camera, kind, self._problem.emit, cancel),
            self._on_captured,
            self._shared.failed,
        )

    @Slot(str)
    def _on_problem(self, problem: str) -> None:
        messages = messages_for(self.camera_kind())
        if self._state == "watching" and problem in messages:
            self._set("watching", messages[problem])

    def _on_captured(self, outcome: tuple[Any, tuple[str, str, bytes] | None]) -> None:
        taken, picture = outcome
        self._shared.preview.stop()
        if self._shared.session.screen is not Screen.CAPTURE or taken.problem == "cancelled":
            return
        kind = self.camera_kind()
        if picture is None:
            log.info("capture gave no picture", extra={"problem": taken.problem, "kind": kind})
            messages = messages_for(kind)
            self._set("failed", messages.get(taken.problem, messages["timeout"]))
            return
        self._taken = picture
        self._set("review", REVIEW_PROMPT.get(kind, REVIEW_PROMPT["document"]))

    @Slot()
    def useCapture(self) -> None:
        """The picture is good: it answers the field."""
        if self._shared.session.screen is Screen.CAPTURE and self._taken is not None:
            token, kind, data = self._taken
            self._shared.session.keep_capture(token, kind, data)
            self._taken = None
            self._set("", "")
            self._shared.refresh()

    @Slot()
    def retakeCapture(self) -> None:
        """Take the picture again."""
        if self._shared.session.screen is Screen.CAPTURE:
            self._begin()

    @Slot()
    def cancelCapture(self) -> None:
        """Nothing taken, signed or picked now: back to the form."""
        if self._shared.session.screen in (Screen.CAPTURE, Screen.SIGN, Screen.ADDRESS):
            self._shared.session.cancel_capture()
        self.reset()
        self._shared.refresh()

    # ---- the signature pad --------------------------------------------------------------------
    @Slot(str)
    def signField(self, field_id: str) -> None:
        """Open the signature pad for a signature field."""
        if self._shared.field_type(field_id) == "signature":
            self._shared.session.start_capture(field_id, Screen.SIGN)
            self._set("signing", "请在方框里用手指写下您的姓名。")
            self._shared.refresh()

    @Slot("QVariant", float, float)
    def keepSignature(self, strokes: Any, width: float, height: float) -> None:
        """The resident pressed 确认签名: keep the drawing, or ask for more ink."""
        if self._shared.session.screen is not Screen.SIGN:
            return
        from kiosk.ui.signatures import clean_strokes, render_signature

        drawn = clean_strokes(plain(strokes))  # read from QML here; drawn into a PNG on the worker
        self._shared.worker.run(
            lambda: render_signature(drawn, width, height), self._on_signature, self._shared.failed
        )

    def _on_signature(self, png: bytes | None) -> None:
        from kiosk.ui.capture_flow import picture_of
        from kiosk.ui.signatures import TOO_LITTLE

        if self._shared.session.screen is not Screen.SIGN:
            return  # the resident left the pad meanwhile
        if png is None:
            log.info("signature refused: too little ink")
            self._set("signing", TOO_LITTLE)
            return
        token, kind, data = picture_of("signature", png)
        self._shared.session.keep_capture(token, kind, data)
        self._set("", "")
        self._shared.refresh()

    # ---- the address picker -------------------------------------------------------------------
    @Slot(str)
    def pickAddress(self, field_id: str) -> None:
        """Open the address picker for an address field."""
        item = self._shared.session.item
        if (
            self._shared.field_type(field_id) == "text"
            and item is not None
            and item.field(field_id).input == "address"
        ):
            self._shared.session.start_capture(field_id, Screen.ADDRESS)
            self._shared.refresh()

    @Slot(str, str, str)
    def useAddress(self, township: str, village: str, house: str) -> None:
        """The picked township and village with the typed house number answer the field."""
        from forms.places import compose_address, townships

        shared = self._shared
        if shared.session.screen is not Screen.ADDRESS or shared.services is None:
            return
        known = {t.name: t.villages for t in townships(shared.config.division_code)}
        if village not in known.get(township, ()):
            log.warning("address picker sent a place not in the list")
            return
        if not house.strip():
            shared.refresh("请输入门牌号，例如“125”。")
            return
        division = shared.services.journey.division.name
        shared.session.address_picked(compose_address(division, township, village, house))
        shared.refresh()
