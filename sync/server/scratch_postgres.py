"""A throwaway PostgreSQL cluster, for the tests and the sync benchmark: initdb into a temporary
folder, the server on a free loopback port with trust authentication (loopback only), killed
with the process that started it; a fresh database for each user.

As root (CI) the cluster runs as the `postgres` user the Debian package creates, because
PostgreSQL refuses to run as root. fsync is off: the cluster is deleted when the run ends, and
what is measured and tested is the central server's transactions, not this disk.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from sync.server.process import die_with_parent, free_port

USER = "kiosk"


def binaries() -> Path:
    """The folder holding initdb and postgres (Debian keeps them out of PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    on_path = shutil.which("postgres")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError("PostgreSQL is not installed (the Debian package postgresql)")


def available() -> bool:
    """True when a PostgreSQL server can be started here."""
    try:
        binaries()
    except RuntimeError:
        return False
    return True


PREFIX = "kiosk-pg-"
STALE_SECONDS = 3600


def sweep_stale(parent: Path | None = None) -> None:
    """Delete clusters left behind by a process that was killed: older than an hour, and no
    live postmaster (a younger folder may belong to a run still initialising)."""
    for folder in Path(parent or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        with contextlib.suppress(OSError, ValueError):
            if time.time() - folder.stat().st_mtime < STALE_SECONDS:
                continue
            pid_file = folder / "data" / "postmaster.pid"
            if pid_file.exists():
                pid = int(pid_file.read_text().split()[0])
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, 0)
                    continue  # still running
            shutil.rmtree(folder)


class PostgresCluster:
    """One private cluster; start() it, create_database() for each user, stop() at the end."""

    def __init__(self) -> None:
        sweep_stale()
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX))
        self.data = self.folder / "data"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._run_as = "postgres" if os.geteuid() == 0 else None

    def _as_owner(self) -> dict:
        return {"user": self._run_as} if self._run_as else {}

    def start(self, timeout: float = 30.0) -> PostgresCluster:
        """initdb and start the server; RuntimeError when it does not accept connections in time."""
        if self._run_as:
            entry = pwd.getpwnam(self._run_as)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        bin_dir = binaries()
        subprocess.run(
            [str(bin_dir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
             "--locale=C", "--no-sync"],
            check=True,
            capture_output=True,
            cwd=self.folder,
            **self._as_owner(),
        )
        log = (self.folder / "postgres.log").open("ab")
        self.process = subprocess.Popen(
            [str(bin_dir / "postgres"), "-D", str(self.data), "-p", str(self.port), "-h", "127.0.0.1",
             "-k", str(self.folder), "-c", "fsync=off", "-c", "max_connections=200"],
            stdout=log,
            stderr=log,
            cwd=self.folder,
            preexec_fn=die_with_parent,
            **self._as_owner(),
        )
        deadline = time.monotonic() + timeout
        while not self._accepts():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"PostgreSQL did not start on port {self.port}")
            time.sleep(0.1)
        return self

    def url(self, database: str = "postgres") -> str:
        """The connection URL of one database of this cluster."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def _accepts(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.url(), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def create_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"central_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database (its connections are ended first)."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Stop the server (by PID) and delete the cluster."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
        with contextlib.suppress(OSError):
            shutil.rmtree(self.folder)
