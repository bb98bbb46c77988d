"""The session controller QML binds to: properties out, slots in; the work runs in workers.

Over 500 lines (about 1,300) because identity, the face check, capture, form, issuing and
证照联办 are still one controller (the dev dock and the messages are out already); issue 19
splits it into controllers by job, which is the next thing to do before this file grows again."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from devices.id_card import IdCardData, IdCardRead, IdCardStatus
from kiosk.config import KioskConfig
from kiosk.core.session import Screen, Session
from kiosk.ui import viewmodels
from kiosk.ui.capture_flow import REVIEW_PROMPT, messages_for
from kiosk.ui.dev_dock import DevDock
from kiosk.ui.face_flow import STEP_SECONDS
from kiosk.ui.identify_sources import IdentifySources
from kiosk.ui.messages import CARD_MESSAGES, QR_MESSAGES, READ_FAILURE_MESSAGES, SS_CARD_MESSAGES
from kiosk.ui.qml_property import qml_property
from kiosk.ui.voice_player import VoicePlayer
from kiosk.ui.workers import PythonThreadWorker, Worker

if TYPE_CHECKING:  # the services stack loads after the first frame (see finish_start)
    from forms.catalogue import ServiceItem
    from forms.rules import Decision
    from kiosk.core.cases import CaseRecord
    from kiosk.core.follow_on import FollowOn
    from kiosk.core.journey import IssueResult
    from kiosk.services import KioskServices

log = logging.getLogger(__name__)

def plain(value: Any) -> Any:
    """A value from QML as plain Python: a JS array or object may arrive as a QJSValue."""
    to_variant = getattr(value, "toVariant", None)
    return to_variant() if callable(to_variant) else value


class SessionController(QObject):
    """Exposes the resident session to QML and runs its work off the UI thread."""

    changed = Signal()
    formChanged = Signal()  # separate, so typing does not rebuild the fields and lose focus
    idleChanged = Signal()
    elderChanged = Signal()
    networkChanged = Signal()
    captureChanged = Signal()
    faceChanged = Signal()  # 人证核验: the face screen's state, prompts and live preview
    sessionEnded = Signal()  # home again, everything of the resident forgotten
    startFailed = Signal(str)  # the store or the devices could not start (the reason, for the log)
    _cardStatus = Signal(str)
    _serviceFault = Signal(str)  # the resident's sentence while out of service, "" when in service
    _syncOnline = Signal(bool)
    _captureProblem = Signal(str)

    def __init__(
        self, config: KioskConfig, start: Callable[[], KioskServices], parent: QObject | None = None
    ) -> None:
        """`start` builds the services (store, devices, journey); `finish_start` runs it."""
        super().__init__(parent)
        self.config = config
        self._start = start
        self.services: KioskServices | None = None
        self.session = Session(
            config.timeouts.idle_seconds, config.timeouts.countdown_seconds, face_checks=True
        )
        self.worker = Worker()
        # dlib runs on a thread of its own that Python started (see PythonThreadWorker), apart
        # from the decisions and printing, so a comparison never holds up the journey's other work.
        self._face_worker = PythonThreadWorker("face")
        self._busy = False
        self._case: CaseRecord | None = None
        self._notice = ""
        self._notice_good = False
        self._idle_left = self.session.idle().seconds_left  # what every tick says while nobody waits
        self._counting_down = False
        self._residents: dict[str, Any] = {}
        self._warned: set[str] = set()  # fields whose warning the resident has seen
        self._warnings: dict[str, str] = {}
        self._elder = False
        self.voice = VoicePlayer(parent=self)
        self._announced = ""  # the screen whose prompt was said last
        self._case_rows: list[dict[str, Any]] = []  # 办件查询's answer, while it shows
        self._capture_state = ""  # watching | review | failed, on the capture screen
        self._capture_message = ""
        self._capture_taken: tuple[str, str, bytes] | None = None  # token, kind, JPEG to confirm
        self._capture_cancel: threading.Event | None = None
        self._manual_errors: dict[str, str] = {}  # the manual-entry screen's problems, by field
        from kiosk.ui.live_preview import LivePreview

        self._preview = LivePreview(self)
        # The demo's dev dock (演示) drives the simulators; a real terminal has none.
        self.dock: DevDock | None = DevDock(self) if config.demo else None
        self._preview.updated.connect(self.captureChanged)
        self._preview.updated.connect(self.faceChanged)
        # 人证核验 (memory only): the card as read, which demo resident it is, the try under way
        self._face_card: Any = None
        self._face_reference: Any = None  # the decoded reference photo, for this session's tries
        self._face_state = ""  # watching | failed, on the face screen
        self._face_message = ""
        self._face_prompts: list[str] = []
        self._face_left = 0
        self._face_cancel: threading.Event | None = None
        self._network = "checking"  # until the sync worker's first probe of the centre
        self._cardStatus.connect(self._on_card_status)
        self._out_of_service = ""
        self._serviceFault.connect(self._on_service_fault)
        self._syncOnline.connect(self._on_sync_online)
        self._captureProblem.connect(self._on_capture_problem)
        self._sources: IdentifySources | None = None
        self._scanning = False
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(1000)
        self._idle_timer.timeout.connect(self._tick)
        self._idle_timer.start()

    @property
    def _running(self) -> KioskServices:
        """The services, for what only a started kiosk offers (the start button waits for them)."""
        if self.services is None:
            raise RuntimeError("the kiosk has not finished starting")
        return self.services

    @Slot()
    def finish_start(self) -> None:
        """Open the store and devices in the background; the home screen is already showing."""
        if self.services is None:
            self.worker.run(self._start, self._on_started, self._on_start_failed)

    def _on_started(self, services: KioskServices) -> None:
        self.services = services
        if self.config.demo:
            from devices.demo_residents import demo_residents

            self._residents = demo_residents()
        services.devices.id_card.on_status_change(lambda status: self._cardStatus.emit(status.value))
        # Disk or store faults found while running close the door to new sessions (any thread).
        services.availability.on_change(lambda fault: self._serviceFault.emit(fault.screen if fault else ""))
        fault = services.out_of_service()
        self._out_of_service = fault.screen if fault else ""
        self._sources = IdentifySources(services.devices, self)
        self._sources.ssCardStatus.connect(self._on_ss_card_status)
        self._sources.scanned.connect(self._on_scanned)
        self._sources.cameraStatus.connect(self._on_camera_status)
        self._emit()
        # The printing libraries load now, so the first licence prints as fast as the next.
        self.worker.run(services.journey.warm_up, lambda _: None, lambda _: None)
        from kiosk.ui.network_watch import NetworkWatch

        sync = services.start_sync()
        sync.on_status(lambda status: self._syncOnline.emit(status.online))
        self._network_watch = NetworkWatch(sync.sync_now, self)

    def _on_start_failed(self, exc: Exception) -> None:
        log.critical("the kiosk could not start: %s", exc)
        self.startFailed.emit(f"{type(exc).__name__}: {exc}")
        # A refused start (a lost key, a foreign store) carries its own sentence for the screen.
        self._out_of_service = str(getattr(exc, "screen", "") or "终端暂时无法使用，请找工作人员处理。")
        self._emit(self._out_of_service)

    @Slot(str)
    def _on_service_fault(self, sentence: str) -> None:
        self._out_of_service = sentence
        self._emit()

    def _get_out_of_service(self) -> str:
        return self._out_of_service

    def shutdown(self) -> None:
        """Stop the timer and the camera, and wait for background work before the window goes away."""
        self._idle_timer.stop()
        self._preview.stop()
        if self._sources is not None:
            self._sources.close()
            self._scanning = False
        if self._face_cancel is not None:
            self._face_cancel.set()
        self.worker.wait()
        self._face_worker.wait()

    # ---- properties -------------------------------------------------------------------------
    def _get_screen(self) -> str:
        return self.session.screen.value

    def _get_ready(self) -> bool:
        return self.services is not None

    def _get_hall(self) -> str:
        return self.config.hall_name

    def _get_demo(self) -> bool:
        return self.config.demo

    def _get_items(self) -> list:
        return viewmodels.item_tiles(self._running.catalogue) if self.services else []

    def _get_item_name(self) -> str:
        return self.session.item.name if self.session.item else ""

    def _get_guide(self) -> dict:
        return viewmodels.guide(self.session.item)

    def _get_page_title(self) -> str:
        item = self.session.item
        return (
            item.pages[self.session.page_index].title if item and self.session.screen is Screen.FORM else ""
        )

    def _get_page_number(self) -> str:
        item = self.session.item
        return f"{self.session.page_index + 1}/{len(item.pages)}" if item else ""

    def _get_fields(self) -> list:
        if self.services is None or self.session.screen is not Screen.FORM:
            return []
        journey = self._running.journey
        shown = {f.id for f in journey.visible_fields(self.session)}
        return viewmodels.page_fields(self.session, shown, journey.reference.scope_entries(), self._warnings)

    def _get_review(self) -> list:
        if self.services is None or self.session.item is None or self.session.identity is None:
            return []
        journey = self._running.journey
        shown = {f.id for f in journey.visible_fields(self.session)}
        return viewmodels.review_rows(self.session, shown, journey.reference.scope_entries())

    def _get_decision(self) -> dict:
        return viewmodels.decision_view(
            self.session.decision,
            self.session.case_number,
            self._follow_ons(),
            self._guide_item() is not None,
        )

    def _follow_ons(self) -> list[FollowOn]:
        """The permits and filings the decided case still needs, and what this terminal offers."""
        decision, item = self.session.decision, self.session.item
        if decision is None or item is None or self.services is None or not decision.permits:
            return []
        from kiosk.core.follow_on import follow_ons

        case = self._case
        code = str(case.summary.get("credit_code") or "") if case is not None else ""
        outcome = case.outcome if case is not None else decision.outcome
        return follow_ons(decision.permits, item, self._running.catalogue, outcome, code)

    def _guide_item(self) -> ServiceItem | None:
        """The guide-printing item (办事指南) of the catalogue in force, if it prints this item's guide."""
        item = self.session.item
        if item is None or self.services is None:
            return None
        from kiosk.core.follow_on import guide_item_for

        return guide_item_for(item, self._running.catalogue)

    def _get_result(self) -> dict:
        return dict(self.session.result)

    def _get_busy(self) -> bool:
        return self._busy

    def _get_notice(self) -> str:
        return self._notice

    def _get_notice_good(self) -> bool:
        return self._notice_good

    def _get_residents(self) -> list:
        return [{"key": k, "label": label} for k, (label, _) in self._residents.items()]

    def _get_idle_left(self) -> int:
        return self._idle_left

    def _get_counting_down(self) -> bool:
        return self._counting_down

    def _get_elder(self) -> bool:
        return self._elder

    def _get_capture(self) -> dict:
        field = self.session.detour_field
        item = self.session.item
        return {
            "state": self._capture_state,
            "message": self._capture_message,
            "label": item.field(field).label if item is not None and field else "",
            "kind": item.field(field).type if item is not None and field else "",
            "statement": item.field(field).statement if item is not None and field else "",
            "image": f"image://capture/{self._capture_taken[0]}" if self._capture_taken else "",
            "live": f"image://capture/{token}" if (token := self._preview.token()) else "",
        }

    def _get_division_name(self) -> str:
        from forms.divisions import known_divisions

        division = known_divisions().get(self.config.division_code)
        return division.name if division else ""

    def _get_manual_errors(self) -> dict:
        return dict(self._manual_errors)

    def _get_townships(self) -> list:
        from forms.places import townships

        return [{"name": t.name, "villages": list(t.villages)} for t in townships(self.config.division_code)]

    def _get_identify_ways(self) -> list:
        item = self.session.item
        return list(item.identify_with) if item is not None else []

    def _get_can_type_identity(self) -> bool:
        item = self.session.item
        return item is not None and "manual_with_face" in item.identify_with

    def picture(self, token: str) -> bytes | None:
        """The JPEG of a picture of this session (being confirmed, or kept), for the screens."""
        if self._capture_taken and self._capture_taken[0] == token:
            return self._capture_taken[2]
        if token.startswith("live-"):
            return self._preview.jpeg()
        kept = self.session.captures.get(token)
        return kept[1] if kept else None

    def _get_case_rows(self) -> list:
        return list(self._case_rows)

    def _get_rating_levels(self) -> list:
        from kiosk.core.ratings import rating_levels

        return [{"value": r.value, "label": r.label, "reasons": list(r.reasons)} for r in rating_levels()]

    def _get_network(self) -> str:
        return self._network

    screen = qml_property(str, _get_screen, notify=changed)
    ready = qml_property(bool, _get_ready, notify=changed)
    hallName = qml_property(str, _get_hall, constant=True)
    demoMode = qml_property(bool, _get_demo, constant=True)
    items = qml_property("QVariantList", _get_items, notify=changed)
    itemName = qml_property(str, _get_item_name, notify=changed)
    guide = qml_property("QVariantMap", _get_guide, notify=changed)
    pageTitle = qml_property(str, _get_page_title, notify=formChanged)
    pageNumber = qml_property(str, _get_page_number, notify=formChanged)
    fields = qml_property("QVariantList", _get_fields, notify=formChanged)
    review = qml_property("QVariantList", _get_review, notify=changed)
    decision = qml_property("QVariantMap", _get_decision, notify=changed)
    result = qml_property("QVariantMap", _get_result, notify=changed)
    busy = qml_property(bool, _get_busy, notify=changed)
    notice = qml_property(str, _get_notice, notify=changed)
    noticeGood = qml_property(bool, _get_notice_good, notify=changed)  # news, not a problem
    demoResidents = qml_property("QVariantList", _get_residents, notify=changed)
    idleSecondsLeft = qml_property(int, _get_idle_left, notify=idleChanged)
    countingDown = qml_property(bool, _get_counting_down, notify=idleChanged)
    elderMode = qml_property(bool, _get_elder, notify=elderChanged)
    ratingLevels = qml_property("QVariantList", _get_rating_levels, constant=True)
    caseRows = qml_property("QVariantList", _get_case_rows, notify=changed)
    capture = qml_property("QVariantMap", _get_capture, notify=captureChanged)

    def _get_face(self) -> dict:
        return {
            "state": self._face_state,
            "message": self._face_message,
            "prompts": list(self._face_prompts),
            "triesLeft": self._face_left,
            "stepSeconds": STEP_SECONDS,
            "why": self.session.staff_reason,
            "live": f"image://capture/{token}" if (token := self._preview.token()) else "",
        }

    face = qml_property("QVariantMap", _get_face, notify=faceChanged)

    def _get_typed_identity(self) -> bool:
        return self.session.typed_identity()

    # 人证核验 compares with the household register's photo, not a card's, for a typed identity
    typedIdentity = qml_property(bool, _get_typed_identity, notify=changed)
    networkState = qml_property(str, _get_network, notify=networkChanged)  # checking | online | offline
    manualErrors = qml_property("QVariantMap", _get_manual_errors, notify=changed)
    townships = qml_property("QVariantList", _get_townships, constant=True)
    divisionName = qml_property(str, _get_division_name, constant=True)
    canTypeIdentity = qml_property(bool, _get_can_type_identity, notify=changed)
    outOfService = qml_property(str, _get_out_of_service, notify=changed)  # "" while in service
    identifyWays = qml_property("QVariantList", _get_identify_ways, notify=changed)

    def _emit(self, notice: str = "", good: bool = False) -> None:
        """Tell QML that things changed, with a notice for the resident (a problem unless `good`)."""
        self._notice, self._notice_good = notice, good
        self._follow_camera()
        self._announce()
        self.changed.emit()
        self.formChanged.emit()

    def _announce(self) -> None:
        """Say the prompt of a screen as it appears (once, not at every change on it)."""
        screen = self.session.screen.value
        if screen == "capture" and self._capture_kind() == "face":
            screen = "capture_face"  # the same screen, with other words for a face
        if screen == "face":
            return  # _watch_face says the actions in the order asked (face_blink_first, …)
        if screen != self._announced:
            self._announced = screen
            if self.config.voice_prompts:
                self.voice.play(screen)

    def _follow_camera(self) -> None:
        """Scan for e-ID codes exactly while the identify screen shows; the camera is off otherwise."""
        sources = self._sources
        if sources is None:  # not started yet: nothing scans
            return
        wanted = self.session.screen is Screen.IDENTIFY or self._e_licence_field() is not None
        if wanted and not self._scanning:
            sources.start_scanning()
        elif self._scanning and not wanted:
            sources.stop_scanning()
        self._scanning = wanted

    def _e_licence_field(self) -> str | None:
        """The field on the form page showing now that an e-licence code fills, if any."""
        item = self.session.item
        if self.session.screen is not Screen.FORM or item is None:
            return None
        page = item.pages[self.session.page_index]
        return next((f.id for f in page.fields if f.prefill == "e_licence.credit_code"), None)

    # ---- resident actions ---------------------------------------------------------------------
    def start_assisting(self, staff_id: str, name: str) -> None:
        """帮办: a staff member helps this resident; their id goes on the case (until home)."""
        self.session.assisted_by, self.session.assistant_name = staff_id, name
        log.info("assisted session", extra={"staff": staff_id})
        self._emit()

    def _get_assisted_by(self) -> str:
        return self.session.assistant_name

    assistedBy = qml_property(str, _get_assisted_by, notify=changed)  # the helping staff member's name

    @Slot()
    def toggleElder(self) -> None:
        """Elder mode (长辈模式) on or off: larger text and targets, high contrast."""
        self._elder = not self._elder
        log.info("elder mode", extra={"on": self._elder, "screen": self.session.screen.value})
        self.elderChanged.emit()

    @Slot(bool)
    def _on_sync_online(self, online: bool) -> None:
        state = "online" if online else "offline"
        if state != self._network:
            log.info("network state for residents", extra={"state": state})
            self._network = state
            self.networkChanged.emit()

    @Slot()
    def touch(self) -> None:
        """Any touch on the screen restarts the idle timer."""
        self.session.touch()
        if self._counting_down:
            self._counting_down = False
            self.idleChanged.emit()

    @Slot()
    def start(self) -> None:
        """Home → items (once the services are up, and while the terminal is in service)."""
        if self.services is None:
            return
        fault = self._running.out_of_service()
        if fault is not None:  # no session can be kept now: say so before anyone starts typing
            self._out_of_service = fault.screen
            self._emit()
            return
        self.session.start()
        self._emit()

    @Slot(str)
    def chooseItem(self, item_id: str) -> None:
        """The resident chose an item; a card already on the reader is read at once."""
        self.session.choose_item(self._running.catalogue[item_id])
        self._emit()
        if self.session.screen is not Screen.IDENTIFY:  # an item that needs nobody identified
            return
        if self._running.devices.id_card.status() is IdCardStatus.CARD_PRESENT:
            self._read_card()
        elif self._ss_card_waiting():
            self._read_ss_card()

    @Slot()
    def acceptGuide(self) -> None:
        """Guide read: start the form."""
        self.session.accept_guide()
        self._emit()

    @Slot(str, "QVariant")
    def setAnswer(self, field_id: str, value: Any) -> None:
        """Store an answer typed or picked in QML."""
        if self.session.screen is not Screen.FORM or self.session.item is None:
            return
        value = plain(value)
        if isinstance(value, list):
            value = [str(v) for v in value]
        self.session.set_answer(field_id, value)
        # A pick can show or hide other fields; typing never does (and must keep the focus).
        if self.session.item.field(field_id).type != "text":
            self.formChanged.emit()

    @Slot(str)
    def useSuggestion(self, field_id: str) -> None:
        """The resident tapped the card's address offered for an address field: it is the answer."""
        if self.session.screen is Screen.FORM and field_id in self.session.suggestions:
            self.session.use_suggestion(field_id)
            self._emit()

    @Slot()
    def nextPage(self) -> None:
        """Check the page and move on, or show what to fix.

        A warning (never blocking) holds the page once, so the resident sees it; the next
        press goes on.
        """
        journey = self._running.journey
        problems = journey.page_problems(self.session)
        fresh = {k: v for k, v in journey.page_warnings(self.session).items() if k not in self._warned}
        if not problems and fresh:
            self._warned |= set(fresh)
            self._warnings = fresh
            self._emit("请再核对一下提示的内容；确认无误请再点“下一步”。")
            return
        self._warnings = {}
        ok = self.session.next_page(problems, journey.neighbour_page(self.session, 1))
        self._emit("" if ok else "请按提示修改标红的内容。")

    @Slot()
    def back(self) -> None:
        """One step back."""
        previous = None
        if self.session.screen is Screen.FORM and self.services is not None:
            previous = self._running.journey.neighbour_page(self.session, -1)
        if self.session.screen in (Screen.CONSENT, Screen.FACE, Screen.STAFF_CHECK):
            self._drop_face()
            self._preview.stop()
        self.session.back(previous)
        self._emit()

    def _drop_face(self) -> None:
        """Stop a face check under way and forget the card photo and prompts."""
        if self._face_cancel is not None:
            self._face_cancel.set()
        self._face_card, self._face_state, self._face_message = None, "", ""
        self._face_prompts, self._face_left, self._face_reference = [], 0, None

    @Slot()
    def submit(self) -> None:
        """Review confirmed: decide and, unless something needs fixing, commit the case (a query
        item instead lists the resident's cases)."""
        self.session.submit()
        self._busy = True
        self._emit()
        if self.session.item is not None and self.session.item.kind == "query":
            query = self._running.journey.query_cases
            self.worker.run(lambda: query(self.session), self._on_queried, self._on_decision_failed)
            return
        self.worker.run(self._decide_and_commit, self._on_decided, self._on_decision_failed)

    def _on_queried(self, outcome: tuple[Decision, list]) -> None:
        decision, found = outcome
        self._busy = False
        if decision.outcome != "approved":  # a case number not found: back to the field
            self.session.decided(decision, None)
            self._emit()
            return
        log.info("case status query answered", extra={"cases": len(found)})
        self._case_rows = [
            {
                "id": s.case_id,
                "number": s.number,
                "itemName": s.item_name,
                "decidedOn": s.decided_on,
                "state": s.state,
                "nextStep": s.next_step,
                "printable": s.printable,
            }
            for s in found
        ]
        self.session.show_cases()
        self._emit()

    @Slot(str)
    def printCase(self, case_id: str) -> None:
        """自助打证: print one of the listed cases (only one listed as printable for this resident)."""
        if self.session.screen is not Screen.CASES or self.services is None:
            return
        if not any(row["id"] == case_id and row["printable"] for row in self._case_rows):
            log.warning("print refused: not a printable case of this resident")
            return
        case = self._running.cases.get(case_id)
        if case is None:
            return
        self._case = case
        self.session.print_case()
        self._busy = True
        self._emit()
        self.worker.run(lambda: self._running.journey.issue(case), self._on_issued, self._on_failure)

    def _decide_and_commit(self) -> tuple[Decision, CaseRecord | None]:
        journey = self._running.journey
        decision = journey.decide(self.session)
        if decision.outcome == "needs_fixing":
            return decision, None
        case = journey.commit(self.session, decision)
        return replace(decision, outcome=case.outcome), case

    def _on_decided(self, outcome: tuple[Decision, CaseRecord | None]) -> None:
        decision, case = outcome
        self._busy = False
        self._case = case
        self.session.decided(decision, case.number if case else None)
        self._emit()

    def _on_decision_failed(self, exc: Exception) -> None:
        self._busy = False
        log.error("decision failed: %s", exc)
        if self.session.screen is Screen.DECIDING:
            self.session.decision_failed()
        self._emit("系统暂时无法完成审核，您填写的内容已保留。请再点一次“确认提交”，或找工作人员帮助。")

    # ---- fields answered on their own screen: camera, signature pad, address picker ----------
    def _field_type(self, field_id: str) -> str:
        item = self.session.item
        if self.session.screen is not Screen.FORM or item is None:
            return ""
        return next((f.type for f in item.fields if f.id == field_id), "")

    @Slot(str)
    def captureField(self, field_id: str) -> None:
        """Take a page of material, or the resident's face, with the camera for a picture field."""
        if self._field_type(field_id) not in ("document", "face"):
            return
        self.session.start_capture(field_id)
        self._emit()
        self._begin_capture()

    def _capture_kind(self) -> str:
        field = self.session.detour_field
        return self.session.item.field(field).type if field and self.session.item else "document"

    def _begin_capture(self) -> None:
        camera = self._running.devices.camera if self.services else None
        messages = messages_for(self._capture_kind())
        self._capture_taken = None
        if camera is None:
            self._set_capture("failed", messages["no_device"])
            return
        from kiosk.ui.capture_flow import take_picture

        cancel = self._capture_cancel = threading.Event()
        kind = self._capture_kind()
        self._preview.start(camera, mirror=kind == "face")
        self._set_capture("watching", messages["start"])
        self.worker.run(
            lambda: take_picture(camera, kind, self._captureProblem.emit, cancel),
            self._on_captured,
            self._on_failure,
        )

    def _set_capture(self, state: str, message: str) -> None:
        self._capture_state, self._capture_message = state, message
        self.captureChanged.emit()

    @Slot(str)
    def _on_capture_problem(self, problem: str) -> None:
        messages = messages_for(self._capture_kind())
        if self._capture_state == "watching" and problem in messages:
            self._set_capture("watching", messages[problem])

    def _on_captured(self, outcome: tuple[Any, tuple[str, str, bytes] | None]) -> None:
        taken, picture = outcome
        self._preview.stop()
        if self.session.screen is not Screen.CAPTURE or taken.problem == "cancelled":
            return
        kind = self._capture_kind()
        if picture is None:
            log.info("capture gave no picture", extra={"problem": taken.problem, "kind": kind})
            messages = messages_for(kind)
            self._set_capture("failed", messages.get(taken.problem, messages["timeout"]))
            return
        self._capture_taken = picture
        self._set_capture("review", REVIEW_PROMPT.get(kind, REVIEW_PROMPT["document"]))

    @Slot()
    def useCapture(self) -> None:
        """The picture is good: it answers the field."""
        if self.session.screen is Screen.CAPTURE and self._capture_taken is not None:
            token, kind, data = self._capture_taken
            self.session.keep_capture(token, kind, data)
            self._capture_taken = None
            self._set_capture("", "")
            self._emit()

    @Slot()
    def retakeCapture(self) -> None:
        """Take the picture again."""
        if self.session.screen is Screen.CAPTURE:
            self._begin_capture()

    @Slot()
    def cancelCapture(self) -> None:
        """Nothing taken, signed or picked now: back to the form."""
        if self._capture_cancel is not None:
            self._capture_cancel.set()
        self._preview.stop()
        if self.session.screen in (Screen.CAPTURE, Screen.SIGN, Screen.ADDRESS):
            self.session.cancel_capture()
        self._capture_taken = None
        self._set_capture("", "")
        self._emit()

    @Slot(str)
    def signField(self, field_id: str) -> None:
        """Open the signature pad for a signature field."""
        if self._field_type(field_id) == "signature":
            self.session.start_capture(field_id, Screen.SIGN)
            self._set_capture("signing", "请在方框里用手指写下您的姓名。")
            self._emit()

    @Slot("QVariant", float, float)
    def keepSignature(self, strokes: Any, width: float, height: float) -> None:
        """The resident pressed 确认签名: keep the drawing, or ask for more ink."""
        if self.session.screen is not Screen.SIGN:
            return
        from kiosk.ui.signatures import clean_strokes, render_signature

        drawn = clean_strokes(plain(strokes))  # read from QML here; drawn into a PNG on the worker
        self.worker.run(lambda: render_signature(drawn, width, height), self._on_signature, self._on_failure)

    def _on_signature(self, png: bytes | None) -> None:
        from kiosk.ui.capture_flow import picture_of
        from kiosk.ui.signatures import TOO_LITTLE

        if self.session.screen is not Screen.SIGN:
            return  # the resident left the pad meanwhile
        if png is None:
            log.info("signature refused: too little ink")
            self._set_capture("signing", TOO_LITTLE)
            return
        token, kind, data = picture_of("signature", png)
        self.session.keep_capture(token, kind, data)
        self._set_capture("", "")
        self._emit()

    @Slot(str)
    def pickAddress(self, field_id: str) -> None:
        """Open the address picker for an address field."""
        item = self.session.item
        if (
            self._field_type(field_id) == "text"
            and item is not None
            and item.field(field_id).input == "address"
        ):
            self.session.start_capture(field_id, Screen.ADDRESS)
            self._emit()

    @Slot(str, str, str)
    def useAddress(self, township: str, village: str, house: str) -> None:
        """The picked township and village with the typed house number answer the field."""
        from forms.places import compose_address, townships

        if self.session.screen is not Screen.ADDRESS or self.services is None:
            return
        known = {t.name: t.villages for t in townships(self.config.division_code)}
        if village not in known.get(township, ()):
            log.warning("address picker sent a place not in the list")
            return
        if not house.strip():
            self._emit("请输入门牌号，例如“125”。")
            return
        division = self._running.journey.division.name
        self.session.address_picked(compose_address(division, township, village, house))
        self._emit()

    @Slot(str)
    def fix(self, field_id: str) -> None:
        """From a remedy back to the field to change."""
        self.session.fix(field_id)
        self._emit()

    @Slot()
    def printDocuments(self) -> None:
        """Issue and print the committed case's documents and receipt."""
        case = self._case
        if case is None:
            return
        self.session.print_documents()
        self._busy = True
        self._emit()
        self.worker.run(lambda: self._running.journey.issue(case), self._on_issued, self._on_failure)

    @Slot(str)
    def continueWith(self, item_id: str) -> None:
        """证照联办: print this case (accepting its commitment, shown above the button, if it has
        one), then start `item_id` for the same resident, identity kept and answers carried over
        (the new business's credit code first)."""
        case, item = self._case, self.session.item
        if case is None or item is None or self.session.screen is not Screen.DECISION or self._busy:
            return
        offered = {f.item.id: f.item for f in self._follow_ons() if f.can_start and f.item is not None}
        following = offered.get(item_id)
        if following is None:
            log.warning("follow-on refused: not offered for this case", extra={"item": item_id})
            return
        from kiosk.core.follow_on import carried_answers

        code = str(case.summary.get("credit_code") or "")
        carried = carried_answers(item, self.session.answers, following, code)
        journey = self._running.journey
        committing = case.outcome == "approved_on_commitment"
        self.session.print_documents()
        self._busy = True
        self._emit()

        def issue() -> IssueResult:
            return journey.issue(journey.accept_commitment(case, item) if committing else case)

        self.worker.run(
            issue, lambda issued: self._continue_after(issued, following, carried), self._on_failure
        )

    def _continue_after(self, issued: IssueResult, following: ServiceItem, carried: dict[str, Any]) -> None:
        self._busy = False
        if self.session.screen is not Screen.PRINTING:
            return  # the resident left meanwhile
        self._case = None
        log.info("follow-on item started", extra={"case": issued.case_number, "item": following.id})
        self.session.continue_with(following, carried)
        if issued.problems:
            self._emit(" ".join(issued.problems))
            return
        printed = f"，{'、'.join(issued.documents)}已打印，请取走" if issued.documents else ""
        self._emit(f"办件{issued.case_number}已办结{printed}。现在接着办理“{following.name}”。", good=True)

    @Slot()
    def printGuide(self) -> None:
        """Sent to another authority (the premises lie elsewhere): print the item's 办事指南 to take
        along, as the guide-printing item does; the decision stays on the screen."""
        item, guide = self.session.item, self._guide_item()
        if self.session.screen is not Screen.DECISION or item is None or guide is None or self._busy:
            return
        if not self._get_decision().get("printGuide"):
            return
        from kiosk.core.follow_on import print_guide

        journey = self._running.journey
        self._busy = True
        self._emit()
        self.worker.run(
            lambda: print_guide(journey, guide, item.name), self._on_guide_printed, self._on_failure
        )

    def _on_guide_printed(self, issued: IssueResult) -> None:
        self._busy = False
        if issued.problems:
            self._emit(" ".join(issued.problems))
        else:
            self._emit("办事指南已打印，请取走，带到办理地点。", good=True)

    @Slot()
    def acceptCommitment(self) -> None:
        """The resident accepted the 告知承诺 on the decision screen: record it, then print."""
        case, item = self._case, self.session.item
        if case is None or item is None or case.outcome != "approved_on_commitment":
            return
        self.session.print_documents()
        self._busy = True
        self._emit()
        journey = self._running.journey

        def accept_and_issue() -> IssueResult:
            return journey.issue(journey.accept_commitment(case, item))

        self.worker.run(accept_and_issue, self._on_issued, self._on_failure)

    def _on_issued(self, issued: IssueResult) -> None:
        self._busy = False
        self.session.finished(
            {
                "caseNumber": issued.case_number,
                "creditCode": issued.credit_code or "",
                "documents": issued.documents,
                "problems": issued.problems,
            }
        )
        self._emit()

    @Slot(int, "QVariant")
    def rate(self, value: int, reasons: Any) -> None:
        """The resident's 好差评 of this case: kept with the case and sent to the centre."""
        case = self._case
        if case is None or self.session.screen is not Screen.RATING:
            return
        from kiosk.core.ratings import record_rating

        chosen = [str(r) for r in (plain(reasons) or [])]
        seconds = self.session.journey_seconds()
        self._busy = True
        self._emit()
        self.worker.run(
            lambda: record_rating(self._running.cases, case.id, value, chosen, seconds),
            lambda _: self._after_rating(),
            self._on_rating_failed,
        )

    @Slot()
    def skipRating(self) -> None:
        """The resident does not want to rate: on to the thank-you screen."""
        if self.session.screen is Screen.RATING:
            log.info("rating skipped")
            self.session.rating_done()
            self._emit()

    def _after_rating(self) -> None:
        self._busy = False
        if self.session.screen is Screen.RATING:
            self.session.rating_done()
        self._emit()

    def _on_rating_failed(self, exc: Exception) -> None:
        # The case itself is safe; a rating that could not be kept must not hold the resident up.
        log.error("rating not recorded: %s", exc)
        self._after_rating()

    def _on_failure(self, exc: Exception) -> None:
        self._busy = False
        log.error("journey step failed: %s", exc)
        self._emit("系统暂时出现问题，您填写的内容已保留。请稍后重试，或找工作人员帮助。")

    @Slot()
    def home(self) -> None:
        """Back to the home screen, forgetting everything about this resident.

        A case decided but not yet printed is settled in the background so it can be picked
        up later (print-pending, or awaiting the commitment signature).
        """
        case, self._case = self._case, None
        if case is not None and self.session.screen is Screen.DECISION and self.services is not None:
            journey = self._running.journey
            self.worker.run(lambda: journey.leave_undone(case), lambda _: None, self._on_failure)
        if self._capture_cancel is not None:
            self._capture_cancel.set()
        self._drop_face()
        self._preview.stop()
        self._capture_taken, self._capture_state, self._capture_message = None, "", ""
        self.session.reset()
        self._case_rows = []
        self._manual_errors = {}
        self._warned, self._warnings = set(), {}
        self._counting_down = False
        self.idleChanged.emit()
        if self._elder:  # a preference of this resident's, not of the next one's
            self._elder = False
            self.elderChanged.emit()
        self._emit()
        self.sessionEnded.emit()

    # ---- card reader -------------------------------------------------------------------------
    @Slot(str)
    def _on_card_status(self, status: str) -> None:
        if self.session.screen is not Screen.IDENTIFY:
            return
        state = IdCardStatus(status)
        if state is IdCardStatus.CARD_PRESENT:
            self._read_card()
        elif state in (IdCardStatus.CARD_ERROR, IdCardStatus.NO_DEVICE):
            log.warning("id card reader reports %s", state.value)
            self._emit(CARD_MESSAGES[state])
        elif state is IdCardStatus.WAITING:
            self._emit()

    def _read_card(self) -> None:
        self._busy = True
        self._emit()
        self.worker.run(self._running.devices.id_card.read, self._on_card_read, self._on_failure)

    def _on_card_read(self, read: IdCardRead) -> None:
        self._busy = False
        if self.session.screen is not Screen.IDENTIFY:
            return
        if read.data is None:
            log.warning("id card read failed", extra={"status": read.status.value, "detail": read.detail})
            message = READ_FAILURE_MESSAGES.get(read.detail) or CARD_MESSAGES.get(
                read.status, "请将身份证放在读卡区。"
            )
            self._emit(message)
            return
        self._identified(read.data, "id_card")

    def _identified(self, identity: Any, way: str) -> None:
        """Accept an identity if the item takes this way of identifying; otherwise say which do."""
        item = self.session.item
        if item is not None and way not in item.identify_with:
            log.info("identity refused for this item", extra={"way": way, "item": item.id})
            self._emit(f"办理本事项请使用{viewmodels.identify_ways(item)}。")
            return
        self.session.identified(identity)
        if self.session.screen is Screen.CONSENT:
            self._face_card = identity  # its photo is compared once the resident agrees
        self._emit()

    # ---- 人证核验: consent, the live face, the staff alternative -------------------------------
    @Slot()
    def consentGiven(self) -> None:
        """The resident agreed: the face check starts (or, with nothing to compare, staff)."""
        if self.session.screen is not Screen.CONSENT:
            return
        self.session.consent_given()
        self._begin_face()

    @Slot()
    def consentDeclined(self) -> None:
        """No face comparison: the staff alternative, or the window."""
        if self.session.screen is Screen.CONSENT:
            self.session.consent_declined()
            self._drop_face()
            self._emit(self._no_match_notice(""))

    @Slot()
    def retryFace(self) -> None:
        """Another try after a failed comparison."""
        if self.session.screen is Screen.FACE and self._face_state == "failed":
            self._begin_face()

    def _begin_face(self) -> None:
        """A try of the face check; the first one reads the reference photo first (off the UI
        thread: the card's chip photo, or without one the household register's from the centre)."""
        if self._face_reference is not None:
            self._watch_face()
            return
        from kiosk.ui.face_flow import PREPARING, reference_photo

        services = self.services
        if services is None:
            return
        decoder, journey, session = self._photo_decoder(), services.journey, self.session
        card_photo = getattr(self._face_card, "photo", b"") or b""

        def resolve() -> Any:
            reference = reference_photo(card_photo, decoder)
            if reference is None:
                registered = journey.register_photo(session)
                reference = reference_photo(registered or b"", decoder)
            return reference

        self._face_state, self._face_message = "preparing", PREPARING
        self._face_worker.run(resolve, self._on_reference, self._on_face_failed)
        self._emit()
        self.faceChanged.emit()

    def _on_reference(self, reference: Any) -> None:
        from kiosk.ui.face_flow import NO_PHOTO

        if self.session.screen is not Screen.FACE:
            return
        if reference is None:
            log.info("face check not possible: no reference photo")
            self.session.face_unavailable()
            self._drop_face()
            self._emit(self._no_match_notice(NO_PHOTO))
            return
        self._face_reference = reference  # memory only, dropped with the session
        self._watch_face()

    def _watch_face(self) -> None:
        from kiosk.ui.face_flow import FACE_START, NO_CAMERA

        services = self.services
        camera = services.devices.camera if services else None
        reference = self._face_reference
        if camera is None or services is None:
            log.info("face check not possible: no camera")
            self.session.face_unavailable()
            self._drop_face()
            self._emit(self._no_match_notice(NO_CAMERA))
            return
        from devices.face.liveness import random_order
        from kiosk.ui.face_flow import check_face, demo_frames

        order = random_order()
        self._face_prompts = [c.prompt for c in order]
        self._face_state, self._face_message = "watching", FACE_START
        cancel = self._face_cancel = threading.Event()
        source = services.devices.camera_source if self.config.demo else None
        key, scene = self._demo_face_key(), self.dock.face_scene if self.dock is not None else "holder"
        threshold = self.config.face.match_threshold
        play = None
        if source is not None and hasattr(source, "play"):
            play = lambda frames: source.play(frames, loop=False)  # noqa: E731

        def work() -> Any:
            scripted = None
            if play is not None and key:
                from devices.camera import synthetic

                scripted = demo_frames(key, order, synthetic.FRAME_SIZE, scene)
            return check_face(reference, camera, order, cancel, play, scripted, threshold)

        self._preview.start(camera, mirror=True)
        if self.config.voice_prompts:  # the actions in the order asked, said as well as shown
            self.voice.play(f"face_{order[0].value}_first")
        self._face_worker.run(work, self._on_face_checked, self._on_face_failed)
        self._emit()
        self.faceChanged.emit()

    def _no_match_notice(self, for_staff: str) -> str:
        """What to say when the face check ends unmatched: `for_staff` when hall staff take over;
        for a resident who typed their identity, that an officer will compare the form's photo."""
        from kiosk.ui.face_flow import OFFICER_COMPARES

        return OFFICER_COMPARES if self.session.screen is Screen.GUIDE else for_staff

    def demo_card(self, key: str) -> IdCardData:
        """The synthetic resident `key`'s ID card (demo mode: the dev dock puts it on the reader)."""
        return cast(IdCardData, self._residents[key][1])

    def _demo_face_key(self) -> str:
        """The demo resident at the simulated camera: the one this session identified."""
        identity = self.session.identity
        if not self.config.demo or identity is None:
            return ""
        number = identity.as_applicant().get("id_number")
        return next((key for key, (_, card) in self._residents.items() if card.id_number == number), "")

    def _photo_decoder(self) -> Any:
        from devices.face.photo import build_photo_decoder

        devices = self.config.devices
        return build_photo_decoder(devices.id_photo_decoder, devices.id_photo_decoder_call, self.config.demo)

    def _on_face_checked(self, outcome: Any) -> None:
        self._preview.stop()
        if outcome is None or self.session.screen is not Screen.FACE:
            return
        self._face_left = self.session.face_checked(outcome.record, outcome.passed)
        if outcome.passed:
            self._drop_face()
            self._emit(outcome.message, good=True)
        elif self.session.screen is not Screen.FACE:  # no tries left: hall staff, or the officer
            self._drop_face()
            self._emit(self._no_match_notice(outcome.message))
        else:
            self._face_state = "failed"
            self._face_message = f"{outcome.message}（还可以再试{self._face_left}次）"
            self._emit()
        self.faceChanged.emit()

    def _on_face_failed(self, exc: Exception) -> None:
        self._preview.stop()
        log.error("face check failed: %s", exc)
        if self.session.screen is Screen.FACE:
            self.session.face_unavailable()
            self._drop_face()
            self._emit(self._no_match_notice("现在不能人脸核验。请找大厅工作人员帮您核对身份，或到窗口办理。"))

    @Slot(str)
    def staffConfirm(self, pin: str) -> None:
        """Hall staff put their card on the reader, typed their PIN and confirm they compared the
        card with the person (as for admin mode; audited)."""
        services, item = self.services, self.session.item
        if self.session.screen is not Screen.STAFF_CHECK or services is None or item is None or self._busy:
            return
        from kiosk.admin.gate import AdminGate
        from kiosk.admin.staff_check import confirm_by_staff

        gate = AdminGate(services.store, services.config.admin, services.devices.staff_card)
        why = self.session.staff_reason
        self._busy = True
        self._emit()
        self.worker.run(lambda: confirm_by_staff(gate, pin, item.id, why), self._on_staff, self._on_failure)

    def _on_staff(self, outcome: Any) -> None:
        self._busy = False
        if self.session.screen is not Screen.STAFF_CHECK:
            return
        if isinstance(outcome, dict):
            self.session.staff_confirmed(outcome)
            self._emit("工作人员已核对身份。", good=True)
        else:
            self._emit(outcome.message)

    # ---- typed identity (no card with them) --------------------------------------------------
    @Slot()
    def identifyByTyping(self) -> None:
        """The resident has no card: type the name and ID number (items with a face photo only)."""
        if self.session.screen is Screen.IDENTIFY and self._get_can_type_identity():
            self.session.identify_manually()
            self._manual_errors = {}
            self._emit()

    @Slot(str, str)
    def confirmTypedIdentity(self, name: str, id_number: str) -> None:
        """Check the typed name and number (the check character too); on to the guide."""
        if self.session.screen is not Screen.MANUAL_ID:
            return
        from kiosk.core.identity import manual_identity

        identity = manual_identity(name, id_number)
        if isinstance(identity, dict):
            log.info("typed identity refused", extra={"fields": sorted(identity)})
            self._manual_errors = identity
            self._emit("请按提示修改标红的内容。")
            return
        self._manual_errors = {}
        log.info("resident identified by typing; the face photo follows on the form")
        self._identified(identity, "manual_with_face")

    # ---- social-security card and e-ID code ----------------------------------------------------
    def _ss_card_waiting(self) -> bool:
        from devices.ss_card import SsCardStatus

        reader = self._running.devices.ss_card if self.services else None
        return reader is not None and reader.status() is SsCardStatus.CARD_PRESENT

    @Slot(str)
    def _on_ss_card_status(self, status: str) -> None:
        if self.session.screen is not Screen.IDENTIFY or self._busy:
            return
        if status == "card_present":
            self._read_ss_card()
        elif status == "no_reader":
            log.warning("social-security card reader reports no reader")
            self._emit(SS_CARD_MESSAGES["no_reader"])
        elif status == "card_error":
            self._emit(SS_CARD_MESSAGES["bad_record"])

    def _read_ss_card(self) -> None:
        self._busy = True
        self._emit()
        self.worker.run(self._running.devices.ss_card.read, self._on_ss_card_read, self._on_failure)

    def _on_ss_card_read(self, read: Any) -> None:
        self._busy = False
        if self.session.screen is not Screen.IDENTIFY:
            return
        if read.data is None:
            log.warning(
                "social-security card read failed", extra={"status": read.status.value, "detail": read.detail}
            )
            if read.detail != "no_card":
                self._emit(SS_CARD_MESSAGES.get(read.detail, SS_CARD_MESSAGES["bad_record"]))
            else:
                self._emit()
            return
        self._identified(read.data, "social_security_card")

    @Slot(object)
    def _on_scanned(self, result: Any) -> None:
        if self._e_licence_field() is not None:
            self._on_scanned_on_form(result)
            return
        if self.session.screen is not Screen.IDENTIFY or self._busy or self.services is None:
            return
        from devices.camera.qr_payloads import QrPayload
        from kiosk.core.identity import identity_from_credential

        if not isinstance(result, QrPayload):
            self._emit(QR_MESSAGES["unknown"])
            return
        if result.kind != "identity":
            log.info("QR code of the wrong kind at identification", extra={"kind": result.kind})
            self._emit(QR_MESSAGES.get(result.kind, QR_MESSAGES["unknown"]))
            return
        identity = identity_from_credential(result, self._running.e_id_issuers)
        if isinstance(identity, str):
            log.warning(
                "e-ID credential refused", extra={"reason": identity, "issuer": result.fields["issuer"]}
            )
            self._emit(QR_MESSAGES["identity_problem"])
            return
        self._identified(identity, "e_id")

    def _on_scanned_on_form(self, result: Any) -> None:
        """An electronic business licence held up on a page asking for the credit code fills it."""
        from devices.camera.qr_payloads import QrPayload

        field = self._e_licence_field()
        if field is None:
            return
        if not isinstance(result, QrPayload) or result.kind != "e_licence":
            self._emit("请出示电子营业执照上的二维码，或直接输入统一社会信用代码。")
            return
        if self.session.answers.get(field) == result.fields["credit_code"]:
            return  # the same code, seen again while it is still held up
        log.info("credit code read from an e-licence code")
        self.session.set_answer(field, result.fields["credit_code"])
        self._emit("已读取电子营业执照，统一社会信用代码已填好。", good=True)

    @Slot(str)
    def _on_camera_status(self, status: str) -> None:
        if status in ("no_device", "error"):
            log.warning("camera reports %s", status)
            if self.session.screen is Screen.IDENTIFY:
                self._emit("扫码暂时无法使用，请把身份证放在读卡区，或插入社保卡。")

    # ---- idle timeout ------------------------------------------------------------------------
    @Slot()
    def _tick(self) -> None:
        state = self.session.idle()
        if state.expired:
            log.info("session timed out", extra={"screen": self.session.screen.value})
            self.home()
            return
        if (state.counting_down, state.seconds_left) != (self._counting_down, self._idle_left):
            if state.counting_down and not self._counting_down and self.config.voice_prompts:
                self.voice.play("countdown")
            self._counting_down, self._idle_left = state.counting_down, state.seconds_left
            self.idleChanged.emit()
