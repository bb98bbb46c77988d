"""人证核验 at the screen: consent, the live face compared with the card's (or the household
register's) photo, and the hall staff's check when the resident declines or the faces differ.

QML reaches it as `faceCheck`. The reference photo and the frames live in memory for this
session only; the session keeps the summary (kiosk/core/identity_check.py).
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from devices.interfaces import CameraSimulator
from kiosk.core.session import Screen
from kiosk.ui.controllers.shared import Shared
from kiosk.ui.face_flow import STEP_SECONDS
from kiosk.ui.qml_property import qml_property
from kiosk.ui.workers import PythonThreadWorker

if TYPE_CHECKING:
    from kiosk.ui.dev_dock import DevDock

log = logging.getLogger(__name__)


class FaceCheckController(QObject):
    """The face screen's state, prompts and live preview, and the staff alternative."""

    changed = Signal()

    def __init__(self, shared: Shared, dock: DevDock | None, parent: QObject | None = None) -> None:
        """`dock` (demo only) says what the simulated camera shows at the check."""
        super().__init__(parent)
        self._shared = shared
        self._dock = dock
        # dlib runs on a thread of its own that Python started (see PythonThreadWorker), apart
        # from the decisions and printing, so a comparison never holds up the journey's other work.
        self._worker = PythonThreadWorker("face")
        self._card: Any = None  # the card as read, whose photo is compared
        self._reference: Any = None  # the decoded reference photo, for this session's tries
        self._state = ""  # preparing | watching | failed, on the face screen
        self._message = ""
        self._prompts: list[str] = []
        self._tries_left = 0
        self._cancel: threading.Event | None = None
        shared.preview.updated.connect(self.changed)

    # ---- properties ---------------------------------------------------------------------------
    def _get_state(self) -> str:
        return self._state

    def _get_message(self) -> str:
        return self._message

    def _get_prompts(self) -> list:
        return list(self._prompts)

    def _get_tries_left(self) -> int:
        return self._tries_left

    def _get_step_seconds(self) -> float:
        return STEP_SECONDS

    def _get_why(self) -> str:
        return self._shared.session.staff_reason

    def _get_live(self) -> str:
        token = self._shared.preview.token()
        return f"image://capture/{token}" if token else ""

    state = qml_property(str, _get_state, notify=changed)
    message = qml_property(str, _get_message, notify=changed)
    prompts = qml_property("QVariantList", _get_prompts, notify=changed)
    triesLeft = qml_property(int, _get_tries_left, notify=changed)
    stepSeconds = qml_property(float, _get_step_seconds, constant=True)
    why = qml_property(str, _get_why, notify=changed)  # why hall staff check instead
    live = qml_property(str, _get_live, notify=changed)

    # ---- life cycle ---------------------------------------------------------------------------
    def hold_card(self, identity: Any) -> None:
        """The identity read at the identify screen: its photo is compared once the resident agrees."""
        self._card = identity

    def drop(self) -> None:
        """Stop a check under way and forget the card, its photo and the prompts."""
        if self._cancel is not None:
            self._cancel.set()
        self._card, self._state, self._message = None, "", ""
        self._prompts, self._tries_left, self._reference = [], 0, None
        self.changed.emit()

    def close(self) -> None:
        """The window is going: stop a check and wait for the face thread."""
        if self._cancel is not None:
            self._cancel.set()
        self._worker.wait()

    # ---- consent ------------------------------------------------------------------------------
    @Slot()
    def consentGiven(self) -> None:
        """The resident agreed: the face check starts (or, with nothing to compare, staff)."""
        if self._shared.session.screen is not Screen.CONSENT:
            return
        self._shared.session.consent_given()
        self._begin()

    @Slot()
    def consentDeclined(self) -> None:
        """No face comparison: the staff alternative, or the window."""
        if self._shared.session.screen is Screen.CONSENT:
            self._shared.session.consent_declined()
            self.drop()
            self._shared.refresh(self._no_match_notice(""))

    @Slot()
    def retryFace(self) -> None:
        """Another try after a failed comparison."""
        if self._shared.session.screen is Screen.FACE and self._state == "failed":
            self._begin()

    # ---- the check ----------------------------------------------------------------------------
    def _begin(self) -> None:
        """A try; the first one reads the reference photo first (off the UI thread: the card's
        chip photo, or without one the household register's from the centre)."""
        if self._reference is not None:
            self._watch()
            return
        from kiosk.ui.face_flow import PREPARING, reference_photo

        services = self._shared.services
        if services is None:
            return
        decoder, journey, session = self._photo_decoder(), services.journey, self._shared.session
        card_photo = getattr(self._card, "photo", b"") or b""

        def resolve() -> Any:
            reference = reference_photo(card_photo, decoder)
            if reference is None:
                registered = journey.register_photo(session)
                reference = reference_photo(registered or b"", decoder)
            return reference

        self._state, self._message = "preparing", PREPARING
        self._worker.run(resolve, self._on_reference, self._on_failed)
        self._shared.refresh()

    def _on_reference(self, reference: Any) -> None:
        from kiosk.ui.face_flow import NO_PHOTO

        if self._shared.session.screen is not Screen.FACE:
            return
        if reference is None:
            log.info("face check not possible: no reference photo")
            self._unavailable(NO_PHOTO)
            return
        self._reference = reference  # memory only, dropped with the session
        self._watch()

    def _unavailable(self, for_staff: str) -> None:
        self._shared.session.face_unavailable()
        self.drop()
        self._shared.refresh(self._no_match_notice(for_staff))

    def _watch(self) -> None:
        from kiosk.ui.face_flow import FACE_START, NO_CAMERA

        shared = self._shared
        services = shared.services
        camera = services.devices.camera if services else None
        if camera is None or services is None:
            log.info("face check not possible: no camera")
            self._unavailable(NO_CAMERA)
            return
        from devices.face.liveness import random_order
        from kiosk.ui.face_flow import check_face, demo_frames

        order = random_order()
        self._prompts = [c.prompt for c in order]
        self._state, self._message = "watching", FACE_START
        cancel = self._cancel = threading.Event()
        reference, threshold = self._reference, shared.config.face.match_threshold
        source = services.devices.camera_source if self._dock is not None else None
        key = self._dock.face_key(shared.session.identity) if self._dock is not None else ""
        scene = self._dock.face_scene if self._dock is not None else "holder"
        play = None
        if isinstance(source, CameraSimulator):  # the demo plays the chosen scene to the camera
            play = lambda frames: source.play(frames, loop=False)  # noqa: E731

        def work() -> Any:
            scripted = None
            if play is not None and key:
                from devices.camera import synthetic

                scripted = demo_frames(key, order, synthetic.FRAME_SIZE, scene)
            return check_face(reference, camera, order, cancel, play, scripted, threshold)

        shared.preview.start(camera, mirror=True)
        if shared.config.voice_prompts:  # the actions in the order asked, said as well as shown
            shared.voice.play(f"face_{order[0].value}_first")
        self._worker.run(work, self._on_checked, self._on_failed)
        shared.refresh()

    def _no_match_notice(self, for_staff: str) -> str:
        """What to say when the face check ends unmatched: `for_staff` when hall staff take over;
        for a resident who typed their identity, that an officer will compare the form's photo."""
        from kiosk.ui.face_flow import OFFICER_COMPARES

        return OFFICER_COMPARES if self._shared.session.screen is Screen.GUIDE else for_staff

    def _photo_decoder(self) -> Any:
        from devices.face.photo import build_photo_decoder

        config = self._shared.config
        devices = config.devices
        return build_photo_decoder(devices.id_photo_decoder, devices.id_photo_decoder_call, config.demo)

    def _on_checked(self, outcome: Any) -> None:
        session = self._shared.session
        self._shared.preview.stop()
        if outcome is None or session.screen is not Screen.FACE:
            return
        self._tries_left = session.face_checked(outcome.record, outcome.passed)
        if outcome.passed:
            self.drop()
            self._shared.refresh(outcome.message, good=True)
        elif session.screen is not Screen.FACE:  # no tries left: hall staff, or the officer
            self.drop()
            self._shared.refresh(self._no_match_notice(outcome.message))
        else:
            self._state = "failed"
            self._message = f"{outcome.message}（还可以再试{self._tries_left}次）"
            self._shared.refresh()

    def _on_failed(self, exc: Exception) -> None:
        self._shared.preview.stop()
        log.error("face check failed: %s", exc)
        if self._shared.session.screen is Screen.FACE:
            self._unavailable("现在不能人脸核验。请找大厅工作人员帮您核对身份，或到窗口办理。")

    # ---- hall staff compare the card with the person ------------------------------------------
    @Slot(str)
    def staffConfirm(self, pin: str) -> None:
        """Hall staff put their card on the reader, typed their PIN and confirm they compared the
        card with the person (as for admin mode; audited)."""
        shared = self._shared
        services, item = shared.services, shared.session.item
        if shared.session.screen is not Screen.STAFF_CHECK or services is None or item is None or shared.busy:
            return
        from kiosk.admin.gate import AdminGate
        from kiosk.admin.staff_check import confirm_by_staff

        gate = AdminGate(services.store, services.config.admin, services.devices.staff_card)
        why = shared.session.staff_reason
        shared.busy = True
        shared.refresh()
        shared.worker.run(lambda: confirm_by_staff(gate, pin, item.id, why), self._on_staff, shared.failed)

    def _on_staff(self, outcome: Any) -> None:
        self._shared.busy = False
        if self._shared.session.screen is not Screen.STAFF_CHECK:
            return
        from kiosk.core.identity import Refused

        if isinstance(outcome, Refused):
            self._shared.refresh(outcome.message)
        else:
            self._shared.session.staff_confirmed(outcome)
            self._shared.refresh("工作人员已核对身份。", good=True)
