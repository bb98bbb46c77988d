"""Cases on the terminal: created with their outbox entry in one durable transaction,
moved through the lifecycle with an append-only event trail.

Over 500 lines because licence serials, the print journal and lookups still live beside the
cases; issue 19 splits them into modules of their own."""

from __future__ import annotations

import datetime as dt
import enum
import json
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from forms.ids import normalise_resident_id
from forms.outcomes import Outcome
from kiosk.core import attachments as attachment_store
from kiosk.core.case_summary import CaseSummary
from kiosk.core.licence_serials import LICENCE_WAIT, LICENCE_WAIT_NOTICE, take_licence_serial
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


class LateLicenceStatus(enum.Enum):
    """What became of a case waiting for a licence number when a serial was asked for it."""

    ISSUED = "issued"  # it has its serial and credit code now
    NO_SERIAL_LEFT = "no_serial_left"  # every block is used up: it (and all after it) keep waiting
    NOT_WAITING = "not_waiting"  # it moved on or was numbered meanwhile: nothing to do for it


@dataclass(frozen=True)
class LateLicence:
    """The result of CaseRepository.issue_waiting_licence: the case when it got its number."""

    status: LateLicenceStatus
    record: CaseRecord | None = None


class PurgedError(LookupError):
    """The case's personal data was removed after its retention period (kiosk/core/retention.py)."""


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _event(conn: sqlite3.Connection, case_id: str, kind: str, detail: dict[str, Any]) -> None:
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

    def create_decided(
        self,
        *,
        item_id: str,
        item_version: str,
        rules_version: str,
        outcome: str,
        personal: dict[str, Any],
        summary: CaseSummary,
        attachments: list[tuple[str, bytes]] | None = None,
    ) -> CaseRecord:
        """Commit a decided case, its event and its outbox entry together, durably (a transaction
        of its own; `insert_decided` does the same inside the caller's)."""
        with self.store.durable() as conn:
            return self.insert_decided(
                conn,
                item_id=item_id,
                item_version=item_version,
                rules_version=rules_version,
                outcome=outcome,
                personal=personal,
                summary=summary,
                attachments=attachments,
            )

    def insert_decided(
        self,
        conn: sqlite3.Connection,
        *,
        item_id: str,
        item_version: str,
        rules_version: str,
        outcome: str,
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
        _event(
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

    def office_decision(
        self,
        case_id: str,
        approved: bool,
        decide: Callable[[sqlite3.Connection], tuple[str, dict[str, Any]]],
    ) -> CaseRecord:
        """Record a back-office decision: `decide(conn)` returns the new outcome and summary changes,
        applied with the state change and its event in one durable transaction."""
        target = CaseState.APPROVED_BY_OFFICE if approved else CaseState.RETURNED_BY_OFFICE
        with self.store.durable() as conn:
            row = conn.execute("SELECT state, summary FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise KeyError(case_id)
            check_transition(CaseState(row[0]), target)
            outcome, changes = decide(conn)
            summary = {**json.loads(row[1]), **changes}
            conn.execute(
                "UPDATE cases SET state = ?, outcome = ?, summary = ?, updated_at = ? WHERE id = ?",
                (target.value, outcome, json.dumps(summary, ensure_ascii=False), _now(), case_id),
            )
            _event(
                conn,
                case_id,
                f"state:{target.value}",
                {"outcome": outcome, "office": changes.get("office", {})},
            )
            row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        return _record(row)

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

    def issue_waiting_licence(
        self, case_id: str, complete: Callable[[sqlite3.Connection, int, str], dict[str, Any]]
    ) -> LateLicence:
        """Give a waiting case its licence serial now that a block has arrived, in one durable
        transaction with its registry effects (`complete(conn, serial, outcome)` returns summary
        additions) and an outbox action telling the centre.

        A case accepted by the rules then prints (or, for a 告知承诺, waits for the signature); a
        case the office approved with no number left stays approved by the office with its number
        and credit code, to be printed here (自助打证) like any office approval. The result says
        whether the case got its number, no serial was left (nothing changes), or the case is not
        waiting (any more: moved on, or numbered meanwhile; nothing changes)."""
        with self.store.durable() as conn:
            row = conn.execute("SELECT state, summary FROM cases WHERE id = ?", (case_id,)).fetchone()
            summary = json.loads(row[1]) if row else {}
            if (
                row is None
                or row[0] not in (CaseState.AWAITING_REVIEW.value, CaseState.APPROVED_BY_OFFICE.value)
                or summary.get("pending_reason") != LICENCE_WAIT
                or summary.get("licence_serial") is not None
            ):
                return LateLicence(LateLicenceStatus.NOT_WAITING)
            serial = take_licence_serial(conn)
            if serial is None:
                return LateLicence(LateLicenceStatus.NO_SERIAL_LEFT)
            current = CaseState(row[0])
            if current is CaseState.APPROVED_BY_OFFICE:
                # The office approved it already: it stays approved, now printable with its number.
                outcome, target = Outcome.APPROVED_BY_OFFICE, CaseState.APPROVED_BY_OFFICE
                event = "licence_issued_late"
            else:
                outcome = summary.get("decided_outcome", Outcome.APPROVED)
                # A 告知承诺 case still needs the resident's signature before anything prints.
                target = (
                    CaseState.AWAITING_SIGNATURE
                    if outcome == Outcome.APPROVED_ON_COMMITMENT
                    else CaseState.PRINT_PENDING
                )
                check_transition(current, target)
                event = f"state:{target.value}"
            summary.pop("pending_reason")
            if "documents_if_approved" in summary:  # what the approval issues, now it can
                summary["documents"] = summary["documents_if_approved"]
            summary["notices"] = [n for n in summary.get("notices", []) if n != LICENCE_WAIT_NOTICE]
            summary = {**summary, "licence_serial": serial, **complete(conn, serial, outcome)}
            conn.execute(
                "UPDATE cases SET state = ?, outcome = ?, summary = ?, updated_at = ? WHERE id = ?",
                (target.value, outcome, json.dumps(summary, ensure_ascii=False), _now(), case_id),
            )
            detail = {"licence_serial": serial, "credit_code": summary.get("credit_code", "")}
            _event(conn, case_id, event, {"licence_issued_late": detail})
            self._enqueue_action(conn, case_id, "licence_issued", {"outcome": outcome, **detail})
            row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        return LateLicence(LateLicenceStatus.ISSUED, _record(row))

    def _enqueue_action(
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
            _event(conn, case_id, f"state:{target.value}", detail or {})
            row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        return _record(row)

    def record_event(
        self,
        case_id: str,
        kind: str,
        detail: dict[str, Any],
        also: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        """Append an event to a case's trail, with `also` run in the same durable transaction."""
        with self.store.durable() as conn:
            _event(conn, case_id, kind, detail)
            if also is not None:
                also(conn)

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
            _event(conn, case_id, event, detail)
            self._enqueue_action(conn, case_id, action, detail)

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
            _event(conn, row[1], "reprinted", {"kind": kind, "number": number, "by": actor})
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
