"""The reference central server, run through its real entry point on a loopback port."""

from __future__ import annotations

from sync.server.db import CentralStore
from sync.server.process import CentralProcess, free_port

__all__ = ["CentralServer", "free_port"]


class CentralServer(CentralProcess):
    """The server process, plus its own store opened beside it to count what it holds."""

    secret: bytes
    _store: CentralStore | None = None

    def store(self) -> CentralStore:
        """The server's database as the test sees it: one connection, kept until stop()."""
        if self._store is None:
            self._store = CentralStore(self.database)
        return self._store

    def stop(self) -> None:
        """Stop the server and close the test's view of its database."""
        super().stop()
        if self._store is not None:
            self._store.close()
            self._store = None
