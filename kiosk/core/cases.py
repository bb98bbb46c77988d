"""Cases on the terminal: created with their outbox entry in one durable transaction,
moved through the lifecycle with an append-only event trail.

Over 500 lines because licence serials, the print journal and lookups still live beside the
cases; issue 19 splits them into modules of their own."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any, cast

from forms.ids import normalise_resident_id
from forms.outcomes import Outcome
from kiosk.core import attachments as attachment_store
from kiosk.core.case_summary import CaseSummary
from kiosk.core.licence_serials import LICENCE_WAIT
from kiosk.core.lifecycle import CaseState, check_transition
from kiosk.core.store import Store
from sync import outbox


@dataclass(frozen=True)
class CaseRecord:
    """A case as the rest of the terminal sees it (personal data decrypted on demand)."""

    id: str
    number: str
    item_id: str
    item_version: str
    rules_version: str
    state: CaseState
    outcome: Outcome
    summary: CaseSummary
    seq: int
    created_at: str = ""  # the terminal's clock, for people; ordering uses seq


class PurgedError(LookupError):
    """The case's personal data was removed after its retention period (kiosk/core/retention.py)."""


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def add_event(conn: sqlite3.Connection, case_id: str, kind: str, detail: dict[str, Any]) -> None:
    """Append an event to a case's trail inside the caller's transaction."""
    conn.execute(
        "INSERT INTO case_events(case_id, kind, detail, at) VALUES (?,?,?,?)",
        (case_id, kind, json.dumps(detail, ensure_ascii=False), _now()),
    )


def _count_print(conn: sqlite3.Connection, kind: str, number: str) -> tuple[int, str]:
    """Add one to a journalled document's print count: (new count, case id); KeyError if never journalled."""
    row = conn.execute(
        "UPDATE issued_documents SET print_count = print_count + 1 "
        "WHERE kind = ? AND number = ? RETURNING print_count, case_id",
        (kind, number),
    ).fetchone()
    if row is None:
        raise KeyError(f"{kind} {number} was never issued here")
    return row[0], row[1]


def _record(row: sqlite3.Row) -> CaseRecord:
    return CaseRecord(
        row["id"],
        row["number"],
        row["item_id"],
        row["item_version"],
        row["rules_version"],
        CaseState(row["state"]),
        Outcome(row["outcome"]),
        cast(CaseSummary, json.loads(row["summary"])),
        row["seq"],
        row["created_at"],
    )


class CaseRepository:
    """Reads and writes cases in a Store."""

    def __init__(self, store: Store, terminal_id: str) -> None:
        self.store = store
        self.terminal_id = terminal_id

    def insert_decided(
        self,
        conn: sqlite3.Connection,
        *,
        item_id: str,
        item_version: str,
        rules_version: str,
        outcome: Outcome,
        personal: dict[str, Any],
        summary: CaseSummary,
        attachments: list[tuple[str, bytes]] | None = None,
    ) -> CaseRecord:
        """Store a decided case as given, with its event, outbox entry and `attachments` (kind,
        bytes: captured pages, a photo; kept encrypted), inside the caller's transaction.

        The outcome and summary are stored exactly as given: whatever changed them (a licence
        number not in hand) was decided by the caller, who shows the resident the same.
        """
        case_id = str(uuid.uuid4())
        seq = self.store.next_counter(conn, "case_seq")
        number = f"{self.terminal_id}-{seq:06d}"
        sealed = self.store.cipher.seal(personal, case_id)
        conn.execute(
            "INSERT INTO cases(id, number, item_id, item_version, rules_version, state, outcome,"
            " personal, summary, created_at, updated_at, seq, applicant_tag)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                case_id,
                number,
                item_id,
                item_version,
                rules_version,
                CaseState.DECIDED.value,
                outcome,
                sealed,
                json.dumps(summary, ensure_ascii=False),
                _now(),
                _now(),
                seq,
                self.applicant_tag(personal),
            ),
        )
        add_event(
            conn,
            case_id,
            "decided",
            {"outcome": outcome, "item_version": item_version, "rules_version": rules_version},
        )
        payload = self.store.cipher.seal(
            {
                "case_id": case_id,
                "number": number,
                "item_id": item_id,
                "outcome": outcome,
                "item_version": item_version,
                "rules_version": rules_version,
                "seq": seq,
                "terminal_id": self.terminal_id,
                "summary": summary,
                "personal": personal,
            },
            case_id,
        )
        outbox.enqueue(conn, case_id, "case", payload, seq)
        for kind, data in attachments or []:
            attachment_store.add(conn, self.store, case_id, kind, data)
        row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        return _record(row)

    def state_and_summary(
        self, conn: sqlite3.Connection, case_id: str
    ) -> tuple[CaseState, CaseSummary] | None:
        """A case's state and summary as they are inside the caller's transaction (None: no such case)."""
        row = conn.execute("SELECT state, summary FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            return None
        return CaseState(row[0]), cast(CaseSummary, json.loads(row[1]))

    def settle(
        self,
        conn: sqlite3.Connection,
        case_id: str,
        target: CaseState,
        outcome: Outcome,
        summary: CaseSummary,
        event: tuple[str, dict[str, Any]],
    ) -> CaseRecord:
        """Write a case's new state, outcome and summary with its `event` (kind, detail), inside
        the caller's transaction, and return the case as it now is."""
        conn.execute(
            "UPDATE cases SET state = ?, outcome = ?, summary = ?, updated_at = ? WHERE id = ?",
            (target.value, outcome, json.dumps(summary, ensure_ascii=False), _now(), case_id),
        )
        add_event(conn, case_id, *event)
        return _record(conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone())

    def waiting_for_licence_numbers(self) -> list[str]:
        """Cases accepted while every licence number was used up, oldest first (by counter).

        Only once they await review (or were approved by the office with no number left): a case
        still DECIDED has a resident at the screen. A case holding a serial already is not waiting,
        whatever its summary still says."""
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT id FROM cases WHERE state IN (?, ?) AND json_extract(summary, '$.pending_reason') = ?"
                " AND json_extract(summary, '$.licence_serial') IS NULL ORDER BY seq",
                (CaseState.AWAITING_REVIEW.value, CaseState.APPROVED_BY_OFFICE.value, LICENCE_WAIT),
            ).fetchall()
        return [row[0] for row in rows]

    def enqueue_action(
        self, conn: sqlite3.Connection, case_id: str, action: str, detail: dict[str, Any]
    ) -> None:
        """An action on a case the centre must learn of: its own outbox entry, with its own UUID,
        in the caller's transaction; ordered by the terminal's counter."""
        seq = self.store.next_counter(conn, "case_seq")
        number = conn.execute("SELECT number FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
        payload = self.store.cipher.seal(
            {"case_id": case_id, "number": number, "action": action, "seq": seq, "detail": detail}, case_id
        )
        outbox.enqueue(conn, case_id, action, payload, seq)

    def move(self, case_id: str, target: CaseState, detail: dict[str, Any] | None = None) -> CaseRecord:
        """Move a case to `target`, recording an event; illegal moves raise and change nothing."""
        with self.store.durable() as conn:
            row = conn.execute("SELECT state FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise KeyError(case_id)
            check_transition(CaseState(row[0]), target)
            conn.execute(
                "UPDATE cases SET state = ?, updated_at = ? WHERE id = ?", (target.value, _now(), case_id)
            )
            add_event(conn, case_id, f"state:{target.value}", detail or {})
            row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        return _record(row)

    def record_event(self, case_id: str, kind: str, detail: dict[str, Any]) -> None:
        """Append an event to a case's trail, durably (`add_event` inside a caller's transaction)."""
        with self.store.durable() as conn:
            add_event(conn, case_id, kind, detail)

    def applicant_tag(self, personal: dict[str, Any]) -> str | None:
        """The keyed tag of the applicant's ID number (None when the case has no applicant)."""
        number = str((personal.get("applicant") or {}).get("id_number") or "")
        return self.store.cipher.lookup_tag(normalise_resident_id(number)) if number else None

    def for_applicant(self, id_number: str) -> list[CaseRecord]:
        """The cases of one resident on this terminal, newest first."""
        tag = self.store.cipher.lookup_tag(normalise_resident_id(id_number))
        rows = self.store.conn.execute(
            "SELECT * FROM cases WHERE applicant_tag = ? ORDER BY seq DESC", (tag,)
        ).fetchall()
        return [_record(row) for row in rows]

    def tag_untagged_cases(self) -> int:
        """Give cases kept before lookup tags existed their tag (once, when the store opens)."""
        rows = self.store.conn.execute(
            "SELECT id, personal FROM cases WHERE applicant_tag IS NULL AND personal IS NOT NULL"
        ).fetchall()
        tagged = 0
        with self.store.transaction() as conn:
            for case_id, sealed in rows:
                tag = self.applicant_tag(self.store.cipher.open(sealed, case_id))
                if tag is not None:
                    conn.execute("UPDATE cases SET applicant_tag = ? WHERE id = ?", (tag, case_id))
                    tagged += 1
        return tagged

    def record_action(self, case_id: str, event: str, action: str, detail: dict[str, Any]) -> None:
        """Append `event` to the case's trail and queue `action` for the centre, in one durable
        transaction (nothing the resident did is kept without the centre hearing of it)."""
        with self.store.durable() as conn:
            if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise KeyError(case_id)
            add_event(conn, case_id, event, detail)
            self.enqueue_action(conn, case_id, action, detail)

    def record_document(self, case_id: str, kind: str, number: str, fields_hash: str) -> None:
        """Journal a document with its number before the printer gets it."""
        with self.store.durable() as conn:
            conn.execute(
                "INSERT INTO issued_documents(case_id, kind, number, fields_hash, recorded_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT(kind, number) DO NOTHING",
                (case_id, kind, number, fields_hash, _now()),
            )

    def last_document_time(self) -> dt.datetime | None:
        """When the newest document was journalled (None before the first)."""
        with self.store.lock:
            row = self.store.conn.execute("SELECT MAX(recorded_at) FROM issued_documents").fetchone()
        return dt.datetime.fromisoformat(row[0]) if row and row[0] else None

    def count_print(self, kind: str, number: str) -> int:
        """Add one to a document's print count and return the new count."""
        with self.store.transaction() as conn:
            return _count_print(conn, kind, number)[0]

    def reprint(self, kind: str, number: str, actor: str, reason: str) -> int:
        """Count a reprint and audit who did it and why, in one transaction; returns the new count.

        Only a document journalled before can be reprinted; the reason is required.
        """
        from kiosk.core.audit import append_audit

        if not reason.strip():
            raise ValueError("a reprint needs a reason")
        with self.store.durable() as conn:
            row = _count_print(conn, kind, number)
            append_audit(
                conn,
                actor,
                "reprint",
                {
                    "kind": kind,
                    "number": number,
                    "reason": reason.strip(),
                    "print_count": row[0],
                    "case_id": row[1],
                },
            )
            add_event(conn, row[1], "reprinted", {"kind": kind, "number": number, "by": actor})
        return row[0]

    def get(self, case_id: str) -> CaseRecord | None:
        """One case by id."""
        with self.store.lock:
            row = self.store.conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        return _record(row) if row else None

    def personal(self, case_id: str) -> dict[str, Any]:
        """The decrypted personal data of one case; PurgedError once retention removed it."""
        with self.store.lock:
            row = self.store.conn.execute("SELECT personal FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row[0] is None:
            raise PurgedError(case_id)
        personal: dict[str, Any] = self.store.cipher.open(row[0], case_id)
        return personal

    def all(self) -> list[CaseRecord]:
        """Every case, in the order it was created."""
        with self.store.lock:
            rows = self.store.conn.execute("SELECT * FROM cases ORDER BY seq").fetchall()
        return [_record(r) for r in rows]

    def events(self, case_id: str) -> list[tuple[str, dict[str, Any]]]:
        """The event trail of one case, oldest first."""
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT kind, detail FROM case_events WHERE case_id = ? ORDER BY id", (case_id,)
            ).fetchall()
        return [(r[0], json.loads(r[1])) for r in rows]


def settle_unfinished(cases: CaseRepository, case_id: str, reason: str) -> CaseState | None:
    """Move a case left in DECIDED (crash, timeout, resident walked away) to where it can be picked up.

    Review outcomes wait for the back office; an unsigned 告知承诺 waits for the signature
    (never for printing); an approved case waits for printing, here or at a window.
    Returns the new state, or None when the case was not unfinished.
    """
    case = cases.get(case_id)
    if case is None or case.state is not CaseState.DECIDED:
        return None
    if case.outcome in (Outcome.MANUAL_REVIEW, Outcome.ACCEPTED_PENDING):
        target = CaseState.AWAITING_REVIEW
    elif case.outcome == Outcome.APPROVED_ON_COMMITMENT and "commitment_accepted" not in {
        k for k, _ in cases.events(case_id)
    }:
        target = CaseState.AWAITING_SIGNATURE
    else:
        target = CaseState.PRINT_PENDING
    cases.move(case_id, target, {"reason": reason})
    return target
