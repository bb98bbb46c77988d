"""The case lifecycle as an explicit state machine: an illegal transition raises."""

from __future__ import annotations

import enum


class CaseState(enum.Enum):
    """Every state a case can be in on the terminal."""

    DECIDED = "decided"  # decision committed; documents not yet out
    ISSUED = "issued"  # documents printed
    PRINT_PENDING = "print_pending"  # printing failed or deferred; print later or at a window
    AWAITING_SIGNATURE = "awaiting_signature"  # 告知承诺 decided but not yet signed
    AWAITING_REVIEW = "awaiting_review"  # manual review or materials pending; result by sync
    APPROVED_BY_OFFICE = "approved_by_office"
    RETURNED_BY_OFFICE = "returned_by_office"
    CLOSED = "closed"
    PURGED = "purged"  # personal data removed after retention


_ALLOWED: dict[CaseState, frozenset[CaseState]] = {
    CaseState.DECIDED: frozenset(
        {CaseState.ISSUED, CaseState.PRINT_PENDING, CaseState.AWAITING_REVIEW, CaseState.AWAITING_SIGNATURE}
    ),
    CaseState.AWAITING_SIGNATURE: frozenset({CaseState.ISSUED, CaseState.PRINT_PENDING, CaseState.CLOSED}),
    CaseState.PRINT_PENDING: frozenset({CaseState.ISSUED}),
    CaseState.AWAITING_REVIEW: frozenset(
        {
            CaseState.APPROVED_BY_OFFICE,
            CaseState.RETURNED_BY_OFFICE,
            # accepted while licence numbers were used up: the number has arrived
            CaseState.PRINT_PENDING,
            CaseState.AWAITING_SIGNATURE,
        }
    ),
    CaseState.APPROVED_BY_OFFICE: frozenset({CaseState.ISSUED, CaseState.PRINT_PENDING}),
    CaseState.RETURNED_BY_OFFICE: frozenset({CaseState.CLOSED}),
    CaseState.ISSUED: frozenset({CaseState.CLOSED}),
    CaseState.CLOSED: frozenset({CaseState.PURGED}),
    CaseState.PURGED: frozenset(),
}


class IllegalTransitionError(RuntimeError):
    """A case was asked to move to a state it cannot reach from where it is."""


def check_transition(current: CaseState, target: CaseState) -> None:
    """Raise IllegalTransitionError unless `current` → `target` is allowed."""
    if target not in _ALLOWED[current]:
        raise IllegalTransitionError(f"case cannot go from {current.value} to {target.value}")


def allowed_targets(current: CaseState) -> frozenset[CaseState]:
    """The states a case in `current` may move to."""
    return _ALLOWED[current]
