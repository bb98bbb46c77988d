"""The background sync: one thread, never the UI's, that keeps the terminal and the centre in step.

Each round: probe the centre (its health answer, not just any HTTP 200); send the outbox; fetch
signed updates; fetch back-office decisions; refill licence blocks at the low-water mark. A round
that fails waits an exponential, jittered, capped backoff; a clean one waits the interval.
"sync now" (staff, or the network coming back) wakes it early. Its status feeds the admin screens
and tells the rules whether the network is up.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from kiosk.core.attachments import send_waiting
from kiosk.core.back_office import issue_waiting_licences
from kiosk.core.licence_blocks import refill
from kiosk.core.office import fetch_decisions
from kiosk.core.retention import purge_expired
from kiosk.core.updates import centre_key_path, fetch_updates
from sync import outbox
from sync.client import CentralClient, OutboxPusher, PushReport, backoff_seconds
from sync.credentials import load_secret, tls_verify
from sync.keys import load_public_key
from sync.runner import SyncRunner

log = logging.getLogger(__name__)
T = TypeVar("T")


class HeartbeatBuilder(Protocol):
    """What tells the centre how this terminal is (kiosk/admin/heartbeat.py)."""

    def build(self, last_sync: str) -> tuple[dict[str, Any], int]: ...  # noqa: D102

    def acknowledged(self, heartbeat: dict[str, Any], audit_id: int) -> None: ...  # noqa: D102


@dataclass(frozen=True)
class SyncStatus:
    """What the admin screen shows about sync."""

    enrolled: bool = False
    online: bool = False
    pending: int = 0
    parked: int = 0
    rounds: int = 0
    failures_in_a_row: int = 0
    last_success: str = ""  # the terminal's clock, for people only; ordering never uses it
    last_error: str = ""
    updates: dict[str, str] = field(default_factory=dict)
    blocks: str = ""
    attachments: str = ""
    next_round_in: float = 0.0


def _step(name: str, report: PushReport, run: Callable[[], T], failed: T) -> T:
    """Run one step of a round; a failure is logged and makes the round unclean, never ends it."""
    try:
        return run()
    except Exception as exc:
        log.exception("sync step failed", extra={"step": name})
        report.failed += 1
        report.last_error = f"{name}: {type(exc).__name__}: {exc}"[:200]
        return failed


class SyncWorker:
    """Runs sync rounds on its own thread until stopped."""

    def __init__(
        self,
        services: Any,
        interval: float = 60.0,
        client_factory: Callable[[str, str, bytes], CentralClient] | None = None,
        heartbeat: HeartbeatBuilder | None = None,
    ) -> None:
        self._services = services
        self._heartbeat = heartbeat
        self._interval = interval
        self._client_factory = client_factory or (
            lambda url, terminal, secret: CentralClient(
                url, terminal, secret, verify=tls_verify(services.config.data_dir)
            )
        )
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = SyncStatus()
        self._listeners: list[Callable[[SyncStatus], None]] = []
        self._round_lock = threading.Lock()

    # ---- control ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the background rounds."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="sync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the round in progress."""
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def sync_now(self) -> None:
        """Run a round as soon as possible (staff's button, or the network is back)."""
        self._wake.set()

    def status(self) -> SyncStatus:
        """The latest status."""
        return self._status

    def on_status(self, listener: Callable[[SyncStatus], None]) -> None:
        """Call `listener` (on the sync thread) after every round, and at once (on the caller's
        thread) when a round has already run, so a late listener does not wait a whole interval."""
        self._listeners.append(listener)
        current = self._status
        if current.rounds > 0:
            listener(current)

    # ---- rounds -------------------------------------------------------------------------------
    def _loop(self) -> None:
        while not self._stopped.is_set():
            status = self.run_round()
            delay = (
                backoff_seconds(status.failures_in_a_row, cap=min(300.0, self._interval * 5))
                if status.failures_in_a_row
                else self._interval
            )
            self._set(dataclasses.replace(status, next_round_in=delay))
            self._wake.wait(delay)
            self._wake.clear()

    def run_round(self) -> SyncStatus:
        """One round, now, on the calling thread (the loop's, or a test's)."""
        with self._round_lock:
            try:
                status = self._round()
            except Exception as exc:  # a bug in one round must not end sync for good
                log.exception("sync round failed")
                status = dataclasses.replace(
                    self._with_counts(self._status),
                    online=False,
                    rounds=self._status.rounds + 1,
                    failures_in_a_row=self._status.failures_in_a_row + 1,
                    last_error=f"{type(exc).__name__}: {exc}"[:200],
                )
            self._set(status)
            return status

    def _with_counts(self, status: SyncStatus) -> SyncStatus:
        """`status` with the outbox counts as they are now (a failed round must not show 0 pending)."""
        try:
            with self._services.store.lock:
                counts = outbox.counts(self._services.store.conn)
        except Exception:
            return status
        return dataclasses.replace(status, pending=counts["pending"], parked=counts["parked"])

    def _round(self) -> SyncStatus:
        services = self._services
        config, store = services.config, services.store
        previous = self._status
        counts = outbox.counts(store.conn)
        base = dataclasses.replace(
            previous, pending=counts["pending"], parked=counts["parked"], rounds=previous.rounds + 1
        )
        secret = load_secret(config.data_dir)
        if secret is None:
            return dataclasses.replace(base, enrolled=False, online=False, last_error="not enrolled")
        client = self._client_factory(config.central_url, config.terminal_id, secret)
        try:
            if not client.healthy():
                services.journey.network_online = False
                return dataclasses.replace(
                    base,
                    enrolled=True,
                    online=False,
                    failures_in_a_row=previous.failures_in_a_row + 1,
                    last_error="centre unreachable",
                )
            services.journey.network_online = True
            runner = SyncRunner(OutboxPusher(store, client), config.data_dir / "sync.lock")
            report = runner.drain()
            # Each step on its own: one that fails (a row that does not open, a bug) is logged and
            # counted, and the others still move (decisions, block refills, updates).
            attachments = _step("attachments", report, lambda: send_waiting(client, store), "")
            updates: dict[str, str] = _step("updates", report, lambda: self._updates(client), {})
            _step("decisions", report, lambda: fetch_decisions(client, services.journey, store), None)
            blocks = _step("licence blocks", report, lambda: refill(client, store), "")
            _step("waiting licences", report, lambda: issue_waiting_licences(services.journey), None)
            _step("retention", report, lambda: purge_expired(store, config.retention_days), None)
            # Last, so it tells how this round went: the county sees a fault within one sync.
            last_sync = time.strftime("%Y-%m-%d %H:%M:%S") if report.clean else previous.last_success
            _step("heartbeat", report, lambda: self._send_heartbeat(client, last_sync), None)
        finally:
            client.close()
        counts = outbox.counts(store.conn)
        clean = report.clean
        return dataclasses.replace(
            base,
            enrolled=True,
            online=True,
            pending=counts["pending"],
            parked=counts["parked"],
            failures_in_a_row=0 if clean else previous.failures_in_a_row + 1,
            last_success=time.strftime("%Y-%m-%d %H:%M:%S") if clean else previous.last_success,
            last_error="" if clean else report.last_error,
            updates=updates,
            blocks=blocks,
            attachments=attachments,
        )

    def _send_heartbeat(self, client: CentralClient, last_sync: str) -> None:
        if self._heartbeat is None:
            return
        heartbeat, audit_id = self._heartbeat.build(last_sync)
        client.send_heartbeat(heartbeat)
        self._heartbeat.acknowledged(heartbeat, audit_id)

    def _updates(self, client: CentralClient) -> dict[str, str]:
        """Fetch and apply signed updates (none until the installer put the centre's key in trust/)."""
        services = self._services
        key_path = centre_key_path(services.config.data_dir)
        if not key_path.exists():
            return {}
        updates = fetch_updates(
            client, services.store, services.config.data_dir, load_public_key(key_path.read_bytes())
        )
        if updates.get("catalogue", "").startswith("applied"):
            services.reload_catalogue()
        if any(outcome.startswith("applied") for outcome in updates.values()):
            services.journey.reference.forget_cached()  # the rules read the new data
        return updates

    def _set(self, status: SyncStatus) -> None:
        self._status = status
        for listener in list(self._listeners):
            try:
                listener(status)
            except Exception:
                log.exception("sync status listener failed")
