"""The terminal's SQLite file: opening, migrating, and durable transactions.

WAL mode; `synchronous=FULL` inside `durable()` for commits that carry a case or a decision,
NORMAL otherwise. One connection shared by worker threads behind a lock.

`Store.open` checks before it writes: the files' modes, that the file is whole and a kiosk store
(store_survey), that it is this terminal's store (store_identity) and that the key opens it
(store_key). Any of these failing raises TerminalRefusedError, and nothing is changed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from kiosk.core.crypto import FieldCipher
from kiosk.core.file_modes import secure_data_folder
from kiosk.core.migrations import NewerSchemaError, migrate
from kiosk.core.store_identity import check_identity, settle_identity
from kiosk.core.store_key import settle_key_check, store_cipher
from kiosk.core.store_survey import APPLICATION_ID, refusal_for, survey

STORE_FILE = "kiosk.sqlite3"


class Store:
    """One terminal's database and the cipher for the personal data in it."""

    def __init__(self, path: Path, cipher: FieldCipher) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():  # the kiosk user's alone from the start (its WAL files follow its mode)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self.path = path
        self.cipher = cipher
        self.lock = threading.RLock()
        self.on_disk_full: Callable[[], None] | None = None  # told when a commit finds the disk full
        try:
            self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise refusal_for(exc, path) from None
        try:
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            with self.lock:
                migrate(self.conn)
                if self.conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        except NewerSchemaError:
            self.conn.close()
            raise
        except sqlite3.Error as exc:
            self.conn.close()
            raise refusal_for(exc, path) from None

    @cached_property
    def db(self) -> Any:  # sqlite_utils.Database, imported lazily (it is untyped)
        """sqlite-utils over the same connection, for read-side queries and introspection."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def table_counts(self) -> dict[str, int]:
        """Rows in each table, for status screens and diagnostics."""
        with self.lock:
            return {
                name: self.db[name].count for name in self.db.table_names() if not name.startswith("sqlite_")
            }

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        """Open (creating and migrating as needed) the store in a terminal's data folder, after the
        checks above; TerminalRefusedError says which failed, on which file."""
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        secure_data_folder(data_dir)
        path, key_path = data_dir / STORE_FILE, data_dir / "keys" / "store.key"
        facts = survey(path)
        check_identity(data_dir, path, facts)
        store = cls(path, store_cipher(key_path, facts))
        try:
            settle_key_check(store, facts, key_path)
            settle_identity(store, data_dir)
            secure_data_folder(data_dir)  # the files this open made
        except BaseException:
            store.close()
            raise
        return store

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate transaction; committed on success, rolled back on any exception."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc) and self.on_disk_full:
                    self.on_disk_full()
                raise

    @contextlib.contextmanager
    def durable(self) -> Iterator[sqlite3.Connection]:
        """A transaction that is on disk when it returns (synchronous=FULL), for cases."""
        with self.lock:
            self.conn.execute("PRAGMA synchronous=FULL")
            try:
                with self.transaction() as conn:
                    yield conn
            finally:
                self.conn.execute("PRAGMA synchronous=NORMAL")

    def next_counter(self, conn: sqlite3.Connection, name: str) -> int:
        """Increment and return a named counter inside the caller's transaction."""
        conn.execute("INSERT INTO counters(name, value) VALUES (?, 0) ON CONFLICT(name) DO NOTHING", (name,))
        row = conn.execute("UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value", (name,))
        return int(row.fetchone()[0])

    def integrity_ok(self) -> bool:
        """True when SQLite's own integrity check passes."""
        with self.lock:
            return bool(self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def meta(self, name: str) -> str | None:
        """A fact about the store itself (store_meta), or None."""
        with self.lock:
            row = self.conn.execute("SELECT value FROM store_meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        """Keep a fact about the store itself."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO store_meta(name, value) VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, value),
            )

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL into the main file)."""
        with self.lock:
            self.conn.close()
