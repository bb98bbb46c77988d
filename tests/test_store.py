import json
import sqlite3
from pathlib import Path

import pytest

from forms.reference import id_hash
from kiosk.core.audit import append_audit, verify_audit
from kiosk.core.cases import CaseRepository
from kiosk.core.crypto import FieldCipher
from kiosk.core.licence_serials import add_licence_block, licence_serials_left, take_licence_serial
from kiosk.core.lifecycle import CaseState, IllegalTransitionError
from kiosk.core.migrations import LATEST, current_version, migrate
from kiosk.core.store import Store
from sync import outbox

PERSONAL = {
    "applicant": {"name": "王建国", "id_number": "370302197503080116"},
    "answers": {"phone": "13912345678"},
}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path)
    yield s
    s.close()


def new_case(repo: CaseRepository, **kw):
    args = dict(
        item_id="individual-business-registration",
        item_version="1+abc",
        rules_version="r1",
        outcome="approved",
        personal=PERSONAL,
        summary={"item_name": "个体工商户设立登记"},
    )
    args.update(kw)
    with repo.store.durable() as conn:
        return repo.insert_decided(conn, **args)


def test_the_file_is_wal_strict_and_at_the_latest_version(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert current_version(store.conn) == LATEST
    with pytest.raises(sqlite3.IntegrityError):  # STRICT: a text in an INTEGER column is refused
        store.conn.execute("INSERT INTO counters(name, value) VALUES ('x', 'not a number')")


def test_a_case_and_its_outbox_entry_are_created_together(store: Store) -> None:
    repo = CaseRepository(store, "T-1")
    case = new_case(repo)
    [entry] = outbox.entries_for_case(store.conn, case.id)
    assert entry.state == "pending"
    assert store.cipher.open(entry.payload, case.id)["number"] == case.number
    assert case.number == "T-1-000001"
    assert repo.events(case.id)[0][0] == "decided"


def test_a_failed_case_commit_leaves_neither_case_nor_outbox_entry(store: Store, monkeypatch) -> None:
    repo = CaseRepository(store, "T-1")

    def broken_enqueue(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(outbox, "enqueue", broken_enqueue)
    with pytest.raises(sqlite3.OperationalError):
        new_case(repo)
    assert store.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0
    assert store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0


def test_the_lifecycle_refuses_illegal_transitions_and_changes_nothing(store: Store) -> None:
    repo = CaseRepository(store, "T-1")
    case = new_case(repo)
    with pytest.raises(IllegalTransitionError, match="from decided to closed"):
        repo.move(case.id, CaseState.CLOSED)
    assert repo.get(case.id).state is CaseState.DECIDED
    repo.move(case.id, CaseState.ISSUED)
    repo.move(case.id, CaseState.CLOSED)
    with pytest.raises(IllegalTransitionError):
        repo.move(case.id, CaseState.ISSUED)
    assert [kind for kind, _ in repo.events(case.id)] == ["decided", "state:issued", "state:closed"]


def test_case_events_are_append_only(store: Store) -> None:
    repo = CaseRepository(store, "T-1")
    case = new_case(repo)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE case_events SET kind = 'forged' WHERE case_id = ?", (case.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM case_events")


def test_personal_data_is_not_in_the_file_in_clear(store: Store, tmp_path: Path) -> None:
    repo = CaseRepository(store, "T-1")
    case = new_case(repo)
    store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("kiosk.sqlite3*"))
    for secret in ("370302197503080116", "王建国", "13912345678"):
        assert secret.encode() not in raw
        assert secret.encode("utf-16-le") not in raw
    assert repo.personal(case.id) == PERSONAL


def test_licence_serials_are_taken_once_then_run_out(store: Store) -> None:
    add_licence_block(store, "B1", 10, 11)
    assert not add_licence_block(store, "B1", 10, 11)  # the same block twice is ignored
    taken = []
    for _ in range(3):
        with store.durable() as conn:
            taken.append(take_licence_serial(conn))
    assert taken == [10, 11, None]
    assert licence_serials_left(store) == 0


def test_a_version_1_file_with_data_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=1)
    cipher = FieldCipher.from_key_file(tmp_path / "keys" / "store.key")
    for n, case_id in enumerate(["c-1", "c-2"], start=1):
        conn.execute(
            "INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                case_id,
                f"OLD-{n:06d}",
                "individual-business-registration",
                "0.9",
                "r0",
                "decided",
                "approved",
                cipher.seal(PERSONAL, case_id),
                json.dumps({}),
                "2026-01-01",
                "2026-01-01",
            ),
        )
        conn.execute(
            "INSERT INTO outbox(entry_uuid, case_id, kind, payload, created_at) VALUES (?,?,?,?,?)",
            (f"u-{n}", case_id, "case", b"x", "2026-01-01"),
        )
    conn.close()

    store = Store.open(tmp_path)
    try:
        assert current_version(store.conn) == LATEST
        repo = CaseRepository(store, "OLD")
        assert [c.number for c in repo.all()] == ["OLD-000001", "OLD-000002"]
        assert [e.entry_uuid for e in outbox.pending(store.conn)] == ["u-1", "u-2"]
        assert repo.personal("c-2") == PERSONAL
        case = new_case(repo)
        assert case.number == "OLD-000003"  # the counter continues after the migrated cases
        # 办件查询 by ID card finds the cases from before lookup tags existed, once tagged.
        assert repo.tag_untagged_cases() == 2 and repo.tag_untagged_cases() == 0
        id_number = PERSONAL["applicant"]["id_number"]
        assert [c.number for c in repo.for_applicant(id_number)] == ["OLD-000003", "OLD-000002", "OLD-000001"]
        assert repo.for_applicant("11010519491231002X") == []
        [tag] = {r[0] for r in store.conn.execute("SELECT applicant_tag FROM cases")}
        assert tag != id_hash(id_number)  # keyed: not reversible by hashing every ID number
    finally:
        store.close()


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path: Path, monkeypatch) -> None:
    from kiosk.core import migrations

    conn = sqlite3.connect(tmp_path / "k.sqlite3", isolation_level=None)
    migrate(conn, target=1)
    monkeypatch.setattr(migrations, "MIGRATIONS", ((1, migrations.V1), (2, migrations.V2 + "\nBROKEN SQL;")))
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(conn)
    assert current_version(conn) == 1
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'licence_blocks'").fetchone()[0] == 0


def test_the_audit_chain_verifies_and_a_changed_row_is_found(store: Store) -> None:
    with store.transaction() as conn:
        for n in range(5):
            append_audit(conn, "staff-07", "reprint", {"document": f"D{n}"})
    assert verify_audit(store.conn) is None
    # An attacker with the file removes the trigger and edits row 3.
    store.conn.execute("DROP TRIGGER audit_no_update")
    store.conn.execute("UPDATE audit_log SET actor = 'staff-99' WHERE id = 3")
    assert verify_audit(store.conn) == 3


def test_the_audit_log_refuses_updates_while_its_triggers_stand(store: Store) -> None:
    with store.transaction() as conn:
        append_audit(conn, "staff-07", "unlock", {})
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("DELETE FROM audit_log")
