"""The terminal's SQLite file: opening, migrating, and durable transactions.

WAL mode; `synchronous=FULL` inside `durable()` for commits that carry a case or a decision,
NORMAL otherwise. One connection shared by worker threads behind a lock.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from kiosk.core.crypto import FieldCipher
from kiosk.core.migrations import migrate


class Store:
    """One terminal's database and the cipher for the personal data in it."""

    def __init__(self, path: Path, cipher: FieldCipher) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.cipher = cipher
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.lock = threading.RLock()
        with self.lock:
            migrate(self.conn)

    @cached_property
    def db(self):  # noqa: ANN201 (sqlite_utils.Database, imported lazily)
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
        """Open (creating and migrating as needed) the store in a terminal's data folder."""
        return cls(data_dir / "kiosk.sqlite3", FieldCipher.from_key_file(data_dir / "keys" / "store.key"))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate transaction; committed on success, rolled back on any exception."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

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
        return conn.execute(
            "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value", (name,)
        ).fetchone()[0]

    def integrity_ok(self) -> bool:
        """True when SQLite's own integrity check passes."""
        with self.lock:
            return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL into the main file)."""
        with self.lock:
            self.conn.close()
