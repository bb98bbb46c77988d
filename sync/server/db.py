"""The central platform's store: SQLite by default, PostgreSQL when given a ``postgresql://``
URL (sync/server/database.py). Every write is one transaction; uniqueness is enforced by the
database (the client's UUIDs), never by checking first and inserting later; counters advance in
one statement, so two connections never draw the same value.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.server import licences
from sync.server.case_schema import licence_serial_of
from sync.server.database import Database, Transaction, open_database
from sync.server.migrations import MIGRATIONS, migrate

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class Ack:
    """The server's acknowledgement of one uploaded entry, the same on every replay."""

    entry_uuid: str
    case_id: str
    server_seq: int
    received_at: str

    def as_json(self) -> dict[str, Any]:
        """The acknowledgement as the protocol sends it."""
        return {
            "entry_uuid": self.entry_uuid,
            "case_id": self.case_id,
            "server_seq": self.server_seq,
            "received_at": self.received_at,
        }


@dataclass(frozen=True)
class Upload:
    """One outbox entry as uploaded."""

    entry_uuid: str
    case_id: str
    kind: str
    terminal_seq: int
    body: dict[str, Any]


class ConflictError(ValueError):
    """The same UUID arrived again with different content (`what` is "uuid"), or a case id of
    another terminal did ("case_owned")."""

    def __init__(self, value: str, what: str = "uuid") -> None:
        super().__init__(value)
        self.what = what

    @property
    def message(self) -> str:
        """Why, for the terminal."""
        if self.what == "case_owned":
            return "this case id belongs to another terminal"
        return "this UUID was uploaded before with other content"


def _check_number(tx: Transaction, terminal_id: str, upload: Upload, received_at: str) -> None:
    """The first case to use a number keeps it; another case with the same number (a terminal
    whose store was emptied and started again at 000001) is kept too, never dropped, and flagged
    for a person: a log error and a row in number_conflicts, listed by `kiosk-central conflicts`."""
    number = upload.body.get("number")
    if not isinstance(number, str) or not number:
        return
    tx.execute(
        "INSERT INTO case_numbers(terminal_id, number, case_id) VALUES (?,?,?) ON CONFLICT DO NOTHING",
        (terminal_id, number, upload.case_id),
    )
    first = tx.execute(
        "SELECT case_id FROM case_numbers WHERE terminal_id = ? AND number = ?", (terminal_id, number)
    ).fetchone()[0]
    if first == upload.case_id:
        return
    tx.execute(
        "INSERT INTO number_conflicts(terminal_id, number, case_id, first_case_id, seen_at)"
        " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
        (terminal_id, number, upload.case_id, first, received_at),
    )
    log.error(
        "case number %s of terminal %s reused by case %s (first used by %s): the terminal's store"
        " was replaced; a technician must look",
        number,
        terminal_id,
        upload.case_id,
        first,
    )


class CentralStore:
    """The centre's tables in one database: a SQLite file (WAL, synchronous=FULL) or PostgreSQL."""

    def __init__(self, target: str | Path) -> None:
        self.db: Database = open_database(target)
        migrate(self.db, MIGRATIONS)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def _transaction(self, work: Callable[[Transaction], Any]) -> Any:
        return self.db.transaction(work)

    @staticmethod
    def _next(tx: Transaction, name: str, step: int = 1, start: int = 1) -> int:
        """Advance a counter by `step` and return its value before (ordering by counters, not
        clocks). One statement: PostgreSQL locks the row, so concurrent callers queue."""
        after = tx.execute(
            "INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name)"
            " DO UPDATE SET value = counters.value + ? RETURNING value",
            (name, start + step, step),
        ).fetchone()[0]
        return after - step

    # ---- terminals ----------------------------------------------------------------------------
    def enrol(self, terminal_id: str, division_code: str) -> bytes:
        """Register a terminal (or re-key it) and return its new secret."""
        secret = secrets.token_bytes(32)
        self._transaction(
            lambda tx: tx.execute(
                "INSERT INTO terminals(terminal_id, secret_hex, division_code, enrolled_at) VALUES (?,?,?,?)"
                " ON CONFLICT(terminal_id) DO UPDATE SET secret_hex = excluded.secret_hex,"
                " division_code = excluded.division_code",
                (terminal_id, secret.hex(), division_code, _now()),
            )
        )
        return secret

    def secrets(self) -> dict[str, bytes]:
        """Terminal id → secret, for checking signatures."""
        rows = self.db.read(lambda tx: tx.execute("SELECT terminal_id, secret_hex FROM terminals").fetchall())
        return {terminal: bytes.fromhex(secret) for terminal, secret in rows}

    def secret_of(self, terminal_id: str) -> bytes | None:
        """One terminal's secret, or None when it is not enrolled."""
        row = self.db.read(
            lambda tx: tx.execute(
                "SELECT secret_hex FROM terminals WHERE terminal_id = ?", (terminal_id,)
            ).fetchone()
        )
        return bytes.fromhex(row[0]) if row else None

    def division_of(self, terminal_id: str) -> str:
        """The division a terminal was enrolled in."""
        row = self.db.read(
            lambda tx: tx.execute(
                "SELECT division_code FROM terminals WHERE terminal_id = ?", (terminal_id,)
            ).fetchone()
        )
        if row is None:
            raise KeyError(terminal_id)
        return row[0]

    def use_nonce(self, terminal_id: str, nonce: str, window: float) -> bool:
        """Record a nonce; False when it was seen within the window (a replayed request)."""
        now = time.time()

        def record(tx: Transaction) -> bool:
            tx.execute("DELETE FROM nonces WHERE seen_at < ?", (now - 2 * window,))
            cursor = tx.execute(
                "INSERT INTO nonces(terminal_id, nonce, seen_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                (terminal_id, nonce, now),
            )
            return cursor.rowcount == 1

        return self._transaction(record)

    # ---- cases --------------------------------------------------------------------------------
    def receive_case(
        self,
        terminal_id: str,
        entry_uuid: str,
        case_id: str,
        kind: str,
        terminal_seq: int,
        body: dict[str, Any],
    ) -> tuple[Ack, bool]:
        """Store an uploaded entry once; a replay gets the original acknowledgement (and False)."""
        upload = Upload(entry_uuid, case_id, kind, terminal_seq, body)
        return self._transaction(lambda tx: self._receive(tx, terminal_id, upload))

    def receive_cases(
        self, terminal_id: str, uploads: list[Upload]
    ) -> list[tuple[Ack, bool] | ConflictError]:
        """Store a batch in one transaction (one disk flush for all); per entry, what
        receive_case would have answered, or the ConflictError it would have raised."""

        def receive_all(tx: Transaction) -> list[tuple[Ack, bool] | ConflictError]:
            results: list[tuple[Ack, bool] | ConflictError] = []
            for upload in uploads:
                try:
                    results.append(self._receive(tx, terminal_id, upload))
                except ConflictError as exc:
                    results.append(exc)
            return results

        return self._transaction(receive_all)

    def _receive(self, tx: Transaction, terminal_id: str, upload: Upload) -> tuple[Ack, bool]:
        text = json.dumps(upload.body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        row = tx.execute(
            "SELECT terminal_id, case_id, body, server_seq, received_at FROM cases WHERE entry_uuid = ?",
            (upload.entry_uuid,),
        ).fetchone()
        if row is not None:
            if (row[0], row[1], row[2]) != (terminal_id, upload.case_id, text):
                raise ConflictError(upload.entry_uuid)
            return Ack(upload.entry_uuid, row[1], row[3], row[4]), False
        # A case id belongs to the terminal that sent it first: another terminal cannot add to
        # that case, nor have a clerk's decision on it sent its way.
        tx.execute(
            "INSERT INTO case_owners(case_id, terminal_id) VALUES (?, ?) ON CONFLICT(case_id) DO NOTHING",
            (upload.case_id, terminal_id),
        )
        owner = tx.execute(
            "SELECT terminal_id FROM case_owners WHERE case_id = ?", (upload.case_id,)
        ).fetchone()
        if owner[0] != terminal_id:
            raise ConflictError(upload.case_id, "case_owned")
        server_seq = self._next(tx, "case_seq")
        received_at = _now()
        tx.execute(
            "INSERT INTO cases(entry_uuid, terminal_id, case_id, kind, terminal_seq, body, server_seq,"
            " received_at) VALUES (?,?,?,?,?,?,?,?)",
            (
                upload.entry_uuid,
                terminal_id,
                upload.case_id,
                upload.kind,
                upload.terminal_seq,
                text,
                server_seq,
                received_at,
            ),
        )
        serial = licence_serial_of(upload.kind, upload.body)
        if serial is not None:
            licences.record_use(tx, terminal_id, serial)
        if upload.kind == "case":
            _check_number(tx, terminal_id, upload, received_at)
        return Ack(upload.entry_uuid, upload.case_id, server_seq, received_at), True

    def number_conflicts(self) -> list[dict[str, str]]:
        """Case numbers a terminal used for two different cases (a store replaced behind its back)."""
        rows = self.db.read(
            lambda tx: tx.execute(
                "SELECT terminal_id, number, case_id, first_case_id, seen_at FROM number_conflicts"
                " ORDER BY seen_at"
            ).fetchall()
        )
        keys = ("terminal_id", "number", "case_id", "first_case_id", "seen_at")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def case_count(self, terminal_id: str | None = None) -> int:
        """How many entries the server holds (for one terminal)."""
        if terminal_id is None:
            return self.db.read(lambda tx: tx.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
        return self.db.read(
            lambda tx: tx.execute(
                "SELECT COUNT(*) FROM cases WHERE terminal_id = ?", (terminal_id,)
            ).fetchone()[0]
        )

    def case_ids(self, terminal_id: str) -> list[str]:
        """The case ids a terminal has uploaded, in arrival order."""
        rows = self.db.read(
            lambda tx: tx.execute(
                "SELECT case_id FROM cases WHERE terminal_id = ? AND kind = 'case' ORDER BY server_seq",
                (terminal_id,),
            ).fetchall()
        )
        return [r[0] for r in rows]

    # ---- licence blocks ---------------------------------------------------------------------
    def licence_blocks(self) -> list[tuple[str, str, int, int]]:
        """Every block allocated: (block id, terminal, first serial, last serial)."""
        rows = self.db.read(
            lambda tx: tx.execute(
                "SELECT block_id, terminal_id, first_serial, last_serial FROM licence_blocks"
                " ORDER BY block_id"
            ).fetchall()
        )
        return [tuple(row) for row in rows]

    def allocate_block(self, terminal_id: str, request_uuid: str, size: int) -> dict[str, Any]:
        """A block of licence serials of the terminal's division, disjoint from every other block;
        a replayed request gets its block again. Raises licences.LicenceRefusedError beyond the
        terminal's quota or rate, or at the end of the division's serials (sync/server/licences.py)."""

        def allocate(tx: Transaction) -> tuple[Any, ...]:
            row = tx.execute(
                "SELECT block_id, terminal_id, division_code, first_serial, last_serial FROM licence_blocks"
                " WHERE request_uuid = ?",
                (request_uuid,),
            ).fetchone()
            if row is not None:
                if row[1] != terminal_id:
                    raise ConflictError(request_uuid)
                return tuple(row)
            division, first, last = licences.draw(tx, terminal_id, size, dt.datetime.now(dt.UTC))
            number = self._next(tx, "licence_block")
            block_id = f"BLK-{division}-{number:06d}"
            tx.execute(
                "INSERT INTO licence_blocks(block_id, request_uuid, terminal_id, division_code,"
                " first_serial, last_serial, allocated_at) VALUES (?,?,?,?,?,?,?)",
                (block_id, request_uuid, terminal_id, division, first, last, _now()),
            )
            return (block_id, terminal_id, division, first, last)

        return licences.as_block(self._transaction(allocate))

    def serial_space(self) -> list[licences.SpaceLeft]:
        """What each division has left of its licence serials."""
        return self.db.read(licences.space_left)


def publish_update(store: CentralStore, kind: str, sign: Any) -> dict[str, Any]:
    """Publish the next version of `kind`: `sign(version)` returns the signed document."""

    def publish(tx: Transaction) -> dict[str, Any]:
        row = tx.execute("SELECT MAX(version) FROM updates WHERE kind = ?", (kind,)).fetchone()
        version = (row[0] or 0) + 1
        document = sign(version)
        tx.execute(
            "INSERT INTO updates(kind, version, document, published_at) VALUES (?,?,?,?)",
            (kind, version, json.dumps(document, ensure_ascii=False), _now()),
        )
        return document

    return store.db.transaction(publish)


def latest_update(store: CentralStore, kind: str) -> dict[str, Any] | None:
    """The newest published document of `kind`, or None."""
    row = store.db.read(
        lambda tx: tx.execute(
            "SELECT document FROM updates WHERE kind = ? ORDER BY version DESC LIMIT 1", (kind,)
        ).fetchone()
    )
    return json.loads(row[0]) if row else None


REVIEW_OUTCOMES = ("manual_review", "accepted_pending")
LICENCE_WAIT = "licence_numbers_exhausted"


def review_queue(store: CentralStore) -> list[dict[str, Any]]:
    """Cases the terminals sent for a person to decide, without a decision yet.

    Bodies are checked when they arrive; one stored before that, of another shape, is listed
    with what could be read of it (never stops the queue for every other case)."""
    rows = store.db.read(
        lambda tx: tx.execute(
            "SELECT c.case_id, c.terminal_id, c.body FROM cases c"
            " LEFT JOIN office_decisions d ON d.case_id = c.case_id"
            " WHERE d.case_id IS NULL AND c.kind = 'case' ORDER BY c.server_seq"
        ).fetchall()
    )
    queue = []
    for case_id, terminal_id, text in rows:
        body = _object(json.loads(text))
        summary = _object(body.get("summary"))
        # A case waiting only for licence numbers is not for a person: the terminal issues it
        # when its next block arrives.
        if body.get("outcome") in REVIEW_OUTCOMES and summary.get("pending_reason") != LICENCE_WAIT:
            notices = summary.get("notices")
            notices = notices if isinstance(notices, list) else []
            queue.append(
                {
                    "case_id": case_id,
                    "terminal_id": terminal_id,
                    "number": _text(body.get("number")),
                    "item": _text(summary.get("item_name") or body.get("item_id")),
                    "applicant": _text(summary.get("applicant_masked")),
                    "notices": [
                        _text(_object(n).get("message")) for n in notices
                    ],
                }
            )
    return queue


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def record_decision(store: CentralStore, case_id: str, approved: bool, note: str, clerk: str) -> int:
    """A clerk's decision on a case under review; its sequence number. One decision per case."""

    def record(tx: Transaction) -> int:
        row = tx.execute("SELECT terminal_id FROM case_owners WHERE case_id = ?", (case_id,)).fetchone()
        if row is None:
            raise KeyError(case_id)
        if tx.execute("SELECT 1 FROM office_decisions WHERE case_id = ?", (case_id,)).fetchone():
            raise ConflictError(case_id)
        seq = store._next(tx, "office_decision")
        tx.execute(
            "INSERT INTO office_decisions(seq, case_id, terminal_id, approved, note, clerk, decided_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (seq, case_id, row[0], int(approved), note, clerk, _now()),
        )
        return seq

    return store.db.transaction(record)


def decisions_after(
    store: CentralStore, terminal_id: str, after: int, limit: int = 500
) -> list[dict[str, Any]]:
    """The decisions on a terminal's cases with a sequence number above `after`, in order."""
    rows = store.db.read(
        lambda tx: tx.execute(
            "SELECT seq, case_id, approved, note FROM office_decisions"
            " WHERE terminal_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            (terminal_id, after, limit),
        ).fetchall()
    )
    return [
        {
            "seq": seq,
            "case_id": case_id,
            "approved": bool(approved),
            "note": note,
            "reference": f"OD-{seq:08d}",
        }
        for seq, case_id, approved, note in rows
    ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
