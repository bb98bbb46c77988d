"""The central store's database: a SQLite file by default, PostgreSQL when the target is a
``postgresql://`` URL.

One job: run a function inside one transaction. The store above writes its SQL once, with ``?``
placeholders, in the dialect both databases accept (``ON CONFLICT``, ``RETURNING``). What differs
lives here: SQLite takes its write lock up front (``BEGIN IMMEDIATE``), so a read inside a
transaction stays true until the commit; PostgreSQL runs transactions side by side, so one that
loses a race on a unique constraint (two servers storing the same replayed UUID) or a deadlock
is rolled back and run again, and then sees the winner's row.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
RETRIES = 8
POOL_SIZE = 8


class Cursor(Protocol):
    """What a statement returns (sqlite3 and psycopg cursors both fit)."""

    @property
    def rowcount(self) -> int: ...  # noqa: D102

    def fetchone(self) -> Any: ...  # noqa: D102

    def fetchall(self) -> list[Any]: ...  # noqa: D102


class Transaction(Protocol):
    """One open transaction: run statements with ``?`` placeholders."""

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Cursor: ...  # noqa: D102


class Database(Protocol):
    """A database the central store runs its transactions in."""

    dialect: str

    def transaction(self, work: Callable[[Transaction], T]) -> T: ...  # noqa: D102

    def read(self, work: Callable[[Transaction], T]) -> T: ...  # noqa: D102


    def close(self) -> None: ...  # noqa: D102


def is_postgres_url(target: str | Path) -> bool:
    """True when the target names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def open_database(target: str | Path) -> Database:
    """The database a target names: a ``postgresql://`` URL, or else the path of a SQLite file."""
    if is_postgres_url(target):
        return PostgresDatabase(str(target))
    return SqliteDatabase(Path(target))


def describe(target: str | Path) -> str:
    """The target for a log line or a message: a URL without its password."""
    if not is_postgres_url(target):
        return str(target)
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(str(target))
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class SqliteDatabase:
    """One SQLite connection guarded by a lock (WAL, synchronous=FULL)."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._use_wal()
        self._conn.execute("PRAGMA synchronous=FULL")
        self._lock = threading.Lock()

    def _use_wal(self) -> None:
        # Switching a new file to WAL needs it to itself and answers "locked" at once, without the
        # busy timeout, while another process is creating the tables: try again for a while.
        for attempt in range(300):
            try:
                self._conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 299:
                    raise
                time.sleep(0.1)

    def transaction(self, work: Callable[[Transaction], T]) -> T:
        """Run `work` in one write transaction, taking the write lock before the first read."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            return result

    def read(self, work: Callable[[Transaction], T]) -> T:
        """Run read-only statements."""
        with self._lock:
            return work(self._conn)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


class _PostgresTransaction:
    """A psycopg connection inside a transaction, taking ``?`` placeholders."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement (``?`` becomes psycopg's ``%s``; no statement here contains ``%``)."""
        return self._conn.execute(sql.replace("?", "%s"), tuple(params))


class PostgresDatabase:
    """A small pool of PostgreSQL connections; transactions that lose a race run again."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        self._errors = psycopg.errors
        self._pool = ConnectionPool(
            url, min_size=1, max_size=POOL_SIZE, open=True, kwargs={"autocommit": True}, timeout=30
        )
        self._pool.wait(timeout=30)

    def transaction(self, work: Callable[[Transaction], T]) -> T:
        """Run `work` in one transaction; again, from the start, when a concurrent transaction won."""
        errors = self._errors
        races = (errors.UniqueViolation, errors.DeadlockDetected, errors.SerializationFailure)
        for attempt in range(RETRIES):
            try:
                with self._pool.connection() as conn, conn.transaction():
                    return work(_PostgresTransaction(conn))
            except races:
                if attempt == RETRIES - 1:
                    raise
                time.sleep(0.005 * (attempt + 1))
        raise AssertionError("unreachable")

    def read(self, work: Callable[[Transaction], T]) -> T:
        """Run read-only statements on a pooled connection."""
        with self._pool.connection() as conn:
            return work(_PostgresTransaction(conn))

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()
