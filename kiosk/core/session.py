"""The resident's session as a state machine of screens, with the idle timeout.

Pure Python with an injected clock: the UI shows `screen` and calls these methods; it holds
no navigation logic of its own. `reset()` drops every reference to personal data.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.catalogue import ServiceItem
from forms.outcomes import Outcome
from forms.rules import Decision

if TYPE_CHECKING:  # the identity module loads cryptography, not needed for the first frame
    from kiosk.core.identity import Identity


class Screen(enum.Enum):
    """Every screen of the resident journey."""

    HOME = "home"
    ITEMS = "items"
    IDENTIFY = "identify"
    MANUAL_ID = "manual_id"  # no card: name and ID number typed, then a face photo on the form
    CONSENT = "consent"  # 人证核验: what is compared, that the images are deleted, the alternative
    FACE = "face"  # the live face compared with the card photo (blink and turn)
    STAFF_CHECK = "staff_check"  # hall staff compare the card with the person (card + PIN)
    GUIDE = "guide"
    FORM = "form"
    REVIEW = "review"
    DECIDING = "deciding"
    DECISION = "decision"
    CASES = "cases"  # 办件查询: the resident's cases, some printable here
    CAPTURE = "capture"  # the camera takes a page of material or the face for a form field
    SIGN = "sign"  # the resident signs on the screen for a signature field
    ADDRESS = "address"  # an address picked: township, village, then the house number
    PRINTING = "printing"
    RATING = "rating"
    DONE = "done"


# Screens "back" leaves the item from, for the list of items.
LEAVE_ITEM = (
    Screen.FORM,
    Screen.GUIDE,
    Screen.IDENTIFY,
    Screen.CASES,
    Screen.CONSENT,
    Screen.FACE,
    Screen.STAFF_CHECK,
)

# Screens a form field is answered on, away from its page.
DETOURS = (Screen.CAPTURE, Screen.SIGN, Screen.ADDRESS)


class FlowError(RuntimeError):
    """A session method was called on a screen where it makes no sense."""


@dataclass(frozen=True)
class IdleState:
    """Whether the countdown shows, how many seconds it has left, and whether time is up."""

    counting_down: bool
    seconds_left: int
    expired: bool


class Session:
    """One resident's pass through the terminal.

    `face_checks`: an item that declares `identity_assurance = "face"` goes, once the card is
    read, through the consent and face screens (or the staff alternative) before its guide.
    """

    def __init__(
        self,
        idle_seconds: int,
        countdown_seconds: int,
        clock: Callable[[], float] = time.monotonic,
        face_checks: bool = False,
    ) -> None:
        self.idle_seconds = idle_seconds
        self.countdown_seconds = countdown_seconds
        self.clock = clock
        self.face_checks = face_checks
        self._clear()

    def _clear(self) -> None:
        self.screen = Screen.HOME
        self.item: ServiceItem | None = None
        self.identity: Identity | None = None
        self.answers: dict[str, Any] = {}
        self.live: dict[str, Any] = {}  # the centre's answers to this item's live queries
        self.live_unreachable = False
        self.page_index = 0
        self.field_errors: dict[str, str] = {}
        self.focus_field: str | None = None
        self.decision: Decision | None = None
        self.case_number: str | None = None
        self.result: dict[str, Any] = {}
        # token → (attachment kind, JPEG bytes): personal data, gone with the session
        self.captures: dict[str, tuple[str, bytes]] = {}
        self.detour_field: str | None = None  # the form field being answered on its own screen
        # field id → the card's address, offered to the resident, never an answer until tapped
        self.suggestions: dict[str, str] = {}
        self.carried: dict[str, Any] = {}  # answers brought from the case just issued (证照联办)
        self.assisted_by: str | None = None  # the staff member helping this resident (帮办)
        self.assistant_name = ""  # their name, on the screen's banner
        # 人证核验: the summary recorded on the case (never an image); tries of the face check
        self.identity_check: dict[str, Any] | None = None
        self.face_tries = 0
        self.face_failures: list[dict[str, Any]] = []  # the failed tries' summaries, for the case
        self.staff_reason = ""  # why the staff alternative is offered: declined, face_failed, no_photo
        self.last_touch = self.clock()
        self.started_at = self.last_touch

    def _expect(self, *screens: Screen) -> None:
        if self.screen not in screens:
            raise FlowError(f"not possible on the {self.screen.value} screen")

    def touch(self) -> None:
        """The resident did something: restart the idle timer."""
        self.last_touch = self.clock()

    def idle(self) -> IdleState:
        """Where the idle timer stands."""
        # Home never times out, and neither does a screen where the terminal itself is working.
        if self.screen in (Screen.HOME, Screen.DECIDING, Screen.PRINTING):
            return IdleState(False, self.countdown_seconds, False)
        quiet = self.clock() - self.last_touch
        if quiet < self.idle_seconds:
            return IdleState(False, self.countdown_seconds, False)
        left = self.idle_seconds + self.countdown_seconds - quiet
        return IdleState(True, max(0, int(left + 0.999)), left <= 0)

    def remember_live(self, facts: dict[str, Any], unreachable: bool) -> None:
        """The centre's answers at the last decision (the form, if the resident goes back, is
        judged on them); handed over on the UI thread, never written by a worker."""
        self.live, self.live_unreachable = dict(facts), unreachable

    def reset(self) -> None:
        """Back to the home screen with every answer, identity and result forgotten."""
        self._clear()

    def start(self) -> None:
        """Home → the list of service items."""
        self._expect(Screen.HOME, Screen.DONE)
        # 帮办 started at the home screen carries into the session
        helper, name = self.assisted_by, self.assistant_name
        self._clear()
        self.assisted_by, self.assistant_name, self.screen = helper, name, Screen.ITEMS

    def choose_item(self, item: ServiceItem) -> None:
        """The resident picked an item: identify next (an item that needs nobody identified,
        such as printing a guide, goes straight to its guide)."""
        self._expect(Screen.ITEMS)
        self.item, self.screen = item, Screen.IDENTIFY
        self._preset(item)
        if not item.identify_with:
            from kiosk.core.identity import Visitor

            self.identified(Visitor())
        self.touch()

    def _preset(self, item: ServiceItem) -> None:
        """The item's preset choices (a field's `default`), changeable on the form."""
        for f in item.fields:
            if f.default is not None:
                self.answers.setdefault(f.id, f.default)

    def _past_identity(self) -> None:
        """Identified (and matched where the item asks): the guide, or for a certificate printed
        straight away its one page of choices."""
        assert self.item is not None
        if self.item.print_straight_away:
            self.screen, self.page_index = Screen.FORM, 0
        else:
            self.screen = Screen.GUIDE

    def identify_manually(self) -> None:
        """No card with them: the resident types their name and ID number instead."""
        self._expect(Screen.IDENTIFY)
        assert self.item is not None
        if "manual_with_face" not in self.item.identify_with:
            raise FlowError(f"{self.item.id} cannot be identified by manual entry")
        self.screen = Screen.MANUAL_ID
        self.touch()

    def identified(self, card: Identity) -> None:
        """The resident is known (a card, an e-ID, or typed with a face photo to follow):
        prefill, show the guide.

        The name and ID number are the card's and are filled in. The card's address is only
        offered (`suggestions`): where a business is, the resident says, so a field it would
        prefill stays empty until they tap the suggestion or pick an address.
        """
        self._expect(Screen.IDENTIFY, Screen.MANUAL_ID)
        assert self.item is not None
        self.identity = card
        sources = {"id_card.name": card.name, "id_card.id_number": card.id_number}
        for field in self.item.fields:
            if field.prefill in sources:
                self.answers[field.id] = sources[field.prefill]
            elif field.prefill == "id_card.address" and card.address:
                self.suggestions[field.id] = card.address
        self.answers.update(self.carried)
        if self.needs_face_check():
            self.screen = Screen.CONSENT
        else:
            self._past_identity()
        self.touch()

    def needs_face_check(self) -> bool:
        """The item asks for 人证核验 and the resident has not been matched yet (with the card's
        photo, or for a resident who typed their identity, the household register's)."""
        return (
            self.face_checks
            and self.item is not None
            and self.item.identity_assurance == "face"
            and self.identity_check is None
            and self.screen in (Screen.IDENTIFY, Screen.MANUAL_ID)
        )

    def typed_identity(self) -> bool:
        """The resident typed their name and ID number (no card, no e-ID)."""
        identity = self.identity
        return identity is not None and identity.as_applicant().get("identified_by") == "manual_with_face"

    def _no_face_match(self, why: str) -> None:
        """No face match and nothing staff could compare: a resident who typed their identity has
        no card for staff to hold against them, so the officer compares the form's photo with the
        register (the item's rules send the case to review); anyone else goes to hall staff."""
        if self.typed_identity():
            self.identity_check = {"method": "none", "passed": False, "why": why}
            if self.face_failures:
                self.identity_check["face_failures"] = list(self.face_failures)
            self._past_identity()
        else:
            self.screen, self.staff_reason = Screen.STAFF_CHECK, why

    def consent_given(self) -> None:
        """The resident agreed to the face comparison: the live check."""
        self._expect(Screen.CONSENT)
        self.screen, self.face_tries = Screen.FACE, 0
        self.touch()

    def consent_declined(self) -> None:
        """No face comparison: hall staff may compare the card with the person instead."""
        self._expect(Screen.CONSENT)
        self._no_face_match("declined")
        self.touch()

    def face_unavailable(self) -> None:
        """Nothing to compare with (no photo on the card, no decoder, no camera): staff instead."""
        self._expect(Screen.CONSENT, Screen.FACE)
        self._no_face_match("no_photo")
        self.touch()

    def face_checked(self, record: dict[str, Any], passed: bool) -> int:
        """One comparison made: passed, the guide; failed, the tries left (none left: staff)."""
        self._expect(Screen.FACE)
        from kiosk.core.identity_check import FACE_TRIES

        self.touch()
        if passed:
            self.identity_check = dict(record)
            self._past_identity()
            return FACE_TRIES - self.face_tries
        self.face_tries += 1
        self.face_failures.append(dict(record))
        left = max(0, FACE_TRIES - self.face_tries)
        if left == 0:
            self._no_face_match("face_failed")
        return left

    def staff_confirmed(self, record: dict[str, Any]) -> None:
        """Hall staff unlocked with card and PIN and confirmed the card is this person's."""
        self._expect(Screen.STAFF_CHECK)
        self.identity_check = dict(record)
        self._past_identity()
        if self.face_failures:  # the officer reading the case sees why staff were needed
            self.identity_check["face_failures"] = list(self.face_failures)
        self.touch()

    def use_suggestion(self, field_id: str) -> None:
        """The resident tapped the card's address offered for `field_id`: it answers the field."""
        self._expect(Screen.FORM)
        if field_id not in self.suggestions:
            raise FlowError(f"nothing is suggested for {field_id!r}")
        self.set_answer(field_id, self.suggestions[field_id])
        if self.focus_field == field_id:  # answered by a tap: no keyboard opening over the page
            self.focus_field = None

    def continue_with(self, item: ServiceItem, carried: Mapping[str, Any]) -> None:
        """证照联办: the case is printed and the resident goes on with `item` (the filing its
        business scope needs), identity kept, no card read again, with `carried` answers on top
        of the card's prefill. An item that does not take the way they identified asks again."""
        self._expect(Screen.PRINTING)
        identity, helper, started = self.identity, self.assisted_by, self.started_at
        checked = self.identity_check  # the same resident, already matched with the card
        self._clear()
        self.assisted_by, self.started_at, self.carried = helper, started, dict(carried)
        self.identity_check = checked
        self.item, self.screen = item, Screen.IDENTIFY
        self._preset(item)
        way = identity.as_applicant().get("identified_by") if identity is not None else None
        if identity is not None and way in item.identify_with:
            self.identified(identity)
        self.touch()

    def accept_guide(self) -> None:
        """Guide read: the first form page."""
        self._expect(Screen.GUIDE)
        self.screen, self.page_index = Screen.FORM, 0
        self.touch()

    def set_answer(self, field_id: str, value: Any) -> None:
        """Store one answer and clear its error."""
        self._expect(Screen.FORM)
        self.answers[field_id] = value
        self.field_errors.pop(field_id, None)
        self.touch()

    def start_capture(self, field_id: str, screen: Screen = Screen.CAPTURE) -> None:
        """The resident went to answer `field_id` on its own screen (camera, signature pad, address
        picker); the form waits."""
        self._expect(Screen.FORM)
        if screen not in DETOURS:
            raise FlowError(f"{screen.value} is not a screen a field is answered on")
        self.detour_field, self.screen = field_id, screen
        self.touch()

    def keep_capture(self, token: str, kind: str, data: bytes) -> None:
        """The resident accepted the picture or signature: it answers the field; back to the form."""
        self._expect(Screen.CAPTURE, Screen.SIGN)
        assert self.detour_field is not None
        previous = self.answers.get(self.detour_field)
        if isinstance(previous, str):  # a retake replaces the earlier picture
            self.captures.pop(previous, None)
        self.captures[token] = (kind, data)
        self._back_from_detour(token)

    def address_picked(self, address: str) -> None:
        """The address picker's answer fills the field; back to the form."""
        self._expect(Screen.ADDRESS)
        self._back_from_detour(address)

    def _back_from_detour(self, value: Any) -> None:
        assert self.detour_field is not None
        self.answers[self.detour_field] = value
        self.field_errors.pop(self.detour_field, None)
        self.focus_field, self.detour_field, self.screen = self.detour_field, None, Screen.FORM
        self.touch()

    def cancel_capture(self) -> None:
        """Nothing taken, signed or picked: back to the form as it was."""
        self._expect(*DETOURS)
        self.detour_field, self.screen = None, Screen.FORM
        self.touch()

    def kept_captures(self) -> list[tuple[str, bytes]]:
        """The pictures the answers refer to, as (attachment kind, bytes)."""
        used = {v for v in self.answers.values() if isinstance(v, str)}
        return [(kind, data) for token, (kind, data) in self.captures.items() if token in used]

    def next_page(self, problems: Mapping[str, str], next_index: int | None) -> bool:
        """Move on from this page: to `next_index`, or to the review when it is None.

        With `problems` (field id → message, from the journey's checks) the page stays and
        the first problem gets the focus.
        """
        self._expect(Screen.FORM)
        self.field_errors = dict(problems)
        self.touch()
        if self.field_errors:
            self.focus_field = next(iter(self.field_errors))
            return False
        self.focus_field = None
        if next_index is None:
            self.screen = Screen.REVIEW
        else:
            self.page_index = next_index
        return True

    def back(self, previous_index: int | None = None) -> None:
        """One step back: to `previous_index` (the previous shown page), or out of the item."""
        self.touch()
        to_fix = self.decision is not None and self.decision.outcome == Outcome.NEEDS_FIXING
        if self.screen is Screen.REVIEW:
            self.screen = Screen.FORM
        elif self.screen is Screen.MANUAL_ID:
            self.screen = Screen.IDENTIFY
        elif self.screen is Screen.DECISION and to_fix:
            self.decision, self.screen = None, Screen.REVIEW  # nothing was kept: change an answer
        elif self.screen is Screen.FORM and previous_index is not None:
            self.page_index = previous_index
        elif self.screen in LEAVE_ITEM:
            self.reset()
            self.screen = Screen.ITEMS

    def revise(self, page_index: int) -> None:
        """修改 on the review screen: back to that page of the form; the answers stay."""
        self._expect(Screen.REVIEW)
        assert self.item is not None
        if not 0 <= page_index < len(self.item.pages):
            raise FlowError(f"no page {page_index} in this item")
        self.page_index, self.focus_field, self.screen = page_index, None, Screen.FORM
        self.touch()

    def submit(self) -> None:
        """Review confirmed: the decision is being made."""
        self._expect(Screen.REVIEW)
        self.screen = Screen.DECIDING
        self.touch()

    def decided(self, decision: Decision, case_number: str | None) -> None:
        """Show the decision; a committed case has a number."""
        self._expect(Screen.DECIDING)
        self.decision, self.case_number = decision, case_number
        self.screen = Screen.DECISION
        self.touch()

    def show_cases(self) -> None:
        """A query answered: the resident's cases (the controller holds the list)."""
        self._expect(Screen.DECIDING)
        self.screen = Screen.CASES
        self.touch()

    def print_case(self) -> None:
        """One of the listed cases is printed here (自助打证)."""
        self._expect(Screen.CASES)
        self.screen = Screen.PRINTING
        self.touch()

    def decision_failed(self) -> None:
        """The decision could not be made (a fault, not a refusal): back to the review to retry."""
        self._expect(Screen.DECIDING)
        self.screen = Screen.REVIEW
        self.touch()

    def fix(self, field_id: str) -> None:
        """From a needs-fixing decision back to the page holding `field_id`."""
        self._expect(Screen.DECISION)
        assert self.item is not None
        for index, page in enumerate(self.item.pages):
            if any(f.id == field_id for f in page.fields):
                self.page_index, self.focus_field = index, field_id
                self.decision, self.screen = None, Screen.FORM
                self.touch()
                return
        raise FlowError(f"no field {field_id!r} in this item")

    def print_documents(self) -> None:
        """Decision accepted: printing."""
        self._expect(Screen.DECISION)
        self.screen = Screen.PRINTING
        self.touch()

    def finished(self, result: dict[str, Any]) -> None:
        """Printing done (or deferred): the resident is asked to rate the service (好差评)."""
        self._expect(Screen.PRINTING, Screen.DECISION)
        self.result, self.screen = result, Screen.RATING
        self.touch()

    def print_again(self) -> None:
        """Something did not print (no paper, a jam): once staff have seen to the printer, the
        resident prints it again before being asked to rate."""
        self._expect(Screen.RATING)
        self.screen = Screen.PRINTING
        self.touch()

    def rating_done(self) -> None:
        """Rated, or the resident chose not to: the thank-you screen."""
        self._expect(Screen.RATING)
        self.screen = Screen.DONE
        self.touch()

    def journey_seconds(self) -> float:
        """How long this resident has been at the terminal (the session's own clock)."""
        return self.clock() - self.started_at
