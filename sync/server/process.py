"""Run the reference central platform as a child process on loopback, through its real entry
point: for the demo, the benchmarks and the tests. The caller stops what it started."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CentralProcess:
    """`kiosk-central serve` in a subprocess with its own database; stop() kills it by PID."""

    def __init__(self, folder: Path, port: int | None = None, log_path: Path | None = None) -> None:
        self.db = folder / "central.db"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def _command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "sync.server.main", *args, "--db", str(self.db)]

    def enrol(self, terminal_id: str, division: str = "370302") -> bytes:
        """Enrol a terminal with the server's own command; its secret."""
        out = subprocess.run(
            self._command("enrol", terminal_id, "--division", division),
            capture_output=True,
            text=True,
            check=True,
        )
        return bytes.fromhex(out.stdout.strip())

    def start(self, timeout: float = 20.0) -> CentralProcess:
        """Start serving and wait until its health answer comes (RuntimeError if it never does)."""
        output = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(
            self._command("serve", "--port", str(self.port)), stdout=output, stderr=output
        )
        deadline = time.monotonic() + timeout
        while not self.up():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the central server did not come up on {self.url}")
            time.sleep(0.05)
        return self

    def up(self) -> bool:
        """True when the server answers its health check."""
        try:
            return httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """Kill the server (SIGKILL: what it committed is durable, as after a power cut)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
