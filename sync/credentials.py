"""The terminal's credentials for the central platform: the secret issued at enrolment, kept in
`<data_dir>/keys/central.secret` readable only by the kiosk's user."""

from __future__ import annotations

import logging
import os
import ssl
from pathlib import Path

from sync.keys import make_private

log = logging.getLogger(__name__)


def secret_path(data_dir: Path) -> Path:
    """Where the enrolment secret lives."""
    return data_dir / "keys" / "central.secret"


def save_secret(data_dir: Path, secret: bytes) -> Path:
    """Store the secret (hex), replacing an earlier one atomically."""
    path = secret_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret.hex() + "\n")
    os.replace(temporary, path)
    return path


def load_secret(data_dir: Path) -> bytes | None:
    """The secret, or None when the terminal has not been enrolled."""
    path = secret_path(data_dir)
    if not path.exists():
        return None
    if repaired := make_private(path):
        log.warning(
            "enrolment secret was open to others; repaired", extra={"file": str(path), "fix": repaired}
        )
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def is_enrolled(data_dir: Path) -> bool:
    """True when the installer has enrolled this terminal (the secret is there)."""
    return secret_path(data_dir).exists()


def centre_ca_path(data_dir: Path) -> Path:
    """The certificate (or CA) the installer pinned for an https centre with a private CA."""
    return data_dir / "trust" / "central-ca.pem"


def tls_verify(data_dir: Path) -> ssl.SSLContext | bool:
    """How to check the centre's TLS certificate: against the pinned CA when there is one,
    else the system's CAs. Never off."""
    path = centre_ca_path(data_dir)
    if path.exists():
        return ssl.create_default_context(cafile=str(path))
    return True
