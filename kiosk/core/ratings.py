"""好差评: the resident rates the service at the end of a case (seed 001 §十四), five levels with
optional reasons. A rating is appended to the case's trail and queued for the centre in one
durable transaction; a case is rated once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kiosk.core.cases import CaseRepository

RATINGS_FILE = Path(__file__).resolve().parent.parent / "data" / "ratings.toml"


@dataclass(frozen=True)
class RatingLevel:
    """One level: its value (5 best … 1 worst), its label and the reasons offered with it."""

    value: int
    label: str
    reasons: tuple[str, ...]


class RatingError(ValueError):
    """A rating that is not one of the levels, names a reason not offered, or comes twice."""


@cache
def rating_levels(path: Path = RATINGS_FILE) -> tuple[RatingLevel, ...]:
    """The levels, best first."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    levels = tuple(
        RatingLevel(int(entry["value"]), str(entry["label"]), tuple(entry["reasons"]))
        for entry in data["levels"]
    )
    return tuple(sorted(levels, key=lambda level: -level.value))


def check_rating(value: int, reasons: list[str]) -> RatingLevel:
    """The level of a rating; RatingError when the value or a reason is not on offer."""
    level = next((level for level in rating_levels() if level.value == value), None)
    if level is None:
        raise RatingError(f"no rating level {value}")
    unknown = [reason for reason in reasons if reason not in level.reasons]
    if unknown:
        raise RatingError(f"reasons not offered with level {value}: {unknown}")
    return level


def record_rating(
    cases: CaseRepository, case_id: str, value: int, reasons: list[str], journey_seconds: float
) -> None:
    """Keep the resident's rating of a case and queue it for the centre (RatingError if the
    case was rated already, or the rating is not on offer)."""
    level = check_rating(value, reasons)
    if any(kind == "rated" for kind, _ in cases.events(case_id)):
        raise RatingError(f"case {case_id} is rated already")
    detail = {
        "level": level.value,
        "label": level.label,
        "reasons": list(dict.fromkeys(reasons)),
        "journey_seconds": round(journey_seconds, 1),
    }
    cases.record_action(case_id, "rated", "rating", detail)
