"""The way into admin mode: slow salted PIN hashes, a staff card that must prove its key, wrong
PINs locking out for longer each time (and still after a restart), every attempt audited."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devices.staff_card import SimulatedStaffCard, StaffCardAnswer
from kiosk.admin.gate import AdminGate, Refused
from kiosk.admin.pins import hash_pin, pin_matches, pin_problem
from kiosk.admin.staff import StaffError, StaffRegistry
from kiosk.config import AdminConfig
from kiosk.core.audit import verify_audit
from kiosk.core.store import Store
from tests.clock import FakeClock

KEY = bytes(range(32))



@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_800_000_000.0)


@pytest.fixture
def card() -> SimulatedStaffCard:
    return SimulatedStaffCard()


@pytest.fixture
def gate(store: Store, card: SimulatedStaffCard, clock: FakeClock) -> AdminGate:
    registry = StaffRegistry(store)
    registry.add("ZC-07", "李娜", "staff", "428615", KEY)
    registry.add("TECH-1", "赵工", "technician", "907312", bytes(32))
    return AdminGate(store, AdminConfig(), card, clock)


def test_a_pin_is_kept_only_as_a_slow_salted_hash() -> None:
    stored = hash_pin("428615")
    assert "428615" not in stored and stored.startswith("scrypt$16384$8$1$")
    assert stored != hash_pin("428615")  # a new salt each time
    assert pin_matches("428615", stored) and not pin_matches("428616", stored)
    assert not pin_matches("428615", "garbage") and not pin_matches("428615", "scrypt$x$y$z$00$00")


@pytest.mark.parametrize("pin", ["12345", "111111", "123456", "654321", "12a456", "１２３４５６", "4" * 13])
def test_weak_or_malformed_pins_are_refused_when_set(pin: str, store: Store) -> None:
    assert pin_problem(pin)
    with pytest.raises(StaffError):
        StaffRegistry(store).add("ZC-08", "王芳", "staff", pin)


def test_the_card_and_its_holders_pin_unlock(gate: AdminGate, card: SimulatedStaffCard, store: Store) -> None:
    assert gate.unlock("428615") == Refused("card_needed")
    card.insert("ZC-07", KEY)
    member = gate.unlock("428615")
    assert member.staff_id == "ZC-07" and not member.is_technician
    assert gate.unlock("907312") == Refused("wrong_pin")  # the technician's PIN is not this card's
    actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions[-3:] == ["admin_unlock_refused", "admin_unlocked", "admin_unlock_refused"]
    assert verify_audit(store.conn) is None


def test_a_copied_or_unknown_card_does_not_unlock(gate: AdminGate, card: SimulatedStaffCard) -> None:
    card.insert("ZC-07", os.urandom(32))  # says it is ZC-07, but has not got the key
    assert gate.unlock("428615") == Refused("not_genuine")
    card.insert("ZC-99", KEY)
    assert gate.unlock("428615") == Refused("unknown_card")

    class Replay:
        def ask(self, challenge: bytes) -> StaffCardAnswer:  # yesterday's answer, replayed
            return StaffCardAnswer("ZC-07", b"\x00" * 32)

    gate.card = Replay()
    assert gate.unlock("428615") == Refused("not_genuine")


def test_wrong_pins_lock_out_for_longer_each_time_and_a_restart_keeps_it(
    store: Store, card: SimulatedStaffCard, clock: FakeClock, tmp_path: Path
) -> None:
    StaffRegistry(store).add("ZC-07", "李娜", "staff", "428615", KEY)
    gate = AdminGate(store, AdminConfig(), card, clock)
    card.insert("ZC-07", KEY)
    assert [gate.unlock("000001") for _ in range(3)] == [Refused("wrong_pin")] * 3  # the free tries
    assert gate.unlock("000001") == Refused("locked", 30)  # the fourth: locked 30 s
    assert gate.unlock("428615") == Refused("locked", 30)  # even the right PIN waits
    clock.now += 31
    assert gate.unlock("000001") == Refused("locked", 60)  # the fifth: twice as long

    store.close()
    reopened = Store.open(tmp_path / "terminal")  # the power cycled
    restarted = AdminGate(reopened, AdminConfig(), card, clock)
    assert restarted.unlock("428615").reason == "locked"
    clock.now += 61
    assert restarted.unlock("428615").staff_id == "ZC-07"
    assert restarted.lockout.failures() == 0  # a right PIN starts the count again
    assert [restarted.lockout.delay_after(n) for n in (3, 4, 5, 6, 20)] == [0, 30, 60, 120, 3600]


def test_a_pin_alone_unlocks_where_configured(store: Store, clock: FakeClock) -> None:
    StaffRegistry(store).add("ZC-07", "李娜", "staff", "428615")
    gate = AdminGate(store, AdminConfig(pin_only=True), None, clock)
    assert gate.unlock("428615").staff_id == "ZC-07"
    assert gate.unlock("999999") == Refused("wrong_pin")


def test_no_reader_says_so(store: Store, clock: FakeClock) -> None:
    StaffRegistry(store).add("ZC-07", "李娜", "staff", "428615", KEY)
    assert AdminGate(store, AdminConfig(), None, clock).unlock("428615") == Refused("no_reader")
    assert "读卡器" in Refused("no_reader").message and "30秒" in Refused("locked", 30).message


def test_the_staff_command_enrols_with_a_pin_asked_twice_and_refuses_a_weak_one(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    base = [sys.executable, "-m", "kiosk.cli", "staff"]
    where = ["--data-dir", str(tmp_path / "data")]

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([*base, *args, *where], input=stdin, capture_output=True, text=True, cwd=root)

    weak = run("add", "--id", "ZC-09", "--name", "王芳", stdin="123456\n123456\n")
    assert weak.returncode == 2 and "太容易猜到" in weak.stderr
    assert run("add", "--id", "ZC-09", "--name", "王芳", stdin="428615\n428610\n").returncode == 2
    key_file = tmp_path / "card.key"
    key_file.write_text(KEY.hex())
    added = run(
        "add", "--id", "ZC-09", "--name", "王芳", "--card-key-file", str(key_file), stdin="428615\n428615\n"
    )
    assert added.returncode == 0 and "with a staff card" in added.stdout
    assert "ZC-09" in run("list").stdout
    raw = (tmp_path / "data" / "kiosk.sqlite3").read_bytes()
    assert b"428615" not in raw and KEY.hex().encode() not in raw and KEY not in raw  # hashed; sealed
