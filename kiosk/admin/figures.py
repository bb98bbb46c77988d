"""Today's figures for the hall: cases per item and outcome, the ratings, and how long a
journey takes (from the ratings, which carry the resident's time at the terminal)."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from dataclasses import dataclass, field

from forms.outcomes import OUTCOME_LABELS
from kiosk.core.store import Store


@dataclass
class DayFigures:
    """One day at one terminal."""

    day: str
    cases: int = 0
    by_item: dict[str, int] = field(default_factory=dict)  # item name → cases
    by_outcome: dict[str, int] = field(default_factory=dict)  # outcome label → cases
    ratings: dict[int, int] = field(default_factory=dict)  # level 1–5 → count
    average_rating: float | None = None
    median_journey_seconds: float | None = None


def day_figures(store: Store, day: dt.date) -> DayFigures:
    """The figures of `day` (the terminal's local date, as cases are stamped)."""
    prefix = day.isoformat()
    with store.lock:
        cases = store.conn.execute(
            "SELECT outcome, summary FROM cases WHERE created_at >= ? AND created_at < ?",
            (prefix, (day + dt.timedelta(days=1)).isoformat()),
        ).fetchall()
        rated = store.conn.execute(
            "SELECT detail FROM case_events WHERE kind = 'rated' AND at >= ? AND at < ?",
            (prefix, (day + dt.timedelta(days=1)).isoformat()),
        ).fetchall()
    items = Counter(json.loads(summary).get("item_name", "?") for _, summary in cases)
    outcomes = Counter(OUTCOME_LABELS.get(outcome, outcome) for outcome, _ in cases)
    details = [json.loads(row[0]) for row in rated]
    levels = Counter(int(d["level"]) for d in details if "level" in d)
    seconds = [float(d["journey_seconds"]) for d in details if d.get("journey_seconds")]
    return DayFigures(
        prefix,
        len(cases),
        dict(items.most_common()),
        dict(outcomes.most_common()),
        {level: levels.get(level, 0) for level in range(5, 0, -1)},
        round(sum(level * n for level, n in levels.items()) / sum(levels.values()), 2) if levels else None,
        round(statistics.median(seconds), 1) if seconds else None,
    )
