"""A case's photos, signatures and captured pages on the terminal: encrypted at rest, named by
the SHA-256 of their content (the name the centre stores them under), kept until the centre
confirms it holds the whole file."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3

from kiosk.core.store import Store
from sync.client import CentralClient

KINDS = ("face_photo", "document_page", "signature")
# A picture answering a form field is named by its attachment: capture-<sha256>.
TOKEN_PREFIX = "capture-"


def token_for(digest: str) -> str:
    """The answer a form field keeps for a picture with this SHA-256."""
    return TOKEN_PREFIX + digest


def digest_of(token: object) -> str | None:
    """The SHA-256 an answer names, or None when the answer is no picture."""
    if isinstance(token, str) and token.startswith(TOKEN_PREFIX) and len(token) == len(TOKEN_PREFIX) + 64:
        return token.removeprefix(TOKEN_PREFIX)
    return None


def add(conn: sqlite3.Connection, store: Store, case_id: str, kind: str, data: bytes) -> str:
    """Keep an attachment of a case inside the caller's transaction; its SHA-256 (hex).

    The same content added twice is kept once."""
    if kind not in KINDS:
        raise ValueError(f"unknown attachment kind {kind!r}")
    digest = hashlib.sha256(data).hexdigest()
    conn.execute(
        "INSERT INTO attachments(sha256, case_id, kind, length, sealed, created_at) VALUES (?,?,?,?,?,?)"
        " ON CONFLICT(sha256) DO NOTHING",
        (
            digest,
            case_id,
            kind,
            len(data),
            store.cipher.seal_bytes(data, digest),
            dt.datetime.now().isoformat(timespec="seconds"),
        ),
    )
    return digest


def waiting(store: Store, limit: int = 20) -> list[str]:
    """Attachments the centre does not hold yet, oldest first."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT sha256 FROM attachments WHERE uploaded = 0 ORDER BY created_at, rowid LIMIT ?", (limit,)
        ).fetchall()
    return [row[0] for row in rows]


def content(store: Store, digest: str) -> bytes:
    """The plain content of an attachment (decrypted; checked against its name)."""
    with store.lock:
        row = store.conn.execute("SELECT sealed FROM attachments WHERE sha256 = ?", (digest,)).fetchone()
    if row is None:
        raise KeyError(digest)
    data = store.cipher.open_bytes(row[0], digest)
    if hashlib.sha256(data).hexdigest() != digest:
        raise ValueError(f"attachment {digest[:12]} does not match its name")
    return data


def mark_uploaded(store: Store, digest: str) -> None:
    """The centre holds the whole file."""
    with store.durable() as conn:
        conn.execute("UPDATE attachments SET uploaded = 1, last_error = NULL WHERE sha256 = ?", (digest,))


def record_failure(store: Store, digest: str, error: str) -> None:
    """An upload that did not finish; it is resumed on the next round."""
    with store.durable() as conn:
        conn.execute(
            "UPDATE attachments SET attempts = attempts + 1, last_error = ? WHERE sha256 = ?", (error, digest)
        )


def send_waiting(client: CentralClient, store: Store, limit: int = 20) -> str:
    """Upload attachments the centre does not hold yet, resuming cut-off uploads; a status line."""
    from sync.attachments import upload

    done = 0
    for digest in waiting(store, limit):
        result = upload(client, digest, content(store, digest))
        if not result.complete:
            record_failure(store, digest, result.error)
            return f"failed: {result.error}"[:200]
        mark_uploaded(store, digest)
        done += 1
    return f"sent {done}"
