"""A look at the store file before the kiosk writes to it: is it there, is it whole, is it ours?

Read-only: a corrupted page, a file that is not SQLite, another program's database, a folder the
kiosk cannot write, each becomes a refusal that names the file, before migrations or a new key
could touch anything.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.refusal import TerminalRefusedError

APPLICATION_ID = 0x4B494F53  # "KIOS" in the SQLite header: this file is a kiosk store
KIOSK_TABLES = {"cases", "outbox", "audit_log"}
# Where sealed (encrypted) values live, and the context each was sealed for.
SEALED_SAMPLES = {
    "cases": "SELECT personal, id FROM cases WHERE personal IS NOT NULL ORDER BY rowid DESC LIMIT 3",
    "outbox": "SELECT payload, case_id FROM outbox WHERE length(payload) > 0 ORDER BY id DESC LIMIT 3",
    "attachments": "SELECT sealed, sha256 FROM attachments ORDER BY rowid DESC LIMIT 3",
    "staff": "SELECT card_key, 'staff-card:' || staff_id FROM staff WHERE card_key IS NOT NULL LIMIT 3",
}
UNUSABLE = "办件库文件 {name} 无法使用：请联系技术人员（勿删除该文件，办件可从中恢复）"


@dataclass(frozen=True)
class StoreFacts:
    """What the file holds, read without writing."""

    exists: bool
    fresh: bool  # missing, empty, or without a single table: nothing was ever kept in it
    version: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    sealed: tuple[tuple[bytes, str], ...] = ()  # a few sealed values with their context

    @property
    def has_sealed_data(self) -> bool:
        """True when personal data sealed with some key is in the file."""
        return bool(self.sealed)


def survey(path: Path) -> StoreFacts:
    """Look at the store at `path`; TerminalRefusedError when it cannot be the terminal's store."""
    if not path.exists():
        return StoreFacts(exists=False, fresh=True)
    if path.stat().st_size == 0:
        return StoreFacts(exists=True, fresh=True)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise refusal_for(exc, path) from None
    try:
        return _facts(conn, path)
    except sqlite3.Error as exc:
        raise refusal_for(exc, path) from None
    finally:
        conn.close()


def _facts(conn: sqlite3.Connection, path: Path) -> StoreFacts:
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:  # so damaged the check itself stopped
        problems = [str(exc)]
    if problems != ["ok"]:
        raise integrity_refusal(path, "quick_check", problems)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    tables = {name for name in tables if not name.startswith("sqlite_")}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    if not tables and version == 0:
        return StoreFacts(exists=True, fresh=True)
    if application not in (0, APPLICATION_ID) or not KIOSK_TABLES <= tables:
        found = ", ".join(sorted(tables)[:6]) or "none"
        raise TerminalRefusedError(
            "store_foreign",
            path,
            f"not a kiosk store (application_id {application:#x}, schema {version}, tables: {found})",
            f"办件库文件 {path.name} 不是本终端的办件库（可能被其他文件替换）：请联系技术人员",
        )
    meta = dict(conn.execute("SELECT name, value FROM store_meta")) if "store_meta" in tables else {}
    sealed: list[tuple[bytes, str]] = []
    for table, query in SEALED_SAMPLES.items():
        if table in tables:
            sealed += [(bytes(blob), str(context)) for blob, context in conn.execute(query)]
    return StoreFacts(exists=True, fresh=False, version=version, meta=meta, sealed=tuple(sealed))


def integrity_refusal(path: Path, check: str, problems: list[str]) -> TerminalRefusedError:
    """The refusal for a store that SQLite's own check finds damaged."""
    return TerminalRefusedError(
        "store_integrity",
        path,
        f"PRAGMA {check}: " + "; ".join(p.replace("\n", " ") for p in problems)[:400],
        f"办件库文件 {path.name} 已损坏（完整性检查未通过）：请联系技术人员从备份恢复（勿删除该文件）",
    )


def refusal_for(exc: sqlite3.Error, path: Path) -> TerminalRefusedError:
    """An SQLite error met while opening the store, as the refusal that says what it means."""
    text = str(exc)
    if "full" in text:
        return TerminalRefusedError(
            "disk_space", path, text, f"存放办件库 {path.name} 的磁盘已满：请技术人员清理空间"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return integrity_refusal(path, "open", [text])
    folder_writable = os.access(path.parent, os.W_OK)
    if "readonly" in text or "unable to open" in text or not folder_writable:
        where = path if folder_writable else path.parent
        return TerminalRefusedError(
            "store_unwritable",
            where,
            f"{text} (folder writable: {folder_writable}, file writable: {os.access(path, os.W_OK)})",
            f"办件库 {path.name} 只读或无法打开：请技术人员检查磁盘和文件权限",
        )
    return TerminalRefusedError("store_unusable", path, text, UNUSABLE.format(name=path.name))
