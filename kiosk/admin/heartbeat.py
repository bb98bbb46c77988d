"""What this terminal tells the county at every sync round (sync/protocol.py `Heartbeat`): the
release running, each device's state, paper left, the outbox, the last clean sync, free disk,
errors and help calls since the last heartbeat the centre acknowledged, and the last update's
result. Nothing about residents."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

from kiosk.admin.consumables import CAPACITY, paper_rows
from kiosk.admin.devices_report import device_states
from kiosk.core.staff_calls import ACTION as STAFF_CALLED
from kiosk.logs import ERRORS
from sync import outbox

ROOT = Path(__file__).resolve().parents[2]
SENT_AUDIT_ID = "heartbeat:audit_id"  # counters: the last audit entry an acknowledged heartbeat covered
UPDATE_RESULT = "release-update.txt"  # in the data folder: the last release update's result


def running_version() -> str:
    """The release running: the installed distribution's version, else pyproject's."""
    try:
        return metadata.version("township-kiosk")
    except metadata.PackageNotFoundError:
        import tomllib

        return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


class HeartbeatSource:
    """Builds heartbeats from the terminal's services, and remembers what the centre has had."""

    def __init__(self, services: Any) -> None:
        self._services = services
        self._errors_sent = ERRORS.count()  # errors before this process started were reported by it
        self._version = running_version()

    def build(self, last_sync: str) -> tuple[dict[str, Any], int]:
        """The heartbeat now, and the audit id it counts help calls up to (for `acknowledged`)."""
        services = self._services
        store = services.store
        with store.lock:
            counts = outbox.counts(store.conn)
            oldest = outbox.oldest_pending(store.conn)
            row = store.conn.execute("SELECT value FROM counters WHERE name = ?", (SENT_AUDIT_ID,)).fetchone()
            since = row[0] if row else 0
            newest = store.conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]
            calls = store.conn.execute(
                "SELECT COUNT(*) FROM audit_log WHERE id > ? AND id <= ? AND action = ?",
                (since, newest, STAFF_CALLED),
            ).fetchone()[0]
        faults = services.availability.faults()
        update_file = services.config.data_dir / UPDATE_RESULT
        heartbeat = {
            "version": self._version,
            "sent_at": dt.datetime.now().isoformat(timespec="seconds"),
            "in_service": not faults,
            "faults": [fault.staff[:200] for fault in faults][:10],
            "devices": [
                {"key": d.key, "state": _state(d.state), "ok": d.ok} for d in device_states(services.devices)
            ],
            "paper": [
                {"device": row["device"], "left": row["left"], "capacity": CAPACITY[row["device"]]}
                for row in paper_rows(store)
            ],
            "outbox_pending": counts["pending"],
            "outbox_parked": counts["parked"],
            "outbox_oldest": oldest,
            "last_sync": last_sync,
            "free_disk_mb": shutil.disk_usage(services.config.data_dir).free // (1024 * 1024),
            "errors": max(0, ERRORS.count() - self._errors_sent),
            "help_calls": int(calls),
            "update": update_file.read_text(encoding="utf-8").strip()[:200] if update_file.exists() else "",
        }
        return heartbeat, int(newest)

    def acknowledged(self, heartbeat: dict[str, Any], audit_id: int) -> None:
        """The centre has `heartbeat`: the next one counts errors and help calls from here."""
        self._errors_sent += heartbeat["errors"]
        with self._services.store.durable() as conn:
            conn.execute(
                "INSERT INTO counters(name, value) VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (SENT_AUDIT_ID, audit_id),
            )


def _state(state: str) -> str:
    """A driver's status as the protocol takes it: a word, or "error: why" cut short."""
    word, _, why = state.partition(":")
    word = "".join(c for c in word.lower() if c.isalpha() or c == "_")[:40] or "unknown"
    return f"{word}: {why.strip()[:80]}" if why else word
