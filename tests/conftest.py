"""Shared fixtures: offscreen Qt with the virtual keyboard, a demo terminal in a temp folder."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")

from kiosk.config import KioskConfig  # noqa: E402
from kiosk.core.store import Store  # noqa: E402
from kiosk.services import KioskServices, build_services  # noqa: E402
from sync.server.scratch_postgres import PostgresCluster  # noqa: E402
from tests.central import CentralServer  # noqa: E402


@pytest.fixture
def demo_config(tmp_path: Path) -> KioskConfig:
    """The demo terminal's configuration with its data in a temp folder."""
    return replace(KioskConfig(), demo=True, data_dir=tmp_path / "data")


@pytest.fixture
def services(demo_config: KioskConfig, tmp_path: Path) -> Iterator[KioskServices]:
    """Services of a demo terminal on simulated devices."""
    built = build_services(demo_config, spool_dir=tmp_path / "spool")
    yield built
    built.close()


@pytest.fixture(scope="session")
def qapp_cls():  # noqa: ANN201 (pytest-qt's hook fixture)
    """pytest-qt makes a QGuiApplication: the kiosk has no widgets."""
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication


# ---- sync tests: the reference central server with one enrolled terminal, a bare terminal store.
# (Files needing other set-ups define their own `central` / `store`, which take precedence.)
@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A private PostgreSQL cluster for this test process, stopped at the end of the run."""
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def central_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """Where the reference server keeps its tables: its default SQLite file (None), or a fresh
    PostgreSQL database. Every server-side guarantee is tested on both."""
    if request.param == "sqlite":
        yield None
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    url = cluster.create_database()
    yield url
    cluster.drop_database(url)


@pytest.fixture
def central(tmp_path: Path, central_database: str | None) -> Iterator[CentralServer]:
    server = CentralServer(tmp_path / "central", database=central_database)
    server.db.parent.mkdir(parents=True)
    server.secret = server.enrol("T-370302-0001")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def enrolled_central(
    tmp_path: Path, services: KioskServices, central_database: str | None
) -> Iterator[CentralServer]:
    """The reference server on loopback with the demo terminal of `services` enrolled."""
    server = CentralServer(tmp_path / "central", database=central_database)
    server.db.parent.mkdir(parents=True)
    server.secret = server.enrol(services.config.terminal_id)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bare_centre(tmp_path: Path) -> Iterator[CentralServer]:
    """The reference server on loopback with no terminal enrolled: the installer enrols one with a
    one-time code (SQLite only; the codes' own tests run on both databases)."""
    server = CentralServer(tmp_path / "central")
    server.db.parent.mkdir(parents=True)
    server.start()
    yield server
    server.stop()


# One virtual reader slot: tests using it take turns through a file lock, whichever pytest-xdist
# worker runs them (xdist's loadgroup silently stopped grouping with pytest 9.2,
# pytest-dev/pytest-xdist#1386).
READER_LOCK = Path(tempfile.gettempdir()) / "kiosk-test-vpcd-35963.lock"


@pytest.fixture
def pcsc() -> Iterator[None]:
    """The real pcscd, with the virtual reader slot to this test alone."""
    if not Path("/run/pcscd/pcscd.comm").exists():
        pytest.fail("pcscd is not running: run the README test command (installer/run-tests.sh), which starts it")
    with READER_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture
def online(enrolled_central: CentralServer, services: KioskServices) -> CentralServer:
    """The terminal online, its live queries going to the centre on loopback."""
    from sync.client import CentralClient

    central = enrolled_central
    services.journey.central_client = lambda: CentralClient(
        central.url, services.config.terminal_id, central.secret, timeout=2
    )
    services.journey.network_online = True
    return central


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "terminal")
    yield s
    s.close()
