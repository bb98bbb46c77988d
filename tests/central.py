"""The reference central server, run through its real entry point on a loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx

from tests.waiting import wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CentralServer:
    """`kiosk-central serve` in a subprocess with its own database; stop() kills it by PID."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.db = folder / "central.db"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def enrol(self, terminal_id: str, division: str = "370302") -> bytes:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "sync.server.main",
                "enrol",
                terminal_id,
                "--division",
                division,
                "--db",
                str(self.db),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return bytes.fromhex(out.stdout.strip())

    def start(self) -> CentralServer:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sync.server.main",
                "serve",
                "--db",
                str(self.db),
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(self._up, 20), "the central server did not come up"
        return self

    def _up(self) -> bool:
        try:
            return httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def store(self):  # noqa: ANN201 (the server's own store, to count what it holds)
        from sync.server.db import CentralStore

        return CentralStore(self.db)
