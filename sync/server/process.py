"""Run the reference central platform as a child process on loopback, through its real entry
point: for the demo, the benchmarks and the tests. The caller stops what it started."""

from __future__ import annotations

import ctypes
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx

PR_SET_PDEATHSIG = 1


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def die_with_parent() -> None:
    """In the child: be killed when the process that started us dies, even by SIGKILL, so a
    crashed demo or test never leaves a server holding its port (Linux prctl)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class CentralProcess:
    """`kiosk-central serve` in a subprocess with its own database; stop() kills it by PID."""

    def __init__(
        self,
        folder: Path,
        port: int | None = None,
        log_path: Path | None = None,
        tls: tuple[Path, Path] | None = None,
        database: str | None = None,
    ) -> None:
        self.db = folder / "central.db"
        self.key = folder / "centre_ed25519.pem"  # the update key: made by the server if absent
        # A postgresql:// URL, or else the SQLite file above; attachments stay in `folder` either way.
        self.database = database or str(self.db)
        self.attachments = folder / "attachments"
        self.port = port or free_port()
        self.tls = tls  # (certificate, key): serve https
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def _command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "sync.server.main", *args, "--db", self.database]

    def enrol(self, terminal_id: str, division: str = "370302") -> bytes:
        """Enrol a terminal with the server's own command; its secret."""
        out = subprocess.run(
            self._command("enrol", terminal_id, "--division", division),
            capture_output=True,
            text=True,
            check=True,
        )
        return bytes.fromhex(out.stdout.strip())

    def enrolment_code(self, division: str = "370302", terminal_id: str | None = None) -> str:
        """Issue a one-time enrolment code with the server's own command."""
        bound = ["--terminal-id", terminal_id] if terminal_id else []
        out = subprocess.run(
            self._command("enrolment-code", "--division", division, *bound),
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()

    def start(self, timeout: float = 20.0) -> CentralProcess:
        """Start serving and wait until its health answer comes (RuntimeError if it never does)."""
        output = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
        tls = ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])] if self.tls else []
        self.process = subprocess.Popen(
            self._command(
                "serve", "--port", str(self.port), "--attachments", str(self.attachments),
                "--key", str(self.key), *tls,
            ),
            stdout=output,
            stderr=output,
            preexec_fn=die_with_parent,
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
            verify = ssl.create_default_context(cafile=str(self.tls[0])) if self.tls else True
            return httpx.get(f"{self.url}/v1/health", timeout=1, verify=verify).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """Kill the server (SIGKILL: what it committed is durable, as after a power cut)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
