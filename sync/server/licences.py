"""Licence-number blocks: each division's serials are drawn from one counter, so blocks never
overlap, and a terminal can draw only what it can use.

- Quota: a terminal holds at most ``MAX_OUTSTANDING`` serials it has not used yet. What it used
  the centre learns from the cases it uploads (a case's ``summary.licence_serial``, a
  ``licence_issued`` action); a terminal takes serials in order, so every serial of its blocks up
  to the highest one reported counts as used.
- Rate: at most ``MAX_PER_DAY`` serials per terminal in any 24 hours, so even a terminal that
  lies about what it used cannot empty its division's space (31⁷ serials: the seven base-31
  characters of a credit code's entity part) in less than millennia.
- The end of the space: the last block is cut to what is left, and after it every request is
  refused; a warning is logged once less than ``LOW_FRACTION`` of a division's space is left, and
  ``kiosk-central serials`` prints what each division has left.

A refusal is a LicenceRefusedError with the reason and, for quota and rate, when to ask again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sync.server.database import Transaction

log = logging.getLogger(__name__)

SPACE = 31**7  # serials 0 … 31⁷-1 map one-to-one to a credit code's entity part (forms/ids.py)
FIRST_SERIAL = 10_000
MAX_OUTSTANDING = 5_000
MAX_PER_DAY = 20_000
LOW_FRACTION = 0.01



class LicenceRefusedError(Exception):
    """No block: `reason` is licence_quota, licence_rate or serials_exhausted."""

    def __init__(self, reason: str, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class SpaceLeft:
    """How much of a division's serial space is left."""

    division_code: str
    drawn: int
    left: int

    @property
    def fraction_left(self) -> float:
        """The share of the division's space not drawn yet."""
        return self.left / (SPACE - FIRST_SERIAL)

    @property
    def low(self) -> bool:
        """True when less than LOW_FRACTION is left."""
        return self.fraction_left < LOW_FRACTION


def counter_name(division: str) -> str:
    """The counter a division's serials are drawn from."""
    return f"licence_serial:{division}"


def draw(tx: Transaction, terminal_id: str, size: int, now: dt.datetime) -> tuple[str, int, int]:
    """Draw a block of up to `size` serials for the terminal, inside the caller's transaction:
    (division, first serial, last serial). Raises LicenceRefusedError (the transaction must then
    be rolled back, which it is when the error leaves it)."""
    # Lock the terminal's row first: two requests of one terminal (on two servers) queue here, so
    # the quota read below stays true until the commit.
    row = tx.execute(
        "UPDATE terminals SET division_code = division_code WHERE terminal_id = ? RETURNING division_code",
        (terminal_id,),
    ).fetchone()
    division = row[0]
    outstanding = outstanding_serials(tx, terminal_id)
    if outstanding + size > MAX_OUTSTANDING:
        raise LicenceRefusedError(
            "licence_quota",
            f"this terminal holds {outstanding} unused serials; at most {MAX_OUTSTANDING} may be outstanding",
            retry_after=3600,
        )
    since = (now - dt.timedelta(days=1)).isoformat(timespec="milliseconds")
    today = tx.execute(
        "SELECT COALESCE(SUM(last_serial - first_serial + 1), 0) FROM licence_blocks"
        " WHERE terminal_id = ? AND allocated_at >= ?",
        (terminal_id, since),
    ).fetchone()[0]
    if today + size > MAX_PER_DAY:
        raise LicenceRefusedError(
            "licence_rate",
            f"this terminal drew {today} serials in 24 hours; at most {MAX_PER_DAY} a day",
            retry_after=3600,
        )
    name = counter_name(division)
    after = tx.execute(
        "INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name)"
        " DO UPDATE SET value = counters.value + ? RETURNING value",
        (name, FIRST_SERIAL + size, size),
    ).fetchone()[0]
    first = after - size
    if first >= SPACE:
        log.error("licence serials of division %s are used up: block refused to %s", division, terminal_id)
        raise LicenceRefusedError("serials_exhausted", f"division {division} has no licence serials left")
    last = min(first + size, SPACE) - 1
    if last + 1 < after:  # the last block of the space: cut to what was left
        tx.execute("UPDATE counters SET value = ? WHERE name = ?", (last + 1, name))
    left = SPACE - (last + 1)
    if left / (SPACE - FIRST_SERIAL) < LOW_FRACTION:
        log.warning(
            "licence serials of division %s running low: %d left (%.2f%%) after a block to %s",
            division, left, 100 * left / (SPACE - FIRST_SERIAL), terminal_id,
        )
    return division, first, last


def outstanding_serials(tx: Transaction, terminal_id: str) -> int:
    """Serials of the terminal's blocks above the highest it reported using."""
    row = tx.execute("SELECT max_serial FROM licence_usage WHERE terminal_id = ?", (terminal_id,)).fetchone()
    used = row[0] if row else -1
    return tx.execute(
        "SELECT COALESCE(SUM(last_serial - CASE WHEN first_serial > ? THEN first_serial ELSE ? END + 1), 0)"
        " FROM licence_blocks WHERE terminal_id = ? AND last_serial > ?",
        (used, used + 1, terminal_id, used),
    ).fetchone()[0]


def record_use(tx: Transaction, terminal_id: str, serial: int) -> None:
    """Note that the terminal used `serial` (only one of its own blocks' counts)."""
    mine = tx.execute(
        "SELECT 1 FROM licence_blocks WHERE terminal_id = ? AND first_serial <= ? AND last_serial >= ?",
        (terminal_id, serial, serial),
    ).fetchone()
    if mine is None:
        return
    tx.execute(
        "INSERT INTO licence_usage(terminal_id, max_serial) VALUES (?, ?) ON CONFLICT(terminal_id)"
        " DO UPDATE SET max_serial = CASE WHEN excluded.max_serial > licence_usage.max_serial"
        " THEN excluded.max_serial ELSE licence_usage.max_serial END",
        (terminal_id, serial),
    )


def space_left(tx: Transaction) -> list[SpaceLeft]:
    """Every division that has drawn serials, with what it has left."""
    rows = tx.execute(
        "SELECT name, value FROM counters WHERE name LIKE ? ORDER BY name", (counter_name("") + "%",)
    ).fetchall()
    return [
        SpaceLeft(name.split(":", 1)[1], value - FIRST_SERIAL, max(0, SPACE - value)) for name, value in rows
    ]


def as_block(row: tuple[Any, ...]) -> dict[str, Any]:
    """A stored block as the protocol sends it: (block id, terminal, division, first, last)."""
    return {"block_id": row[0], "division_code": row[2], "first_serial": row[3], "last_serial": row[4]}
