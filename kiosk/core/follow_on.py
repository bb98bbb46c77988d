"""What comes after a decision. 证照联办: the permits and filings a decided case still needs,
and the items on this terminal that grant them, started in the same session with what the
resident already answered. And for a resident sent to another authority: the item's guide
printed to take along, as the guide-printing item (办事指南打印) prints it.

Pure Python (no Qt): the session controller asks what to offer and what to carry over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.catalogue import PICTURE_TYPES, ServiceItem
from forms.layouts.content import permit_line
from forms.outcomes import Outcome
from forms.rules import PermitNeed

if TYPE_CHECKING:
    from kiosk.core.issuing import IssueResult
    from kiosk.core.journey import JourneyService

WINDOW = "请到便民服务中心窗口办理"
# Outcomes whose case has its licence (or other result) now: a follow-on item can build on it.
ISSUED_NOW = (Outcome.APPROVED, Outcome.APPROVED_ON_COMMITMENT)
# Answers that are never carried into another item: the card's own fields come from the card,
# pictures and signatures belong to the document they were taken for, a statement is ticked anew.
NOT_CARRIED = (*PICTURE_TYPES, "confirm")
CARD_PREFILLS = ("id_card.name", "id_card.id_number")


@dataclass(frozen=True)
class FollowOn:
    """One permit or filing of a case, and whether this terminal can do it next."""

    need: PermitNeed
    item: ServiceItem | None  # the item on this terminal that grants it, if any
    can_start: bool  # the case is issued now: the item can start at once, in this session

    @property
    def sentence(self) -> str:
        """经营“…”需要先取得… / 经营“…”需要办理…"""
        return permit_line(self.need.scope_name, self.need.permit, self.need.kind)

    @property
    def where(self) -> str:
        """Where the resident gets it when it cannot start here now ('' when it can)."""
        if self.can_start:
            return ""
        if self.item is None:
            return WINDOW
        return f"营业执照发放后，可在本机办理“{self.item.name}”，或{WINDOW[1:]}"


def granting_item(need: PermitNeed, catalogue: Mapping[str, ServiceItem]) -> ServiceItem | None:
    """The first item of the catalogue in force that grants `need`, if there is one."""
    return next((catalogue[i] for i in need.items if i in catalogue), None)


def outstanding(
    permits: Iterable[PermitNeed], item: ServiceItem, catalogue: Mapping[str, ServiceItem]
) -> list[PermitNeed]:
    """The permits the case still needs: one the item itself grants (一业一证: the convenience
    store's licence files the food sales too) is done already."""
    left = []
    for need in permits:
        grants = granting_item(need, catalogue)
        if grants is not None and grants.effects and set(grants.effects) <= set(item.effects):
            continue
        left.append(need)
    return left


def follow_ons(
    permits: Iterable[PermitNeed],
    item: ServiceItem,
    catalogue: Mapping[str, ServiceItem],
    outcome: str,
    credit_code: str,
) -> list[FollowOn]:
    """What to tell and offer for each permit of a decided case (`credit_code`: the business the
    case registered or changed, '' when it has none yet)."""
    issued = outcome in ISSUED_NOW and bool(credit_code)
    out = []
    for need in outstanding(permits, item, catalogue):
        grants = granting_item(need, catalogue)
        out.append(FollowOn(need, grants, issued and grants is not None))
    return out


def carried_answers(
    previous: ServiceItem, answers: Mapping[str, Any], following: ServiceItem, credit_code: str
) -> dict[str, Any]:
    """The answers of `following` that the resident already gave for `previous`: the credit code
    of the business just registered, and every field both items have with the same id and type
    (the phone number, a confirmed premises address). Choices are carried only where the new
    field offers them; the card's fields are prefilled from the card anyway."""
    before = {f.id: f for f in previous.fields}
    carried: dict[str, Any] = {}
    for f in following.fields:
        if f.type in NOT_CARRIED or f.prefill in CARD_PREFILLS:
            continue
        if credit_code and (f.prefill == "e_licence.credit_code" or f.id == "credit_code"):
            carried[f.id] = credit_code
            continue
        old = before.get(f.id)
        value = answers.get(f.id)
        if old is None or old.type != f.type or value in (None, "", []):
            continue
        if f.type == "choice" and value not in f.choices:
            continue
        if f.type == "multi_choice":
            value = [v for v in (value if isinstance(value, list) else []) if v in (f.choices or [])]
            if not value:
                continue
        carried[f.id] = list(value) if isinstance(value, list | tuple) else value
    return carried


def guide_item_for(item: ServiceItem, catalogue: Mapping[str, ServiceItem]) -> ServiceItem | None:
    """The guide-printing item of the catalogue that prints `item`'s guide, if there is one."""
    return next(
        (
            g
            for g in catalogue.values()
            if g.kind == "guide" and any(item.name in f.choices for f in g.fields if f.type == "choice")
        ),
        None,
    )


def print_guide(journey: JourneyService, guide: ServiceItem, item_name: str) -> IssueResult:
    """Print the guide of the item called `item_name` as a case of the guide-printing item
    (journalled, numbered and signed like any guide; nobody identified). Blocking: run it off
    the UI thread."""
    from kiosk.core.identity import Visitor
    from kiosk.core.session import Session

    session = Session(idle_seconds=0, countdown_seconds=0)
    session.item, session.identity = guide, Visitor()
    session.answers = {f.id: item_name for f in guide.fields if f.type == "choice" and item_name in f.choices}
    decision = journey.decide(session)
    if not decision.issues_documents_now:
        raise ValueError(f"the guide of {item_name!r} cannot be printed: {decision.outcome}")
    return journey.issue(journey.commit(session, decision))
