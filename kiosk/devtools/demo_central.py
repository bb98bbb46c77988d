"""The demo's own central platform: the reference server started on loopback beside the
terminal, the terminal enrolled with it and trusting its update key, stopped on the way out."""

from __future__ import annotations

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
        """Enrol as the installer does: a one-time code from the centre, traded over HTTP for the
        terminal's secret and the centre's update key."""
        from sync.enrolment_client import redeem
        from sync.keys import load_or_create_signing_key, public_key_pem

        document_key = public_key_pem(load_or_create_signing_key(data_dir / "keys" / "terminal_ed25519.pem"))
        code = self.process.enrolment_code(division, terminal_id)
        answer = redeem(self.url, code, terminal_id, document_key)
        save_secret(data_dir, answer.secret)
        centre_key_path(data_dir).parent.mkdir(parents=True, exist_ok=True)
        centre_key_path(data_dir).write_text(answer.update_public_key or "", encoding="ascii")

    def cases_received(self, terminal_id: str) -> int:
        """How many cases of the terminal the centre holds."""
        return len(self.case_ids(terminal_id))

    def case_ids(self, terminal_id: str) -> list[str]:
        """The case ids of the terminal's case entries the centre holds, a repeat listed again."""
        from sync.server.db import CentralStore

        store = CentralStore(self.process.db)
        try:
            return store.case_ids(terminal_id)
        finally:
            store.close()


@contextmanager
def demo_central(folder: Path) -> Iterator[DemoCentral]:
    """A fresh reference server with its database in `folder`; killed when the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("central.db*"):
        old.unlink()
    process = CentralProcess(folder, log_path=folder / "server.log")
    central = DemoCentral(process, process.key)
    process.start()
    try:
        yield central
    finally:
        process.stop()
