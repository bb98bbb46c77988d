"""The hash-chained audit log: each row's hash covers its content and the previous hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from typing import Any

GENESIS = "0" * 64


def _row_hash(prev_hash: str, at: str, actor: str, action: str, detail: str) -> str:
    material = json.dumps([prev_hash, at, actor, action, detail], ensure_ascii=False)
    return hashlib.sha256(material.encode()).hexdigest()


def append_audit(conn: sqlite3.Connection, actor: str, action: str, detail: dict[str, Any]) -> str:
    """Append one entry inside the caller's transaction and return its hash."""
    row = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    at = dt.datetime.now().isoformat(timespec="seconds")
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    digest = _row_hash(prev, at, actor, action, text)
    conn.execute(
        "INSERT INTO audit_log(at, actor, action, detail, prev_hash, hash) VALUES (?,?,?,?,?,?)",
        (at, actor, action, text, prev, digest),
    )
    return digest


def verify_audit(conn: sqlite3.Connection) -> int | None:
    """The id of the first row whose content or link does not match, or None if all verify."""
    prev = GENESIS
    for row in conn.execute(
        "SELECT id, at, actor, action, detail, prev_hash, hash FROM audit_log ORDER BY id"
    ):
        if row[5] != prev or _row_hash(prev, row[1], row[2], row[3], row[4]) != row[6]:
            return int(row[0])
        prev = row[6]
    return None
