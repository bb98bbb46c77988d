"""The kiosk as a systemd notify service: READY=1 once its services are up, then watchdog pings
from the UI loop, through the real protocol (a datagram socket named by NOTIFY_SOCKET)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.service_notify import notify, watchdog_interval
from tests.installer_root import REPO


@pytest.fixture
def notify_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> socket.socket:
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(60)  # a hang guard, not a timing assertion
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    yield sock
    sock.close()


def test_notify_sends_one_datagram_and_does_nothing_without_systemd(notify_socket, monkeypatch) -> None:
    assert notify("READY=1", "STATUS=服务中")
    assert notify_socket.recv(4096).decode() == "READY=1\nSTATUS=服务中"
    monkeypatch.delenv("NOTIFY_SOCKET")
    assert notify("READY=1") is False


def test_the_watchdog_interval_is_half_the_timeout_and_only_for_us_or_our_parent(monkeypatch) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    assert watchdog_interval() == 15.0
    monkeypatch.setenv("WATCHDOG_PID", str(os.getppid()))  # cage, when the kiosk runs under it
    assert watchdog_interval() == 15.0
    monkeypatch.setenv("WATCHDOG_PID", "1")
    assert watchdog_interval() is None
    monkeypatch.setenv("WATCHDOG_USEC", "0")
    monkeypatch.delenv("WATCHDOG_PID")
    assert watchdog_interval() is None


def test_the_running_kiosk_says_ready_then_pings_the_watchdog(notify_socket, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "WATCHDOG_USEC": "2000000",  # a ping a second
        "NOTIFY_SOCKET": os.environ["NOTIFY_SOCKET"],
    }
    env.pop("WATCHDOG_PID", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "run", "--data-dir", str(tmp_path / "data")],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        seen: list[str] = []
        while seen.count("WATCHDOG=1") < 2 or not any(m.startswith("READY=1") for m in seen):
            seen.append(notify_socket.recv(4096).decode())
        ready = next(i for i, m in enumerate(seen) if m.startswith("READY=1"))
        assert "STATUS=服务中" in seen[ready]
        assert "WATCHDOG=1" in seen[ready:]  # the pings go on after the start
    finally:
        process.kill()
        process.wait(timeout=30)
