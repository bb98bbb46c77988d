"""The resident's way through an item, the controller QML knows as `controller`: start-up, the
item tiles and guide, the form's pages, review, deciding and committing, the decision, and going
home, with the step of the item the resident is at; the idle countdown, elder mode and the
network state shown in the corner.

The other jobs are controllers of their own, built here and sharing the session (see `Shared`):
identity (`identity`), 人证核验 (`faceCheck`), fields taken on their own screen (`capture`),
issuing and rating (`issuing`), the writing pad's recogniser (`handwriting`), calls for staff
(`staffCall`), and on a demo terminal the dev dock (`simulators`).

About 600 lines because the journey's thirty-odd QML properties and its resident actions
(start, items, pages, review, deciding, leaving) read the same session and belong together; the
other jobs are already controllers of their own (the next to move out would be the header's
state: elder mode, the network, the idle countdown).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from forms.outcomes import Outcome
from kiosk.config import KioskConfig
from kiosk.core.session import Screen, Session
from kiosk.ui import viewmodels
from kiosk.ui.controllers.capture import CaptureController
from kiosk.ui.controllers.face_check import FaceCheckController
from kiosk.ui.controllers.handwriting import HandwritingController
from kiosk.ui.controllers.identity import IdentityController
from kiosk.ui.controllers.issuing import IssuingController
from kiosk.ui.controllers.shared import Shared, plain
from kiosk.ui.controllers.staff_call import StaffCallController
from kiosk.ui.dev_dock import DevDock
from kiosk.ui.journey_steps import STEPS, step_of
from kiosk.ui.live_preview import LivePreview
from kiosk.ui.qml_property import qml_property
from kiosk.ui.voice_player import VoicePlayer
from kiosk.ui.workers import Worker

if TYPE_CHECKING:  # the services stack loads after the first frame (see finish_start)
    from forms.rules import Decision
    from kiosk.core.case_status import CaseStatus
    from kiosk.core.journey import Committed
    from kiosk.services import KioskServices

log = logging.getLogger(__name__)

# Screens where the resident has given something that going home would throw away: leaving asks.
LEAVING_ASKS = frozenset(
    {
        Screen.IDENTIFY,
        Screen.MANUAL_ID,
        Screen.CONSENT,
        Screen.FACE,
        Screen.STAFF_CHECK,
        Screen.GUIDE,
        Screen.FORM,
        Screen.CAPTURE,
        Screen.SIGN,
        Screen.ADDRESS,
        Screen.REVIEW,
    }
)
PAGE_WARNING = "请再核对一下提示的内容；确认无误请再点“下一步”。"
DECISION_TROUBLE = "系统暂时无法完成审核，您填写的内容已保留。请再点一次“确认提交”，或找工作人员帮助。"


class JourneyController(QObject):
    """Exposes the resident's journey to QML and runs its work off the UI thread."""

    changed = Signal()
    formChanged = Signal()  # separate, so typing does not rebuild the fields and lose focus
    idleChanged = Signal()
    elderChanged = Signal()
    networkChanged = Signal()
    sessionEnded = Signal()  # home again, everything of the resident forgotten
    startFailed = Signal(str)  # the store or the devices could not start (the reason, for the log)
    _serviceFault = Signal(str)  # the resident's sentence while out of service, "" when in service
    _syncOnline = Signal(bool)

    def __init__(
        self,
        config: KioskConfig,
        start: Callable[[], KioskServices],
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`start` builds the services (store, devices, journey); `finish_start` runs it. `clock`
        times the idle countdown (a test passes one it moves by hand)."""
        super().__init__(parent)
        self.config = config
        self._start = start
        self.session = Session(
            config.timeouts.idle_seconds, config.timeouts.countdown_seconds, face_checks=True, clock=clock
        )
        self.voice = VoicePlayer(parent=self)
        self.shared = Shared(config, self.session, Worker(), LivePreview(self), self.voice)
        self.shared.on_refresh(self._refresh)
        # The demo's dev dock (演示) drives the simulators; a real terminal has none.
        self.dock: DevDock | None = DevDock(self.shared, self) if config.demo else None
        self.face_check = FaceCheckController(self.shared, self.dock, self)
        self.identity = IdentityController(self.shared, self.face_check.hold_card, self)
        self.capture = CaptureController(self.shared, self)
        self.issuing = IssuingController(self.shared, self)
        self.handwriting = HandwritingController(parent=self)
        self.sessionEnded.connect(self.handwriting.clear)
        self.staff_call = StaffCallController(self.shared, self)
        self.sessionEnded.connect(self.staff_call.reset)
        self._notice = ""
        self._notice_good = False
        self._idle_left = self.session.idle().seconds_left  # what every tick says while nobody waits
        self._counting_down = False
        self._warned: set[str] = set()  # fields whose warning the resident has seen
        self._warnings: dict[str, str] = {}
        self._elder = False
        self._announced = ""  # the screen whose prompt was said last
        self._leave_asked = False  # 回首页 pressed mid-item: QML asks before anything is forgotten
        self._form_shown: tuple[str, str, list] = ("", "", [])  # the form as QML last built it
        self._network = "checking"  # until the sync worker's first probe of the centre
        self._out_of_service = ""
        self._serviceFault.connect(self._on_service_fault)
        self._syncOnline.connect(self._on_sync_online)
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(1000)
        self._idle_timer.timeout.connect(self.tick)
        self._idle_timer.start()

    @property
    def services(self) -> KioskServices | None:
        """The started services (None until `finish_start` has run them)."""
        return self.shared.services

    def controllers(self) -> dict[str, QObject]:
        """Every controller QML binds to, by the name it knows it as."""
        named: dict[str, QObject] = {
            "controller": self,
            "identity": self.identity,
            "faceCheck": self.face_check,
            "capture": self.capture,
            "issuing": self.issuing,
            "handwriting": self.handwriting,
            "staffCall": self.staff_call,
        }
        if self.dock is not None:
            named["simulators"] = self.dock
        return named

    # ---- start-up -----------------------------------------------------------------------------
    @Slot()
    def finish_start(self) -> None:
        """Open the store and devices in the background; the home screen is already showing."""
        if self.shared.services is None:
            self.shared.worker.run(self._start, self._on_started, self._on_start_failed)

    def _on_started(self, services: KioskServices) -> None:
        self.shared.services = services
        if self.dock is not None:
            self.dock.started()
        # Disk or store faults found while running close the door to new sessions (any thread).
        services.availability.on_change(lambda fault: self._serviceFault.emit(fault.screen if fault else ""))
        fault = services.out_of_service()
        self._out_of_service = fault.screen if fault else ""
        self.identity.started(services)
        self._refresh()
        # The printing libraries load now, so the first licence prints as fast as the next.
        self.shared.worker.run(services.journey.warm_up, lambda _: None, lambda _: None)
        from kiosk.ui.network_watch import NetworkWatch

        sync = services.start_sync()
        sync.on_status(lambda status: self._syncOnline.emit(status.online))
        self._network_watch = NetworkWatch(sync.sync_now, self)

    def _on_start_failed(self, exc: Exception) -> None:
        log.critical("the kiosk could not start: %s", exc)
        self.startFailed.emit(f"{type(exc).__name__}: {exc}")
        # A refused start (a lost key, a foreign store) carries its own sentence for the screen.
        self._out_of_service = str(getattr(exc, "screen", "") or "终端暂时无法使用，请找工作人员处理。")
        self._refresh(self._out_of_service)

    @Slot(str)
    def _on_service_fault(self, sentence: str) -> None:
        self._out_of_service = sentence
        self._refresh()

    @Slot(bool)
    def _on_sync_online(self, online: bool) -> None:
        state = "online" if online else "offline"
        if state != self._network:
            log.info("network state for residents", extra={"state": state})
            self._network = state
            self.networkChanged.emit()

    def shutdown(self) -> None:
        """Stop the timer and the camera, and wait for background work before the window goes away."""
        self._idle_timer.stop()
        self.shared.preview.stop()
        self.identity.close()
        self.face_check.close()
        self.shared.worker.wait()
        self.handwriting.close()

    # ---- properties ---------------------------------------------------------------------------
    def _get_screen(self) -> str:
        return self.session.screen.value

    def _get_journey_step(self) -> int:
        return step_of(self.session.screen)

    def _get_journey_steps(self) -> list[str]:
        return list(STEPS)

    def _get_ready(self) -> bool:
        return self.shared.services is not None

    def _get_hall(self) -> str:
        return self.config.hall_name

    def _get_demo(self) -> bool:
        return self.config.demo

    def _get_item_groups(self) -> list:
        services = self.shared.services
        return viewmodels.item_groups(services.catalogue) if services is not None else []

    def _get_item_name(self) -> str:
        return self.session.item.name if self.session.item else ""

    def _get_guide(self) -> dict:
        return viewmodels.guide(self.session.item)

    def _get_page_title(self) -> str:
        item = self.session.item
        return (
            item.pages[self.session.page_index].title if item and self.session.screen is Screen.FORM else ""
        )

    def _get_next_label(self) -> str:
        services, item = self.shared.services, self.session.item
        if services is None or item is None or self.session.screen is not Screen.FORM:
            return "下一步"
        last = services.journey.neighbour_page(self.session, 1) is None
        return "打印" if item.print_straight_away and last else "下一步"

    def _get_page_number(self) -> str:
        item = self.session.item
        return f"{self.session.page_index + 1}/{len(item.pages)}" if item else ""

    def _get_fields(self) -> list:
        services = self.shared.services
        if services is None or self.session.screen is not Screen.FORM:
            return []
        journey = services.journey
        shown = {f.id for f in journey.visible_fields(self.session)}
        return viewmodels.page_fields(self.session, shown, journey.reference.scope_entries(), self._warnings)

    def _get_review(self) -> list:
        services = self.shared.services
        if services is None or self.session.item is None or self.session.identity is None:
            return []
        journey = services.journey
        shown = {f.id for f in journey.visible_fields(self.session)}
        return viewmodels.review_groups(self.session, shown, journey.reference.scope_entries())

    def _get_review_name(self) -> dict:
        services = self.shared.services
        if services is None or self.session.item is None or self.session.screen != Screen.REVIEW:
            return {}  # only the review shows it: no work on the other screens' refreshes
        shown = {f.id for f in services.journey.visible_fields(self.session)}
        return viewmodels.printed_name(self.session, shown, services.journey.division.name)

    def _get_decision(self) -> dict:
        return viewmodels.decision_view(
            self.session.decision,
            self.session.case_number,
            self.issuing.follow_ons(),
            self.issuing.guide_item() is not None,
        )

    def _get_busy(self) -> bool:
        return self.shared.busy

    def _get_notice(self) -> str:
        return self._notice

    def _get_notice_good(self) -> bool:
        return self._notice_good

    def _get_idle_left(self) -> int:
        return self._idle_left

    def _get_counting_down(self) -> bool:
        return self._counting_down

    def _get_elder(self) -> bool:
        return self._elder

    def _get_network(self) -> str:
        return self._network

    def _get_out_of_service(self) -> str:
        return self._out_of_service

    def _get_assisted_by(self) -> str:
        return self.session.assistant_name

    def _get_leave_asked(self) -> bool:
        return self._leave_asked

    screen = qml_property(str, _get_screen, notify=changed)
    ready = qml_property(bool, _get_ready, notify=changed)
    hallName = qml_property(str, _get_hall, constant=True)
    demoMode = qml_property(bool, _get_demo, constant=True)
    itemGroups = qml_property("QVariantList", _get_item_groups, notify=changed)
    itemName = qml_property(str, _get_item_name, notify=changed)
    guide = qml_property("QVariantMap", _get_guide, notify=changed)
    pageTitle = qml_property(str, _get_page_title, notify=formChanged)
    pageNumber = qml_property(str, _get_page_number, notify=formChanged)
    fields = qml_property("QVariantList", _get_fields, notify=formChanged)
    review = qml_property("QVariantList", _get_review, notify=changed)
    reviewName = qml_property("QVariantMap", _get_review_name, notify=changed)
    nextLabel = qml_property(str, _get_next_label, notify=changed)
    decision = qml_property("QVariantMap", _get_decision, notify=changed)
    journeyStep = qml_property(int, _get_journey_step, notify=changed)
    journeySteps = qml_property("QVariantList", _get_journey_steps, constant=True)
    busy = qml_property(bool, _get_busy, notify=changed)
    notice = qml_property(str, _get_notice, notify=changed)
    noticeGood = qml_property(bool, _get_notice_good, notify=changed)  # news, not a problem
    idleSecondsLeft = qml_property(int, _get_idle_left, notify=idleChanged)
    countingDown = qml_property(bool, _get_counting_down, notify=idleChanged)
    elderMode = qml_property(bool, _get_elder, notify=elderChanged)
    networkState = qml_property(str, _get_network, notify=networkChanged)  # checking | online | offline
    outOfService = qml_property(str, _get_out_of_service, notify=changed)  # "" while in service
    assistedBy = qml_property(str, _get_assisted_by, notify=changed)  # the helping staff member's name
    leaveAsked = qml_property(bool, _get_leave_asked, notify=changed)  # "give up this item?" shows

    # ---- telling QML ----------------------------------------------------------------------------
    def _refresh(self, notice: str = "", good: bool = False) -> None:
        """Every controller's view changed; `notice` for the resident (a problem unless `good`)."""
        self._notice, self._notice_good = notice, good
        self.identity.follow_camera()
        self._announce()
        self.changed.emit()
        self._form_changed()
        for controller in (self.identity, self.face_check, self.capture, self.issuing):
            controller.changed.emit()

    def _form_changed(self) -> None:
        """Rebuild the form's fields only when what they show changed.

        QML recreates every field's buttons when `fields` is announced: a notice, a card status
        or a code seen by the camera must not do that under a finger about to tap a choice (the
        tap would land on a button being replaced and be lost).
        """
        shown = (self._get_page_title(), self._get_page_number(), self._get_fields())
        if shown != self._form_shown:
            self._form_shown = shown
            self.formChanged.emit()

    def _announce(self) -> None:
        """Say the prompt of a screen as it appears (once, not at every change on it)."""
        screen = self.session.screen.value
        if screen == "capture" and self.capture.camera_kind() == "face":
            screen = "capture_face"  # the same screen, with other words for a face
        if screen == "face":
            return  # the face check says the actions in the order asked (face_blink_first, …)
        if screen != self._announced:
            self._announced = screen
            if self.config.voice_prompts:
                self.voice.play(screen)

    # ---- resident actions -----------------------------------------------------------------------
    def start_assisting(self, staff_id: str, name: str) -> None:
        """帮办: a staff member helps this resident; their id goes on the case (until home)."""
        self.session.assisted_by, self.session.assistant_name = staff_id, name
        log.info("assisted session", extra={"staff": staff_id})
        self._refresh()

    @Slot()
    def toggleElder(self) -> None:
        """Elder mode (长辈模式) on or off: larger text and targets, high contrast."""
        self._elder = not self._elder
        log.info("elder mode", extra={"on": self._elder, "screen": self.session.screen.value})
        self.elderChanged.emit()

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
        services = self.shared.services
        if services is None:
            return
        fault = services.out_of_service()
        if fault is not None:  # no session can be kept now: say so before anyone starts typing
            self._out_of_service = fault.screen
            self._refresh()
            return
        self.session.start()
        self._refresh()

    @Slot(str)
    def chooseItem(self, item_id: str) -> None:
        """The resident chose an item; a card already on the reader is read at once."""
        self.session.choose_item(self.shared.running.catalogue[item_id])
        self._refresh()
        if self.session.screen is Screen.IDENTIFY:  # not for an item that needs nobody identified
            self.identity.read_waiting_card()

    @Slot()
    def acceptGuide(self) -> None:
        """Guide read: start the form."""
        self.session.accept_guide()
        self._refresh()

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
            self._form_changed()

    @Slot(str)
    def useSuggestion(self, field_id: str) -> None:
        """The resident tapped the card's address offered for an address field: it is the answer."""
        if self.session.screen is Screen.FORM and field_id in self.session.suggestions:
            self.session.use_suggestion(field_id)
            self._refresh()

    @Slot()
    def nextPage(self) -> None:
        """Check the page and move on, or show what to fix.

        A warning (never blocking) holds the page once, so the resident sees it; the next
        press goes on.
        """
        journey = self.shared.running.journey
        problems = journey.page_problems(self.session)
        fresh = {k: v for k, v in journey.page_warnings(self.session).items() if k not in self._warned}
        if not problems and fresh:
            self._warned |= set(fresh)
            self._warnings = fresh
            self._refresh(PAGE_WARNING)
            return
        self._warnings = {}
        ok = self.session.next_page(problems, journey.neighbour_page(self.session, 1))
        item = self.session.item
        if ok and self.session.screen is Screen.REVIEW and item is not None and item.print_straight_away:
            self.submit()  # 打印: the page of choices was the review
            return
        self._refresh("" if ok else "请按提示修改标红的内容。")

    @Slot()
    def back(self) -> None:
        """One step back."""
        previous = None
        services = self.shared.services
        if self.session.screen is Screen.FORM and services is not None:
            previous = services.journey.neighbour_page(self.session, -1)
        if self.session.screen in (Screen.CONSENT, Screen.FACE, Screen.STAFF_CHECK):
            self.face_check.drop()
            self.shared.preview.stop()
        self.session.back(previous)
        self._refresh()

    @Slot(int)
    def revisePage(self, page_index: int) -> None:
        """修改 beside a group on the review screen: back to that form page."""
        self.session.revise(page_index)
        self._refresh()

    @Slot(str)
    def fix(self, field_id: str) -> None:
        """From a remedy back to the field to change."""
        self.session.fix(field_id)
        self._refresh()

    # ---- deciding -------------------------------------------------------------------------------
    @Slot()
    def submit(self) -> None:
        """Review confirmed: decide and, unless something needs fixing, commit the case (a query
        item instead lists the resident's cases)."""
        journey, session = self.shared.running.journey, self.session
        session.submit()
        self.shared.busy = True
        self._refresh()
        if session.item is not None and session.item.kind == "query":
            self.shared.worker.run(
                lambda: journey.query_cases(session), self._on_queried, self._on_decision_failed
            )
            return
        self.shared.worker.run(
            lambda: journey.decide_and_commit(session), self._on_decided, self._on_decision_failed
        )

    def _on_queried(self, outcome: tuple[Decision, list[CaseStatus]]) -> None:
        decision, found = outcome
        self.shared.busy = False
        if decision.outcome != Outcome.APPROVED:  # a case number not found: back to the field
            self.session.decided(decision, None)
            self._refresh()
            return
        self.issuing.list_cases(found)

    def _on_decided(self, committed: Committed) -> None:
        self.shared.busy = False
        self.shared.case = committed.case
        self.session.remember_live(committed.live.facts, committed.live.unreachable)
        self.session.decided(committed.decision, committed.case.number if committed.case else None)
        item = self.session.item
        straight = item is not None and item.print_straight_away
        if straight and committed.case is not None and committed.decision.outcome == Outcome.APPROVED:
            self.issuing.printDocuments()  # asked for with 打印: nothing more to confirm
        self._refresh()

    def _on_decision_failed(self, exc: Exception) -> None:
        self.shared.busy = False
        log.error("decision failed: %s", exc)
        if self.session.screen is Screen.DECIDING:
            self.session.decision_failed()
        self._refresh(DECISION_TROUBLE)

    # ---- going home and the idle timeout ----------------------------------------------------------
    @Slot()
    def askHome(self) -> None:
        """回首页: straight home, unless that would throw away what the resident has given; then
        ask first (「要放弃这次办理吗？」)."""
        if self.session.screen in LEAVING_ASKS or self._decision_awaits_resident():
            self._leave_asked = True
            self.changed.emit()
        else:
            self.home()

    def _decision_awaits_resident(self) -> bool:
        """A decision that needs the resident still: an answer to fix or a commitment to sign
        (leaving would throw away what they gave)."""
        decision = self.session.decision
        if self.session.screen != Screen.DECISION or decision is None:
            return False
        return decision.outcome in (Outcome.NEEDS_FIXING, Outcome.APPROVED_ON_COMMITMENT)

    @Slot()
    def stayHere(self) -> None:
        """继续办理: the resident did not mean to leave; nothing changes."""
        self._leave_asked = False
        self.session.touch()
        self.changed.emit()

    @Slot()
    def home(self) -> None:
        """Back to the home screen, forgetting everything about this resident."""
        self.issuing.leave()
        self.capture.reset()
        self.face_check.drop()
        self.identity.reset()
        self.session.reset()
        self._leave_asked = False
        self._warned, self._warnings = set(), {}
        self._counting_down = False
        self.idleChanged.emit()
        if self._elder:  # a preference of this resident's, not of the next one's
            self._elder = False
            self.elderChanged.emit()
        self._refresh()
        self.sessionEnded.emit()

    @Slot()
    def tick(self) -> None:
        """Once a second: count down when nobody touches the screen, and go home at the end."""
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
