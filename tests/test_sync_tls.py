"""With TLS configured the terminal talks https to the centre and trusts only the certificate
the installer pinned; an impostor's certificate leaves every case waiting, none sent."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.core.store import Store
from sync import outbox
from sync.client import CentralClient, OutboxPusher
from sync.credentials import centre_ca_path, tls_verify
from tests.central import CentralServer
from tests.test_sync import TERMINAL, decide


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as a county's private CA would issue one."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.fixture
def central(tmp_path: Path) -> Iterator[CentralServer]:
    server = CentralServer(tmp_path / "central", tls=self_signed(tmp_path / "tls", "centre"))
    server.db.parent.mkdir(parents=True)
    server.secret = server.enrol(TERMINAL)
    server.start()
    yield server
    server.stop()


def test_over_https_with_the_pinned_certificate_the_cases_arrive(
    central: CentralServer, store: Store, tmp_path: Path
) -> None:
    assert central.url.startswith("https://")
    data_dir = tmp_path / "terminal"
    centre_ca_path(data_dir).parent.mkdir(parents=True, exist_ok=True)
    centre_ca_path(data_dir).write_bytes(central.tls[0].read_bytes())
    case_ids = decide(store, 3)
    client = CentralClient(central.url, TERMINAL, central.secret, verify=tls_verify(data_dir))
    assert client.healthy()
    assert OutboxPusher(store, client).push().sent == 3
    assert sorted(central.store().case_ids(TERMINAL)) == sorted(case_ids)


def test_an_impostors_certificate_is_refused_and_nothing_is_sent(
    central: CentralServer, store: Store, tmp_path: Path
) -> None:
    impostor, _ = self_signed(tmp_path / "other", "impostor")
    data_dir = tmp_path / "terminal"
    centre_ca_path(data_dir).parent.mkdir(parents=True, exist_ok=True)
    centre_ca_path(data_dir).write_bytes(impostor.read_bytes())  # pinned: someone else's certificate
    decide(store, 2)
    client = CentralClient(central.url, TERMINAL, central.secret, verify=tls_verify(data_dir))
    assert not client.healthy()
    report = OutboxPusher(store, client).push()
    assert (
        report.sent == 0 and "SSL" in report.last_error.upper() or "CERTIFICATE" in report.last_error.upper()
    )
    assert outbox.counts(store.conn)["pending"] == 2
    assert central.store().case_count(TERMINAL) == 0
