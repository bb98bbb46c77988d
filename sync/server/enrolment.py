"""One-time enrolment codes: the centre issues a code for a division (and optionally one terminal
id); a technician types it into the installer, which trades it once for the terminal's secret.

Only a hash of the code is kept. Redeeming is one statement (``UPDATE … WHERE used_at IS NULL …
RETURNING``), so two installers racing with the same code cannot both win.

A code cannot take a terminal over: a code issued without a terminal id enrols only an id not
enrolled yet; giving an enrolled terminal a new secret (re-keying) needs a code issued for that
terminal id in that terminal's division. The document key a terminal registers must be an
Ed25519 public key in PEM. A refused try changes nothing, the code included.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from dataclasses import dataclass

from sync.enrolment_client import EnrolmentError
from sync.keys import is_document_key
from sync.server.database import Transaction
from sync.server.db import CentralStore

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 bits: guessing one is not a plan
DEFAULT_VALID_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Enrolment:
    """What a redeemed code gives the terminal."""

    terminal_id: str
    division_code: str
    secret: bytes


def normalise_code(code: str) -> str:
    """The code as issued, from what a person typed: case, dashes and spaces ignored, and the
    letters people confuse with digits (I, L → 1; O → 0) read as those digits."""
    cleaned = code.upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans("ILO", "110"))


def code_hash(code: str) -> str:
    """What the centre keeps of a code."""
    return hashlib.sha256(normalise_code(code).encode("ascii", "replace")).hexdigest()


def format_code(raw: str) -> str:
    """A code in groups of four, as printed for the technician."""
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def issue_code(
    store: CentralStore,
    division_code: str,
    terminal_id: str | None = None,
    valid_seconds: int = DEFAULT_VALID_SECONDS,
) -> str:
    """Issue a fresh code for the division (bound to one terminal id when given); the code itself
    is returned once and never stored."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    store.db.transaction(
        lambda tx: tx.execute(
            "INSERT INTO enrolment_codes(code_hash, division_code, terminal_id, issued_at, expires_at)"
            " VALUES (?,?,?,?,?)",
            (code_hash(raw), division_code, terminal_id, _now(), time.time() + valid_seconds),
        )
    )
    return format_code(raw)


def redeem_code(
    store: CentralStore, code: str, terminal_id: str, document_key_pem: str | None = None
) -> Enrolment:
    """Use the code once: enrol the terminal (or re-key it, with a code bound to it) and return
    its new secret.

    Raises EnrolmentError naming why: unknown_code, code_used, code_expired, other_terminal (a
    code bound to another id), already_enrolled (an unbound code for an enrolled id),
    other_division (a bound code of another division than the enrolled terminal's) or
    bad_document_key; the terminal's side raises the same error from the centre's answer.
    """
    if document_key_pem is not None and not is_document_key(document_key_pem):
        raise EnrolmentError("bad_document_key", "the document key is not an Ed25519 public key in PEM")
    digest = code_hash(code)
    secret = secrets.token_bytes(32)
    now = _now()

    def redeem(tx: Transaction) -> str | None:
        row = tx.execute(
            "UPDATE enrolment_codes SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at IS NULL"
            " AND expires_at > ? AND (terminal_id IS NULL OR terminal_id = ?)"
            " RETURNING division_code, terminal_id",
            (now, terminal_id, digest, time.time(), terminal_id),
        ).fetchone()
        if row is None:
            return None
        division, bound_to = row
        enrolled = tx.execute(
            "SELECT division_code FROM terminals WHERE terminal_id = ?", (terminal_id,)
        ).fetchone()
        if enrolled is None:
            # Plain INSERT: two unbound codes racing for one new id cannot both enrol it (on
            # PostgreSQL the loser runs again, finds the id enrolled and is refused).
            tx.execute(
                "INSERT INTO terminals(terminal_id, secret_hex, division_code, enrolled_at) VALUES (?,?,?,?)",
                (terminal_id, secret.hex(), division, now),
            )
        elif bound_to is None:
            raise EnrolmentError(
                "already_enrolled",
                f"terminal {terminal_id} is enrolled already; giving it a new secret needs a code issued"
                " for it (kiosk-central enrolment-code --terminal-id)",
            )
        elif enrolled[0] != division:
            raise EnrolmentError(
                "other_division",
                f"terminal {terminal_id} is enrolled in another division; this code cannot re-key it",
            )
        else:
            tx.execute(
                "UPDATE terminals SET secret_hex = ? WHERE terminal_id = ?", (secret.hex(), terminal_id)
            )
        if document_key_pem:
            tx.execute(
                "INSERT INTO terminal_keys(terminal_id, document_key_pem, registered_at) VALUES (?,?,?)"
                " ON CONFLICT(terminal_id) DO UPDATE SET document_key_pem = excluded.document_key_pem,"
                " registered_at = excluded.registered_at",
                (terminal_id, document_key_pem, now),
            )
        return division

    division = store.db.transaction(redeem)
    if division is None:
        raise _refusal(store, digest, terminal_id)
    return Enrolment(terminal_id, division, secret)


def document_key_of(store: CentralStore, terminal_id: str) -> str | None:
    """The document-signing public key a terminal registered at enrolment (PEM), if any."""
    row = store.db.read(
        lambda tx: tx.execute(
            "SELECT document_key_pem FROM terminal_keys WHERE terminal_id = ?", (terminal_id,)
        ).fetchone()
    )
    return row[0] if row else None


def _refusal(store: CentralStore, digest: str, terminal_id: str) -> EnrolmentError:
    row = store.db.read(
        lambda tx: tx.execute(
            "SELECT used_at, expires_at, terminal_id FROM enrolment_codes WHERE code_hash = ?",
            (digest,),
        ).fetchone()
    )
    if row is None:
        return EnrolmentError("unknown_code", "no such enrolment code: check it was typed as issued")
    used_at, expires_at, bound_to = row
    if used_at is not None:  # by whom and when is the centre's to know, not the caller's
        return EnrolmentError("code_used", "this enrolment code was already used; ask for another")
    if expires_at <= time.time():
        return EnrolmentError("code_expired", "this enrolment code has expired; ask for a new one")
    return EnrolmentError(
        "other_terminal", f"this enrolment code is for terminal {bound_to}, not {terminal_id}"
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
