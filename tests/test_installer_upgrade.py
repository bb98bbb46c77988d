"""Upgrading an installed terminal, and removing one: a version-1 store with unsent cases is backed
up, migrated and still syncs; a release whose migration fails is rolled back and the old one still
starts; uninstall keeps the data, and a purge refuses while the centre lacks cases."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.crypto import FieldCipher
from kiosk.core.migrations import LATEST, migrate
from tests.central import CentralServer
from tests.installer_root import REPO, bare_root, run_installer, write_answers

DATA = "var/lib/township-kiosk"
PERSONAL = {"applicant": {"name": "王建国", "id_number": "370302198001010016"}}


@pytest.fixture
def centre(bare_centre: CentralServer) -> CentralServer:
    return bare_centre


@pytest.fixture
def terminal(tmp_path: Path, centre: CentralServer) -> Path:
    """An installed, enrolled terminal (simulated devices) under a prefix."""
    prefix = bare_root(tmp_path / "root")
    answers = write_answers(tmp_path / "answers.toml", centre.url, centre.enrolment_code("370302"))
    result = run_installer(prefix, "--answers", str(answers), "--non-interactive", "install")
    assert result.returncode == 0, result.stdout[-3000:]
    return prefix


def release_copy(folder: Path) -> Path:
    """Another release of the kiosk: this one's code, copied as a release tarball would unpack."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("kiosk", "devices", "forms", "sync", "installer", "assets"):
        shutil.copytree(REPO / name, folder / name, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", folder)
    return folder


def version_1_store(data: Path, cases: int) -> None:
    """A store as the first release left it: cases and their outbox entries, not yet sent."""
    cipher = FieldCipher.from_key_file(data / "keys" / "store.key")
    conn = sqlite3.connect(data / "kiosk.sqlite3", isolation_level=None)
    migrate(conn, target=1)
    for n in range(1, cases + 1):
        case_id = f"00000000-0000-4000-8000-{n:012d}"
        conn.execute(
            "INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (case_id, f"ZC-2026-{n:06d}", "individual-business-registration", "0.9", "r0", "decided", "approved",
             cipher.seal(PERSONAL, case_id), json.dumps({}), "2026-01-01", "2026-01-01"),
        )  # fmt: skip
        body = {"case_id": case_id, "item": "individual-business-registration", "outcome": "approved"}
        conn.execute(
            "INSERT INTO outbox(entry_uuid, case_id, kind, payload, created_at) VALUES (?,?,?,?,?)",
            (f"10000000-0000-4000-8000-{n:012d}", case_id, "case", cipher.seal(body, case_id), "2026-01-01"),
        )
    conn.close()


def store_version(data: Path) -> int:
    conn = sqlite3.connect(data / "kiosk.sqlite3")
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def store_dump(data: Path) -> list[str]:
    conn = sqlite3.connect(data / "kiosk.sqlite3")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def cases_and_outbox(data: Path) -> list[tuple]:
    """What must survive a rollback unchanged. States may move on: the old release's start after
    the rollback is a real start (its crash recovery, its sync)."""
    conn = sqlite3.connect(data / "kiosk.sqlite3")
    try:
        return conn.execute("SELECT id, number, outcome, personal FROM cases ORDER BY id").fetchall() + conn.execute(
            "SELECT entry_uuid, case_id, payload FROM outbox ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def kiosk(release: Path, prefix: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(release), "QT_QPA_PLATFORM": "offscreen"}
    config = prefix / "etc/township-kiosk/kiosk.toml"
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", *args, "--config", str(config), "--data-dir", str(prefix / DATA)],
        capture_output=True, text=True, env=env, cwd=release, timeout=300,
    )  # fmt: skip


def test_a_version_1_store_with_unsent_cases_is_backed_up_migrated_and_still_syncs(
    terminal: Path, tmp_path: Path, centre: CentralServer
) -> None:
    data = terminal / DATA
    version_1_store(data, cases=3)
    new = release_copy(tmp_path / "releases" / "0.2.0")
    result = run_installer(terminal, "upgrade", "--release", str(new))
    assert result.returncode == 0, result.stdout[-3000:]
    assert os.readlink(terminal / "opt/township-kiosk/current") == str(new)
    [backup] = (data / "backups").glob("kiosk-*-schema1.sqlite3")
    assert f"{backup.stat().st_mode & 0o777:o}" == "600"
    backed = sqlite3.connect(backup)
    assert backed.execute("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").fetchone()[0] == 3
    backed.close()
    assert store_version(data) == LATEST
    assert f"store at schema {LATEST} (was 1)" in result.stdout
    sent = kiosk(new, terminal, "sync")
    assert sent.returncode == 0, sent.stdout + sent.stderr[-2000:]
    received = centre.store().case_ids("ZC-370302-0007")
    assert received == [f"00000000-0000-4000-8000-{n:012d}" for n in (1, 2, 3)]
    # The kiosk user owns what root made while migrating (it must write the store when it runs).
    owner = (data / "kiosk.sqlite3").stat().st_uid
    assert owner != 0 and owner == (data / "keys" / "store.key").stat().st_uid


BROKEN = {
    # Its migration fails half-way (its transaction rolls back).
    "migration": ("新版本迁移失败", "CREATE TABLE half_done (x);\nALTER TABLE no_such_table ADD y;", False),
    # Its migration works, then it does not start: only the backup brings the old schema back.
    "start": ("新版本启动检查失败", "CREATE TABLE half_done (x);", True),
}


@pytest.mark.parametrize("failure", sorted(BROKEN))
def test_a_failing_release_is_rolled_back_and_the_old_release_still_starts(
    terminal: Path, tmp_path: Path, failure: str
) -> None:
    message, script, breaks_qml = BROKEN[failure]
    data = terminal / DATA
    version_1_store(data, cases=2)
    assert kiosk(REPO, terminal, "migrate").returncode == 0  # the installed release's own schema
    before = cases_and_outbox(data)
    broken = release_copy(tmp_path / "releases" / "0.3.0")
    migrations = broken / "kiosk/core/migrations.py"
    text = migrations.read_text().replace(
        "LATEST = MIGRATIONS[-1][0]", f"MIGRATIONS += (({LATEST + 1}, {script!r}),)\nLATEST = MIGRATIONS[-1][0]"
    )
    migrations.write_text(text)
    if breaks_qml:
        (broken / "kiosk/ui/qml/Main.qml").write_text("import QtQuick\nthis is not QML\n")
    result = run_installer(terminal, "upgrade", "--release", str(broken))
    assert result.returncode == 1, result.stdout[-3000:]
    assert message in result.stdout and "已回滚，旧版本可以正常启动" in result.stdout, result.stdout[-2000:]
    assert os.readlink(terminal / "opt/township-kiosk/current") == str(REPO)
    assert store_version(data) == LATEST and cases_and_outbox(data) == before
    assert "half_done" not in "\n".join(store_dump(data))
    started = kiosk(REPO, terminal, "run", "--check")
    assert started.returncode == 0 and "ok: the kiosk starts" in started.stdout
    assert len(list((data / "backups").glob("kiosk-*.sqlite3"))) == 1


def test_uninstall_keeps_the_data_and_a_purge_waits_for_the_centre(terminal: Path) -> None:
    data = terminal / DATA
    version_1_store(data, cases=1)
    removed = run_installer(terminal, "uninstall")
    assert removed.returncode == 0, removed.stdout[-2000:]
    for gone in ("etc/systemd/system/township-kiosk.service", "etc/pam.d/township-kiosk", "opt/township-kiosk/current"):
        assert not (terminal / gone).exists(), gone
    for kept in ("etc/township-kiosk/kiosk.toml", f"{DATA}/kiosk.sqlite3", f"{DATA}/keys/central.secret"):
        assert (terminal / kept).exists(), kept
    refused = run_installer(terminal, "uninstall", "--purge")
    assert refused.returncode == 1 and "还有 1 条办件记录没有上传到中心" in refused.stdout
    assert (data / "kiosk.sqlite3").exists()
    purged = run_installer(terminal, "uninstall", "--purge", "--force")
    assert purged.returncode == 0, purged.stdout[-2000:]
    assert not (terminal / "etc/township-kiosk").exists() and not data.exists()
    assert "kiosk:" not in (terminal / "etc/passwd").read_text()
