"""SIGKILL the running kiosk right after a decision; the restarted kiosk still has the case."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kiosk_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kiosk.cli", *args]


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "KIOSK_FAILPOINT"}
    return {**base, "QT_QPA_PLATFORM": "offscreen", **extra}


def wait_for_line(proc: subprocess.Popen, marker: str, timeout: float) -> bool:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for raw in proc.stderr:  # type: ignore[union-attr]
            lines.put(raw.decode("utf-8", "replace"))

    threading.Thread(target=pump, daemon=True).start()
    while True:
        try:
            if marker in lines.get(timeout=timeout):
                return True
        except queue.Empty:
            return False


def stored_cases(data_dir: Path) -> list[dict]:
    out = subprocess.run(
        kiosk_command("cases", "--data-dir", str(data_dir), "--json"),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env(),
    )
    return json.loads(out.stdout)


def test_sigkill_after_the_decision_loses_nothing_and_the_restart_recovers(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    demo = [sys.executable, "-m", "kiosk.devtools", "demo", "--headless", "--orientation", "portrait", "--out", str(out)]
    proc = subprocess.Popen(
        demo,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
        env=env(KIOSK_FAILPOINT="after_commit"),
    )
    try:
        assert wait_for_line(proc, "FAILPOINT after_commit", timeout=120), (
            "the kiosk never reached the decision"
        )
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not list((out / "printed").glob("licence-*.pdf")), "nothing may print after the kill"

    [killed] = stored_cases(out / "data")
    assert killed["outcome"] == "approved_on_commitment" and killed["state"] == "decided"
    assert [e["state"] for e in killed["outbox"]] == ["pending"]

    # Restart: the kiosk starts, recovers the interrupted case, and serves the next resident.
    again = subprocess.run(
        [*demo, "--keep-data"], capture_output=True, text=True, cwd=ROOT, env=env(), timeout=300
    )
    assert again.returncode == 0, again.stderr[-2000:]
    first, second = stored_cases(out / "data")
    assert first["number"] == killed["number"]
    # Killed before the resident signed the commitment: it waits for the signature, never for
    # printing (a licence is never issued on an unsigned 告知承诺).
    assert first["state"] == "awaiting_signature"
    # Same entry, same UUID (so it is sent exactly once); the restarted demo synced it to its centre.
    assert [e["uuid"] for e in first["outbox"]] == [e["uuid"] for e in killed["outbox"]]
    assert [e["state"] for e in first["outbox"]] == ["acknowledged"]
    assert "central     2 case(s) received" in again.stdout
    assert second["state"] == "issued"
    assert first["number"] != second["number"]
