"""Run blocking work (card reads, decisions, printing) off the UI thread."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; the worker's signals reach its slots queued, on that thread."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_done: Callable[[Any], None],
        on_failed: Callable[[Exception], None],
        forget: Callable[[_Relay], None],
    ) -> None:
        super().__init__()
        self._on_done, self._on_failed, self._forget = on_done, on_failed, forget
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)

    @Slot(object)
    def _deliver_done(self, value: Any) -> None:
        self._forget(self)
        self._on_done(value)

    @Slot(object)
    def _deliver_failed(self, exc: Exception) -> None:
        self._forget(self)
        self._on_failed(exc)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work, self.relay = work, relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # reported to the UI thread, which tells the resident
            log.exception("background job failed")
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class Worker:
    """Runs callables in a thread pool and delivers results on the UI thread."""

    def __init__(self, max_threads: int = 2) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()

    def run(
        self, work: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[Exception], None]
    ) -> None:
        """Start `work`; `on_done(result)` or `on_failed(exc)` runs later on the UI thread."""
        relay = _Relay(on_done, on_failed, self._relays.discard)
        self._relays.add(relay)
        self.pool.start(_Job(work, relay))

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for running jobs (used at shutdown)."""
        return self.pool.waitForDone(msecs)


class PythonThreadWorker:
    """Runs callables one at a time on one thread that Python started, and delivers results on
    the UI thread (as Worker does).

    For dlib: its pybind11 bindings keep their own per-thread interpreter state, which goes stale
    when a Qt pool thread's state is dropped between jobs; the next job then waits for the GIL
    its own thread holds, forever. A thread Python started keeps one state for its life.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._jobs: queue.Queue[tuple[Callable[[], Any], _Relay] | None] = queue.Queue()
        self._relays: set[_Relay] = set()
        self._thread: threading.Thread | None = None

    def run(
        self, work: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[Exception], None]
    ) -> None:
        """Queue `work`; `on_done(result)` or `on_failed(exc)` runs later on the UI thread."""
        relay = _Relay(on_done, on_failed, self._relays.discard)
        self._relays.add(relay)
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
            self._thread.start()
        self._jobs.put((work, relay))

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            work, relay = job
            try:
                result = work()
            except Exception as exc:  # reported to the UI thread, which tells the resident
                log.exception("background job failed", extra={"worker": self._name})
                relay.failed.emit(exc)
            else:
                relay.done.emit(result)

    def wait(self, msecs: int = 10_000) -> bool:
        """Finish the queued jobs and stop the thread (used at shutdown)."""
        if self._thread is None:
            return True
        self._jobs.put(None)
        self._thread.join(msecs / 1000)
        done = not self._thread.is_alive()
        self._thread = None
        return done
