"""The centre's schema under migrations, on SQLite and PostgreSQL: a new database gets every
version once, a database from before migrations were recorded is adopted with its data, two
processes starting together migrate once, and a database a newer release migrated is refused."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from sync.server.database import open_database
from sync.server.db import CentralStore
from sync.server.migrations import FIRST_TABLES, MIGRATIONS, SchemaTooNewError, current_version, statements

LATEST = MIGRATIONS[-1].version


@pytest.fixture
def target(tmp_path: Path, central_database: str | None) -> str | Path:
    """A fresh SQLite file or PostgreSQL database, not opened yet."""
    return central_database or tmp_path / "central.db"


def versions(target: str | Path) -> list[int]:
    db = open_database(target)
    try:
        return [
            r[0]
            for r in db.read(
                lambda tx: tx.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
            )
        ]
    finally:
        db.close()


def test_a_new_database_gets_every_migration_once(target: str | Path) -> None:
    store = CentralStore(target)
    assert current_version(store.db) == LATEST
    assert store.enrol("T-370302-0001", "370302")  # the tables are there and work
    store.close()
    CentralStore(target).close()  # opening again changes nothing
    assert versions(target) == [m.version for m in MIGRATIONS]


def test_a_database_from_before_migrations_is_adopted_with_its_data(target: str | Path) -> None:
    old = open_database(target)
    old.transaction(statements(FIRST_TABLES))  # what the centre created before it recorded versions
    old.transaction(
        lambda tx: tx.execute(
            "INSERT INTO cases(entry_uuid, terminal_id, case_id, kind, terminal_seq, body, server_seq, received_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            ("e-1", "T-370302-0001", "c-1", "case", 1, "{}", 1, "2026-12-01T08:00:00"),
        )
    )
    old.close()
    store = CentralStore(target)
    try:
        assert current_version(store.db) == LATEST
        owners = store.db.read(
            lambda tx: tx.execute("SELECT case_id, terminal_id FROM case_owners").fetchall()
        )
        assert [tuple(r) for r in owners] == [("c-1", "T-370302-0001")]  # migration 2 backfilled it
        assert store.case_count() == 1
    finally:
        store.close()


def test_two_centres_starting_together_migrate_once(target: str | Path) -> None:
    opened: list[CentralStore] = []
    failures: list[BaseException] = []

    def start() -> None:
        try:
            opened.append(CentralStore(target))
        except BaseException as exc:  # noqa: BLE001 (reported below)
            failures.append(exc)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in opened:
        store.close()
    assert failures == [] and len(opened) == 2
    assert versions(target) == [m.version for m in MIGRATIONS]


def test_a_database_a_newer_release_migrated_is_refused(target: str | Path) -> None:
    CentralStore(target).close()
    db = open_database(target)
    db.transaction(
        lambda tx: tx.execute(
            "INSERT INTO schema_migrations(version, description, applied_at) VALUES (?, ?, ?)",
            (LATEST + 1, "a later release's table", "2027-01-01T00:00:00+00:00"),
        )
    )
    db.close()
    with pytest.raises(SchemaTooNewError, match="newer than this release"):
        CentralStore(target)
