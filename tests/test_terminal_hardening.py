"""Issue 18, the terminal's part: a terminal that fails loudly instead of serving on a store, a key
or a configuration it should not. Every test runs against the real store on disk."""

from __future__ import annotations

import json
import os
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from devices.demo_residents import demo_residents
from forms.catalogue import load_catalogue
from kiosk.cli import main
from kiosk.config import KioskConfig, load_config
from kiosk.core.crypto import create_key_file
from kiosk.core.integrity import LAST_CHECKED, NightlyIntegrity
from kiosk.core.refusal import RESIDENT_MESSAGE, TerminalRefusedError
from kiosk.core.store import Store
from kiosk.core.store_identity import marker_path
from kiosk.devtools.proof.journeys import signed_registration
from kiosk.services import DEMO_LICENCE_BLOCK, KioskServices, build_services
from sync import outbox
from sync.credentials import save_secret
from sync.keys import load_or_create_signing_key
from tests.central import CentralServer

TERMINAL = "DEMO-370302-001"


def config_for(data: Path, **changes: object) -> KioskConfig:
    """A demo terminal with its data in `data` (voice off: no sound device in tests)."""
    return replace(KioskConfig(), demo=True, data_dir=data, voice_prompts=False, **changes)


def one_case(services: KioskServices, seed: int = 1) -> str:
    """A resident registers a business: a decided case with sealed personal data and its outbox entry."""
    item = load_catalogue()["individual-business-registration"]
    session = signed_registration(item, demo_residents()["adult"][1], random.Random(seed))
    case = services.journey.commit(session, services.journey.decide(session))
    return case.id


@pytest.fixture
def served(tmp_path: Path) -> Path:
    """A data folder whose terminal has served two residents, then stopped."""
    data = tmp_path / "data"
    services = build_services(config_for(data), spool_dir=tmp_path / "spool")
    one_case(services, 1)
    one_case(services, 2)
    services.close()
    return data


def enrol(data: Path) -> None:
    """What the installer's enrolment leaves: the secret (the signing key exists already)."""
    save_secret(data, os.urandom(32))


def log_lines(data: Path) -> list[dict]:
    """The terminal's JSON log lines."""
    path = data / "logs" / "kiosk.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def refused(data: Path, tmp_path: Path) -> TerminalRefusedError:
    """The refusal of a start on `data` (the test fails if the terminal starts)."""
    with pytest.raises(TerminalRefusedError) as caught:
        build_services(config_for(data), spool_dir=tmp_path / "spool")
    return caught.value


def case_count(data: Path) -> int:
    conn = sqlite3.connect(data / "kiosk.sqlite3")
    try:
        return conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    finally:
        conn.close()


# ---- 3. the store key -------------------------------------------------------------------------
def test_a_replaced_store_key_refuses_the_start_and_says_why(served: Path, tmp_path: Path) -> None:
    key = served / "keys" / "store.key"
    key.unlink()
    create_key_file(key)  # a technician "fixed" a lost key with a new one
    replaced = key.read_bytes()
    refusal = refused(served, tmp_path)
    assert refusal.check == "store_key" and refusal.path == str(key)
    assert "存储密钥" in refusal.technician and refusal.screen == RESIDENT_MESSAGE
    assert key.read_bytes() == replaced and case_count(served) == 2  # nothing changed, nothing lost
    [line] = [entry for entry in log_lines(served) if entry["level"] == "CRITICAL"]
    assert line["check"] == "store_key" and line["file"] == str(key) and "check value" in line["detail"]


def test_a_lost_store_key_is_refused_and_never_made_anew(served: Path, tmp_path: Path) -> None:
    key = served / "keys" / "store.key"
    key.unlink()
    refusal = refused(served, tmp_path)
    assert refusal.check == "store_key" and "missing" in refusal.detail
    assert not key.exists()


def test_a_store_from_before_key_checks_is_checked_against_its_sealed_rows(served: Path) -> None:
    conn = sqlite3.connect(served / "kiosk.sqlite3")
    conn.execute("DELETE FROM store_meta WHERE name = 'key_check'")
    conn.commit()
    conn.close()
    good = (served / "keys" / "store.key").read_bytes()
    (served / "keys" / "store.key").write_bytes(os.urandom(32))
    with pytest.raises(TerminalRefusedError, match="opens none of the sealed values"):
        Store.open(served)
    (served / "keys" / "store.key").write_bytes(good)
    store = Store.open(served)  # the right key: accepted, and its check value kept from now on
    assert store.meta("key_check") == store.cipher.check_value()
    store.close()


def test_a_store_without_personal_data_may_take_a_new_key(tmp_path: Path) -> None:
    Store.open(tmp_path / "data").close()
    (tmp_path / "data" / "keys" / "store.key").unlink()
    store = Store.open(tmp_path / "data")
    assert store.meta("key_check") == store.cipher.check_value()
    store.close()


def test_kiosk_run_check_no_longer_says_ok_with_a_replaced_key(
    served: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = served / "keys" / "store.key"
    key.write_bytes(os.urandom(32))
    config = tmp_path / "kiosk.toml"
    config.write_text(f'demo = true\nvoice_prompts = false\ndata_dir = "{served}"\n', encoding="utf-8")
    assert main(["run", "--check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "does not start" in out and "store_key" in out and str(key) in out


# ---- an outbox entry that does not open is parked, never a round-stopper ----------------------
@pytest.fixture
def enrolled(tmp_path: Path, bare_centre: CentralServer) -> Iterator[KioskServices]:
    """A demo terminal enrolled with the reference centre on loopback."""
    data = tmp_path / "data"
    save_secret(data, bare_centre.enrol(TERMINAL))
    services = build_services(config_for(data, central_url=bare_centre.url), spool_dir=tmp_path / "spool")
    yield services
    services.close()


def test_an_entry_that_does_not_open_is_parked_and_the_round_goes_on(enrolled: KioskServices) -> None:
    from kiosk.core.sync_worker import SyncWorker

    broken, whole = one_case(enrolled, 1), one_case(enrolled, 2)
    with enrolled.store.transaction() as conn:  # one sealed payload damaged on disk
        payload = conn.execute("SELECT payload FROM outbox WHERE case_id = ?", (broken,)).fetchone()[0]
        damaged = payload[:20] + bytes([payload[20] ^ 0xFF]) + payload[21:]
        conn.execute("UPDATE outbox SET payload = ? WHERE case_id = ?", (damaged, broken))
    status = SyncWorker(enrolled, interval=3600).run_round()
    assert status.online and status.pending == 0 and status.parked == 1
    with enrolled.store.lock:
        [(entry, case_id, reason)] = outbox.parked(enrolled.store.conn)
        [sent] = outbox.entries_for_case(enrolled.store.conn, whole)
    assert case_id == broken and "cannot be opened" in reason and "InvalidTag" in reason
    assert sent.state == "acknowledged"
    assert "licence" not in status.last_error  # the rest of the round (blocks, decisions) ran


# ---- 4. demo only when written -----------------------------------------------------------------
def test_a_hand_written_configuration_without_demo_is_no_demo_terminal(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('terminal_id = "ZC-370302-007"\nvoice_prompts = false\n', encoding="utf-8")
    config = load_config(path)
    assert config.demo is False
    services = build_services(config, spool_dir=tmp_path / "spool")
    try:
        from kiosk.admin.staff import StaffRegistry

        assert StaffRegistry(services.store).members() == []  # no staff with the README's PINs
        with services.store.lock:
            blocks = [r[0] for r in services.store.conn.execute("SELECT block_id FROM licence_blocks")]
        assert DEMO_LICENCE_BLOCK[0] not in blocks
        assert services.demo_e_id_key is None and "demo-e-id" not in services.e_id_issuers
    finally:
        services.close()
    assert not any("DEMO" in line["msg"] for line in log_lines(config.data_dir))


def test_a_demo_terminal_says_so_in_the_log(tmp_path: Path) -> None:
    services = build_services(config_for(tmp_path / "data"), spool_dir=tmp_path / "spool")
    services.close()
    [line] = [line for line in log_lines(tmp_path / "data") if line["msg"].startswith("DEMO TERMINAL")]
    assert line["level"] == "WARNING" and "published PINs" in line["msg"]


# ---- 5. the document-signing key ---------------------------------------------------------------
def test_an_enrolled_terminal_without_its_signing_key_refuses_to_start(served: Path, tmp_path: Path) -> None:
    key = served / "keys" / "terminal_ed25519.pem"
    assert key.exists()  # made at the first start, before enrolment (as the installer's enrol does)
    enrol(served)
    key.unlink()
    refusal = refused(served, tmp_path)
    assert (
        refusal.check == "signing_key" and refusal.path == str(key) and "证照签名密钥" in refusal.technician
    )
    assert not key.exists()


def test_an_enrolled_terminal_with_another_signing_key_refuses_to_start(served: Path, tmp_path: Path) -> None:
    key = served / "keys" / "terminal_ed25519.pem"
    enrol(served)
    key.unlink()
    load_or_create_signing_key(key)
    refusal = refused(served, tmp_path)
    assert refusal.check == "signing_key" and "is not the key" in refusal.detail


def test_kiosk_verify_makes_no_new_key_on_an_enrolled_terminal(
    served: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    enrol(served)
    (served / "keys" / "terminal_ed25519.pem").unlink()
    assert main(["verify", "--export-public-key", "--data-dir", str(served)]) == 3
    assert not (served / "keys" / "terminal_ed25519.pem").exists()
    assert "signing_key" in capsys.readouterr().err


# ---- 6. a deleted, emptied or swapped store ----------------------------------------------------
@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_an_enrolled_terminal_refuses_a_store_that_is_gone(served: Path, tmp_path: Path, how: str) -> None:
    enrol(served)
    store = served / "kiosk.sqlite3"
    for side in served.glob("kiosk.sqlite3-*"):
        side.unlink()
    if how == "deleted":
        store.unlink()
    else:
        store.write_bytes(b"")
    refusal = refused(served, tmp_path)
    assert (
        refusal.check == "store_identity" and "000001" in refusal.detail and "backups/" in refusal.technician
    )
    assert (store.exists(), store.stat().st_size if store.exists() else 0) == (how == "emptied", 0)


def test_an_enrolled_terminal_refuses_another_terminals_store(served: Path, tmp_path: Path) -> None:
    enrol(served)
    other = tmp_path / "other"
    Store.open(other).close()
    for name in ("kiosk.sqlite3", "keys/store.key"):
        (served / name).write_bytes((other / name).read_bytes())
    for side in served.glob("kiosk.sqlite3-*"):
        side.unlink()
    refusal = refused(served, tmp_path)
    assert refusal.check == "store_identity" and "is not this terminal's store" in refusal.detail


def test_a_terminal_not_enrolled_may_start_afresh(served: Path, tmp_path: Path) -> None:
    for path in served.glob("kiosk.sqlite3*"):
        path.unlink()
    services = build_services(config_for(served), spool_dir=tmp_path / "spool")
    assert marker_path(served).read_text().strip() == services.store.meta("store_id")
    services.close()


# ---- 7. a corrupted page -----------------------------------------------------------------------
def corrupt_table(store_file: Path, table: str) -> None:
    """Overwrite the b-tree page header of `table`'s root page, as a failing disk would."""
    conn = sqlite3.connect(store_file)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with store_file.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 12)


def test_a_corrupted_page_refuses_the_start(served: Path, tmp_path: Path) -> None:
    # The outbox is not read at start: before the check, the terminal started and every decision failed.
    corrupt_table(served / "kiosk.sqlite3", "outbox")
    refusal = refused(served, tmp_path)
    assert refusal.check == "store_integrity" and "quick_check" in refusal.detail
    assert refusal.path == str(served / "kiosk.sqlite3") and "已损坏" in refusal.technician


def test_the_daily_integrity_check_runs_when_due_and_takes_the_terminal_out_of_service(
    tmp_path: Path,
) -> None:
    services = build_services(config_for(tmp_path / "data"), spool_dir=tmp_path / "spool")
    try:
        one_case(services)
        now = [1_000_000.0]
        nightly = NightlyIntegrity(services.store, services.availability, clock=lambda: now[0])
        assert nightly.run_if_due() == [] and services.store.meta(LAST_CHECKED) == "1000000"
        now[0] += 3600
        assert nightly.run_if_due() is None  # not due for a day
        services.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        corrupt_table(services.store.path, "cases_applicant")
        now[0] += 86_400
        assert nightly.run_if_due()
        fault = services.out_of_service()
        assert fault is not None and fault.check == "store_integrity" and fault.screen == RESIDENT_MESSAGE
        assert str(services.store.path) in fault.detail and "完整性检查未通过" in fault.staff
    finally:
        services.close()


# ---- 14. modes of the keys, the store and the data folder ---------------------------------------
def test_keys_and_store_open_to_others_are_repaired_with_a_warning(served: Path, tmp_path: Path) -> None:
    enrol(served)
    files = ["keys/store.key", "keys/central.secret", "keys/terminal_ed25519.pem", "kiosk.sqlite3"]
    for name in files:
        os.chmod(served / name, 0o644)
    os.chmod(served, 0o755)
    os.chmod(served / "keys", 0o755)
    build_services(config_for(served), spool_dir=tmp_path / "spool").close()
    assert {name: (served / name).stat().st_mode & 0o777 for name in files} == dict.fromkeys(files, 0o600)
    assert (served.stat().st_mode & 0o777, (served / "keys").stat().st_mode & 0o777) == (0o700, 0o700)
    repaired = {line["file"] for line in log_lines(served) if line["msg"].startswith("file permissions")}
    assert {str(served / name) for name in files} <= repaired


def test_a_new_terminal_keeps_its_data_to_itself(tmp_path: Path) -> None:
    build_services(config_for(tmp_path / "data"), spool_dir=tmp_path / "spool").close()
    data = tmp_path / "data"
    assert data.stat().st_mode & 0o777 == 0o700
    for path in [*data.glob("keys/*"), data / "kiosk.sqlite3"]:
        assert path.stat().st_mode & 0o777 == 0o600, path


# ---- 16. one clear line, never a traceback -----------------------------------------------------
def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = [line for line in (captured.out + captured.err).splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    return lines[0]


COMMANDS = [["cases"], ["cases", "--json"], ["sync"], ["staff", "list"], ["migrate"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_commands_on_a_file_that_is_not_a_database(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    enrol(data)
    (data / "kiosk.sqlite3").write_bytes(b"these are not the pages of a database\n" * 200)
    assert main([*command, "--data-dir", str(data)]) == 3
    assert "kiosk.sqlite3" in one_line(capsys)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_commands_on_a_foreign_database(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    enrol(data)
    conn = sqlite3.connect(data / "kiosk.sqlite3")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    assert main([*command, "--data-dir", str(data)]) == 3
    line = one_line(capsys)
    assert "invoices" in line or "not a kiosk store" in line
    conn = sqlite3.connect(data / "kiosk.sqlite3")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert tables == {"invoices"}  # no kiosk table written into another program's file


def test_commands_on_a_corrupted_store(served: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corrupt_table(served / "kiosk.sqlite3", "cases")
    for command in (["cases"], ["staff", "list"]):
        assert main([*command, "--data-dir", str(served)]) == 3
        assert "store_integrity" in one_line(capsys)


def test_diagnostics_of_a_refusing_terminal_says_why(served: Path, tmp_path: Path) -> None:
    import zipfile

    (served / "keys" / "store.key").write_bytes(os.urandom(32))
    assert main(["diagnostics", "--data-dir", str(served), "--out", str(tmp_path / "usb")]) == 3
    [bundle] = (tmp_path / "usb").glob("*.zip")
    report = json.loads(zipfile.ZipFile(bundle).read("report.json"))
    assert report["in_service"] is False and report["refused"]["check"] == "store_key"


def test_kiosk_sync_parks_an_entry_that_does_not_open(
    served: Path, bare_centre: CentralServer, capsys: pytest.CaptureFixture[str]
) -> None:
    save_secret(served, bare_centre.enrol(TERMINAL))
    conn = sqlite3.connect(served / "kiosk.sqlite3")
    conn.execute("UPDATE outbox SET payload = x'00112233445566778899aabbccddeeff00112233' WHERE id = 1")
    conn.commit()
    conn.close()
    code = main(["sync", "--data-dir", str(served), "--central", bare_centre.url])
    assert "parked 1" in one_line(capsys) and code == 0
