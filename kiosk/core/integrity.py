"""SQLite's full integrity check of the store, once a day while the kiosk runs.

The start runs `PRAGMA quick_check` (store_survey); this runs the slower `integrity_check` on a
connection of its own (read-only: residents' commits go on meanwhile) when the last one is a day
old, by the store's own record of it. A damaged store puts the terminal out of service.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.core.availability import Availability

if TYPE_CHECKING:
    from kiosk.core.store import Store

log = logging.getLogger(__name__)
CHECK = "store_integrity"
LAST_CHECKED = "integrity_checked_at"
EVERY_SECONDS = 86_400.0


def integrity_problems(store: Store, limit: int = 10) -> list[str]:
    """What `PRAGMA integrity_check` finds wrong with the store file ([] when it is whole);
    sqlite3.OperationalError when the check could not run (busy, no memory): not a verdict."""
    conn = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        rows = [row[0] for row in conn.execute(f"PRAGMA integrity_check({int(limit)})")]
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:  # malformed: the damage stopped the check itself
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


class NightlyIntegrity:
    """Runs the full check when due, and reports the outcome to `availability`."""

    def __init__(
        self,
        store: Store,
        availability: Availability,
        clock: Callable[[], float] = time.time,
        every: float = EVERY_SECONDS,
    ) -> None:
        self._store = store
        self._availability = availability
        self._clock = clock
        self._every = every

    def due(self) -> bool:
        """True when no check has run for `every` seconds (by the store's record)."""
        try:
            last = float(self._store.meta(LAST_CHECKED) or 0)
        except ValueError:
            last = 0.0
        now = self._clock()
        return now - last >= self._every or now < last  # a clock set back: check again

    def run_if_due(self) -> list[str] | None:
        """Check when due; the problems found ([] when whole), or None when it was not due."""
        if not self.due():
            return None
        started = time.monotonic()
        try:
            problems = integrity_problems(self._store)
        except sqlite3.OperationalError as exc:
            log.warning("integrity check could not run; tried again later", extra={"error": str(exc)})
            return None
        if problems:
            self._availability.report(
                CHECK,
                f"PRAGMA integrity_check on {self._store.path}: " + "; ".join(problems)[:400],
                f"办件库 {self._store.path.name} 完整性检查未通过：终端暂停受理新业务。"
                "请技术人员从备份恢复（勿删除该文件）。",
            )
            return problems
        self._availability.clear(CHECK)
        try:
            self._store.set_meta(LAST_CHECKED, f"{self._clock():.0f}")
        except sqlite3.OperationalError as exc:  # a full disk: the check runs again next time
            log.warning("integrity check time not kept", extra={"error": str(exc)})
        log.info("store integrity checked", extra={"seconds": round(time.monotonic() - started, 2)})
        return problems
