"""The reference central server, run through its real entry point on a loopback port."""

from __future__ import annotations

from sync.server.db import CentralStore
from sync.server.process import CentralProcess, free_port

__all__ = ["CentralServer", "free_port"]


class CentralServer(CentralProcess):
    """The server process, plus its own store opened beside it to count what it holds."""

    secret: bytes

    def store(self) -> CentralStore:  # noqa: D102
        return CentralStore(self.db)
