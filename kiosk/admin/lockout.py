"""Wrong PINs lock admin mode out for longer and longer, and the count survives a restart
(it is in the store, not in memory), so switching the terminal off and on buys no guesses."""

from __future__ import annotations

import time
from collections.abc import Callable

from kiosk.config import AdminConfig
from kiosk.core.store import Store


class Lockout:
    """The count of wrong PINs since the last right one, and until when no PIN is tried.

    A lockout is measured as time elapsed on a monotonic clock, so setting the wall clock back
    a year cannot stretch a 30 s lockout into a year (nor forward, shorten it) while the kiosk
    runs. After a restart only the stored wall-clock deadline is left; it is trusted only within
    the lockout's own length, so a clock set back since still waits at most that length.
    """

    def __init__(
        self,
        store: Store,
        config: AdminConfig,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        self.store, self.config, self.clock = store, config, clock
        # A fake wall clock in tests drives both; the real one pairs with time.monotonic.
        self.monotonic = monotonic or (time.monotonic if clock is time.time else clock)
        self._started: tuple[int, float] | None = None  # (failures, monotonic time) this run

    def _row(self) -> tuple[int, float]:
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT failures, locked_until FROM admin_lockout WHERE id = 1"
            ).fetchone()
        return (row[0], row[1]) if row else (0, 0.0)

    def seconds_left(self) -> int:
        """How long until a PIN may be tried again (0: now), never more than the lockout itself."""
        failures, until = self._row()
        delay = self.delay_after(failures)
        if delay <= 0:
            return 0
        if self._started is not None and self._started[0] == failures:
            left = delay - (self.monotonic() - self._started[1])
        else:  # started before this run: the stored deadline, bounded by the lockout's length
            left = min(float(delay), until - self.clock())
        return max(0, int(left + 0.999))

    def failures(self) -> int:
        """Wrong PINs since the last right one."""
        return self._row()[0]

    def delay_after(self, failures: int) -> int:
        """The lockout after the `failures`-th wrong PIN in a row: none for the free tries, then
        doubling from the first lockout up to the longest."""
        beyond = failures - self.config.free_tries
        if beyond <= 0:
            return 0
        return min(self.config.max_lockout_seconds, self.config.first_lockout_seconds * 2 ** (beyond - 1))

    def record_failure(self) -> int:
        """One more wrong PIN; the lockout it starts, in seconds."""
        failures = self.failures() + 1
        delay = self.delay_after(failures)
        with self.store.durable() as conn:
            conn.execute(
                "INSERT INTO admin_lockout(id, failures, locked_until) VALUES (1, ?, ?) ON CONFLICT(id)"
                " DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
                (failures, self.clock() + delay),
            )
        self._started = (failures, self.monotonic())
        return delay

    def record_success(self) -> None:
        """A right PIN: the count starts again."""
        with self.store.durable() as conn:
            conn.execute("DELETE FROM admin_lockout")
        self._started = None
