"""The centre's schema, version by version, on SQLite and PostgreSQL.

Each migration runs once, in a transaction of its own that also records it in
`schema_migrations`; on PostgreSQL an advisory lock makes a second process starting at the same
moment wait and then find the work done. A database a newer release migrated is refused with a
sentence for the operator rather than written by code that does not know its tables.

Version 1 is the schema as it stood before migrations were recorded; its statements keep
IF NOT EXISTS so a database of that time is adopted as it is, nothing dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sync.server.database import Database, Transaction

log = logging.getLogger(__name__)
# One lock id for "migrating the schema", so two processes starting at once do not race on
# CREATE TABLE (PostgreSQL's catalogue is not protected by IF NOT EXISTS under concurrency).
SCHEMA_LOCK = 7_340_302


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its version, what it does (for the log), and the work."""

    version: int
    description: str
    apply: Callable[[Transaction], None]


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer release of the centre."""


def statements(ddl: str) -> Callable[[Transaction], None]:
    """A migration step that runs each `;`-separated statement of `ddl`."""

    def run(tx: Transaction) -> None:
        for statement in (s.strip() for s in ddl.split(";")):
            if statement:
                tx.execute(statement)

    return run


def current_version(db: Database) -> int:
    """The last migration applied to `db` (0 for a database with none recorded)."""

    def read(tx: Transaction) -> int:
        row = tx.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    _ensure_table(db)
    return db.read(read)


def _ensure_table(db: Database) -> None:
    def create(tx: Transaction) -> None:
        _lock(db, tx)
        tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )

    db.transaction(create)


def _lock(db: Database, tx: Transaction) -> None:
    if db.dialect == "postgresql":
        tx.execute("SELECT pg_advisory_xact_lock(?)", (SCHEMA_LOCK,))


def migrate(db: Database, migrations: tuple[Migration, ...]) -> int:
    """Apply the migrations `db` has not had, in order; the version it is at now.

    Raises SchemaTooNewError for a database beyond the last migration known here."""
    _ensure_table(db)
    latest = migrations[-1].version
    for migration in migrations:

        def step(tx: Transaction, migration: Migration = migration) -> bool:
            _lock(db, tx)  # a second process waits here, then sees the version recorded
            row = tx.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
            at = int(row[0] or 0)
            if at > latest:
                raise SchemaTooNewError(
                    f"the centre's database is at schema version {at}, newer than this release"
                    f" knows ({latest}): run the release that migrated it, or restore a backup"
                )
            if at >= migration.version:
                return False
            migration.apply(tx)
            tx.execute(
                "INSERT INTO schema_migrations(version, description, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.description, dt.datetime.now(dt.UTC).isoformat()),
            )
            return True

        if db.transaction(step):
            log.info(
                "centre schema migrated", extra={"version": migration.version, "step": migration.description}
            )
    return current_version(db)


# ---- the schema, version by version ------------------------------------------------------------
# Version 1: the tables as they stood when migrations began to be recorded (the cases and
# terminals, licence blocks and their usage, updates, office decisions, enrolment codes).
FIRST_TABLES = """
CREATE TABLE IF NOT EXISTS terminals (
    terminal_id TEXT PRIMARY KEY,
    secret_hex TEXT NOT NULL,
    division_code TEXT NOT NULL,
    enrolled_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS nonces (
    terminal_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (terminal_id, nonce)
);
CREATE TABLE IF NOT EXISTS cases (
    entry_uuid TEXT PRIMARY KEY,
    terminal_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    terminal_seq BIGINT NOT NULL,
    body TEXT NOT NULL,
    server_seq BIGINT NOT NULL UNIQUE,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS licence_blocks (
    block_id TEXT PRIMARY KEY,
    request_uuid TEXT NOT NULL UNIQUE,
    terminal_id TEXT NOT NULL,
    division_code TEXT NOT NULL,
    first_serial BIGINT NOT NULL,
    last_serial BIGINT NOT NULL,
    allocated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS updates (
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (kind, version)
);
CREATE TABLE IF NOT EXISTS office_decisions (
    seq BIGINT PRIMARY KEY,
    case_id TEXT NOT NULL UNIQUE,
    terminal_id TEXT NOT NULL,
    approved INTEGER NOT NULL,
    note TEXT NOT NULL,
    clerk TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS case_owners (
    case_id TEXT PRIMARY KEY,
    terminal_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS case_numbers (
    terminal_id TEXT NOT NULL,
    number TEXT NOT NULL,
    case_id TEXT NOT NULL,
    PRIMARY KEY (terminal_id, number)
);
CREATE TABLE IF NOT EXISTS number_conflicts (
    terminal_id TEXT NOT NULL,
    number TEXT NOT NULL,
    case_id TEXT NOT NULL,
    first_case_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (terminal_id, case_id)
);

CREATE TABLE IF NOT EXISTS licence_usage (
    terminal_id TEXT PRIMARY KEY,
    max_serial BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS enrolment_codes (
    code_hash TEXT PRIMARY KEY,
    division_code TEXT NOT NULL,
    terminal_id TEXT,
    issued_at TEXT NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    used_at TEXT,
    used_by TEXT
);
CREATE TABLE IF NOT EXISTS terminal_keys (
    terminal_id TEXT PRIMARY KEY,
    document_key_pem TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
"""
# A store made before case ids had owners: each case id belongs to the terminal that sent it first.
OWNERS_BACKFILL = (
    "INSERT INTO case_owners(case_id, terminal_id) SELECT c.case_id, c.terminal_id FROM cases c"
    " WHERE c.server_seq = (SELECT MIN(server_seq) FROM cases d WHERE d.case_id = c.case_id)"
    " ON CONFLICT(case_id) DO NOTHING"
)

# Version 3: the fleet view, each terminal's latest heartbeat and a bounded history of them.
FLEET_TABLES = """
CREATE TABLE terminal_status (
    terminal_id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    heartbeat TEXT NOT NULL
);
CREATE TABLE terminal_heartbeats (
    terminal_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    received_at TEXT NOT NULL,
    heartbeat TEXT NOT NULL,
    PRIMARY KEY (terminal_id, seq)
)
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "the centre's tables", statements(FIRST_TABLES)),
    Migration(2, "every case id owned by the terminal that sent it first", statements(OWNERS_BACKFILL)),
    Migration(3, "terminal heartbeats for the fleet view", statements(FLEET_TABLES)),
)
