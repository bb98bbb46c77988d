"""After the decision: issuing and printing the case's documents (with a 告知承诺 accepted
first where the case needs one), 证照联办 into the next item, the 办事指南 to take elsewhere,
自助打证 of a listed case, and the resident's 好差评.

QML reaches it as `issuing`. The case it issues is the one the journey committed (`Shared.case`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from forms.outcomes import Outcome
from kiosk.core.lifecycle import CaseState
from kiosk.core.session import Screen
from kiosk.ui.controllers.shared import Shared, plain
from kiosk.ui.qml_property import qml_property

if TYPE_CHECKING:
    from forms.catalogue import ServiceItem
    from kiosk.core.case_status import CaseStatus
    from kiosk.core.cases import CaseRecord
    from kiosk.core.follow_on import FollowOn
    from kiosk.core.issuing import IssueResult

log = logging.getLogger(__name__)


class IssuingController(QObject):
    """Prints what the committed case grants, lists and prints the resident's cases, takes the rating."""

    changed = Signal()

    def __init__(self, shared: Shared, parent: QObject | None = None) -> None:
        """Issues `shared.case`, the case committed for the resident at the screen."""
        super().__init__(parent)
        self._shared = shared
        self._case_rows: list[dict[str, Any]] = []  # 办件查询's answer, while it shows

    # ---- properties ---------------------------------------------------------------------------
    def _get_result(self) -> dict:
        return dict(self._shared.session.result)

    def _get_case_rows(self) -> list:
        return list(self._case_rows)

    def _get_rating_levels(self) -> list:
        from kiosk.core.ratings import rating_levels

        return [{"value": r.value, "label": r.label, "reasons": list(r.reasons)} for r in rating_levels()]

    result = qml_property("QVariantMap", _get_result, notify=changed)  # what was issued and printed
    caseRows = qml_property("QVariantList", _get_case_rows, notify=changed)
    ratingLevels = qml_property("QVariantList", _get_rating_levels, constant=True)

    # ---- what the decision screen offers ------------------------------------------------------
    def follow_ons(self) -> list[FollowOn]:
        """The permits and filings the decided case still needs, and what this terminal offers."""
        shared = self._shared
        decision, item = shared.session.decision, shared.session.item
        if decision is None or item is None or shared.services is None or not decision.permits:
            return []
        from kiosk.core.follow_on import follow_ons

        case = shared.case
        code = str(case.summary.get("credit_code") or "") if case is not None else ""
        outcome = case.outcome if case is not None else decision.outcome
        return follow_ons(decision.permits, item, shared.services.catalogue, outcome, code)

    def guide_item(self) -> ServiceItem | None:
        """The guide-printing item (办事指南) of the catalogue in force, if it prints this item's guide."""
        item, services = self._shared.session.item, self._shared.services
        if item is None or services is None:
            return None
        from kiosk.core.follow_on import guide_item_for

        return guide_item_for(item, services.catalogue)

    # ---- printing the committed case ----------------------------------------------------------
    def _issue(self, accept_commitment: bool) -> None:
        """Print the committed case (recording the accepted 告知承诺 first if asked)."""
        shared = self._shared
        case, item = shared.case, shared.session.item
        if case is None or item is None:
            return
        journey = shared.running.journey
        shared.session.print_documents()
        shared.busy = True
        shared.refresh()

        def issue() -> IssueResult:
            return journey.issue(journey.accept_commitment(case, item) if accept_commitment else case)

        shared.worker.run(issue, self._on_issued, shared.failed)

    @Slot()
    def printDocuments(self) -> None:
        """Issue and print the committed case's documents and receipt."""
        self._issue(accept_commitment=False)

    @Slot()
    def acceptCommitment(self) -> None:
        """The resident accepted the 告知承诺 on the decision screen: record it, then print."""
        case = self._shared.case
        if case is not None and case.outcome == Outcome.APPROVED_ON_COMMITMENT:
            self._issue(accept_commitment=True)

    def _on_issued(self, issued: IssueResult) -> None:
        self._shared.busy = False
        self._shared.session.finished(
            {
                "caseNumber": issued.case_number,
                "creditCode": issued.credit_code or "",
                "documents": issued.documents,
                "problems": issued.problems,
            }
        )
        self._shared.refresh()

    # ---- 证照联办 and the 办事指南 -----------------------------------------------------------
    @Slot(str)
    def continueWith(self, item_id: str) -> None:
        """证照联办: print this case (accepting its commitment, shown above the button, if it has
        one), then start `item_id` for the same resident, identity kept and answers carried over
        (the new business's credit code first)."""
        shared = self._shared
        case, item = shared.case, shared.session.item
        if case is None or item is None or shared.session.screen is not Screen.DECISION or shared.busy:
            return
        offered = {f.item.id: f.item for f in self.follow_ons() if f.can_start and f.item is not None}
        following = offered.get(item_id)
        if following is None:
            log.warning("follow-on refused: not offered for this case", extra={"item": item_id})
            return
        from kiosk.core.follow_on import carried_answers

        code = str(case.summary.get("credit_code") or "")
        carried = carried_answers(item, shared.session.answers, following, code)
        journey = shared.running.journey
        committing = case.outcome == Outcome.APPROVED_ON_COMMITMENT
        shared.session.print_documents()
        shared.busy = True
        shared.refresh()

        def issue() -> IssueResult:
            return journey.issue(journey.accept_commitment(case, item) if committing else case)

        shared.worker.run(
            issue, lambda issued: self._continue_after(issued, following, carried), shared.failed
        )

    def _continue_after(self, issued: IssueResult, following: ServiceItem, carried: dict[str, Any]) -> None:
        shared = self._shared
        shared.busy = False
        if shared.session.screen is not Screen.PRINTING:
            return  # the resident left meanwhile
        shared.case = None
        log.info("follow-on item started", extra={"case": issued.case_number, "item": following.id})
        shared.session.continue_with(following, carried)
        if issued.problems:
            shared.refresh(" ".join(issued.problems))
            return
        printed = f"，{'、'.join(issued.documents)}已打印，请取走" if issued.documents else ""
        shared.refresh(
            f"办件{issued.case_number}已办结{printed}。现在接着办理“{following.name}”。", good=True
        )

    def can_print_guide(self) -> bool:
        """Sent to another authority: the decision screen offers the item's 办事指南 to take along."""
        shared = self._shared
        decision = shared.session.decision
        if decision is None or self.guide_item() is None:
            return False
        from kiosk.ui import viewmodels

        view = viewmodels.decision_view(decision, shared.session.case_number, self.follow_ons(), True)
        return bool(view.get("printGuide"))

    @Slot()
    def printGuide(self) -> None:
        """Print the item's 办事指南 (as the guide-printing item does); the decision stays on the screen."""
        shared = self._shared
        item, guide = shared.session.item, self.guide_item()
        if shared.session.screen is not Screen.DECISION or item is None or guide is None or shared.busy:
            return
        if not self.can_print_guide():
            return
        from kiosk.core.follow_on import print_guide

        journey = shared.running.journey
        shared.busy = True
        shared.refresh()
        shared.worker.run(
            lambda: print_guide(journey, guide, item.name), self._on_guide_printed, shared.failed
        )

    def _on_guide_printed(self, issued: IssueResult) -> None:
        self._shared.busy = False
        if issued.problems:
            self._shared.refresh(" ".join(issued.problems))
        else:
            self._shared.refresh("办事指南已打印，请取走，带到办理地点。", good=True)

    # ---- 办件查询 and 自助打证 ----------------------------------------------------------------
    def list_cases(self, found: list[CaseStatus]) -> None:
        """Show the resident's cases found by the query item."""
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
        self._shared.session.show_cases()
        self._shared.refresh()

    @Slot(str)
    def printCase(self, case_id: str) -> None:
        """自助打证: print one of the listed cases (only one listed as printable for this resident)."""
        shared = self._shared
        if shared.session.screen is not Screen.CASES or shared.services is None:
            return
        if not any(row["id"] == case_id and row["printable"] for row in self._case_rows):
            log.warning("print refused: not a printable case of this resident")
            return
        case = shared.services.cases.get(case_id)
        if case is None:
            return
        shared.session.print_case()
        self._print(case)

    @Slot()
    def printAgain(self) -> None:
        """What did not print, printed again from the rating screen (paper put in, a jam
        cleared): only for this session's case, and only while it is still waiting for paper."""
        shared = self._shared
        case = shared.case
        if case is None or shared.services is None or shared.busy:
            return
        if shared.session.screen is not Screen.RATING:
            return
        current = shared.services.cases.get(case.id)
        if current is None or current.state is not CaseState.PRINT_PENDING:
            log.warning("print again refused: the case is not waiting for paper", extra={"case": case.number})
            return
        shared.session.print_again()
        self._print(current)

    def _print(self, case: CaseRecord) -> None:
        """Issue `case`'s documents in the background; the rating screen then shows what printed."""
        shared = self._shared
        assert shared.services is not None  # the callers checked
        shared.case = case
        shared.busy = True
        shared.refresh()
        journey = shared.services.journey
        shared.worker.run(lambda: journey.issue(case), self._on_issued, shared.failed)

    # ---- 好差评 ---------------------------------------------------------------------------------
    @Slot(int, "QVariant")
    def rate(self, value: int, reasons: Any) -> None:
        """The resident's 好差评 of this case: kept with the case and sent to the centre."""
        shared = self._shared
        case = shared.case
        if case is None or shared.session.screen is not Screen.RATING:
            return
        from kiosk.core.ratings import record_rating

        chosen = [str(r) for r in (plain(reasons) or [])]
        seconds = shared.session.journey_seconds()
        cases = shared.running.cases
        shared.busy = True
        shared.refresh()
        shared.worker.run(
            lambda: record_rating(cases, case.id, value, chosen, seconds),
            lambda _: self._after_rating(),
            self._on_rating_failed,
        )

    @Slot()
    def skipRating(self) -> None:
        """The resident does not want to rate: on to the thank-you screen."""
        if self._shared.session.screen is Screen.RATING:
            log.info("rating skipped")
            self._shared.session.rating_done()
            self._shared.refresh()

    def _after_rating(self) -> None:
        self._shared.busy = False
        if self._shared.session.screen is Screen.RATING:
            self._shared.session.rating_done()
        self._shared.refresh()

    def _on_rating_failed(self, exc: Exception) -> None:
        # The case itself is safe; a rating that could not be kept must not hold the resident up.
        log.error("rating not recorded: %s", exc)
        self._after_rating()

    # ---- going home ---------------------------------------------------------------------------
    def leave(self) -> None:
        """The resident went home: a case decided but not yet printed is settled in the background
        so it can be picked up later (print-pending, or awaiting the commitment signature)."""
        shared = self._shared
        case, shared.case = shared.case, None
        if case is not None and shared.session.screen is Screen.DECISION and shared.services is not None:
            journey = shared.services.journey
            shared.worker.run(lambda: journey.leave_undone(case), lambda _: None, shared.failed)
        self._case_rows = []
