"""The demo's own central platform: the reference server started on loopback beside the
terminal, the terminal enrolled with it and trusting its update key, stopped on the way out."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.updates import centre_key_path
from sync.credentials import save_secret
from sync.server.process import CentralProcess


@dataclass
class DemoCentral:
    """The running demo centre: its URL, and how to enrol a terminal's data folder with it."""

    process: CentralProcess
    key: Path

    @property
    def url(self) -> str:
        """Where the terminal reaches it."""
        return self.process.url

    def enrol(self, data_dir: Path, terminal_id: str, division: str) -> None:
        """Give the terminal its secret and the centre's public key, as the installer would."""
        save_secret(data_dir, self.process.enrol(terminal_id, division))
        pem = subprocess.run(
            [sys.executable, "-m", "sync.server.main", "public-key", "--key", str(self.key)],
            capture_output=True,
            check=True,
        ).stdout
        centre_key_path(data_dir).parent.mkdir(parents=True, exist_ok=True)
        centre_key_path(data_dir).write_bytes(pem)

    def cases_received(self, terminal_id: str) -> int:
        """How many cases of the terminal the centre holds."""
        from sync.server.db import CentralStore

        store = CentralStore(self.process.db)
        try:
            return len(store.case_ids(terminal_id))
        finally:
            store.close()


@contextmanager
def demo_central(folder: Path) -> Iterator[DemoCentral]:
    """A fresh reference server with its database in `folder`; killed when the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("central.db*"):
        old.unlink()
    process = CentralProcess(folder, log_path=folder / "server.log")
    central = DemoCentral(process, folder / "centre_ed25519.pem")
    process.start()
    try:
        yield central
    finally:
        process.stop()
