"""Ed25519 keys kept as PEM files: the terminal's document-signing key, the centre's update key."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """Load the key at `path`, creating one readable only by this user on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path.name} is not an Ed25519 key")
    return key


def make_private(path: Path, mode: int = 0o600) -> str | None:
    """Make `path` its owner's alone (`mode`: 0600 for a file, 0700 for a folder) when its group or
    others have any access; what was repaired, or None when it was already so. PermissionError
    when the mode cannot be changed (a file of another user's)."""
    found = path.stat().st_mode & 0o777
    if found & 0o077 == 0:
        return None
    os.chmod(path, mode)
    return f"{path} was mode {found:o} (open to group or others): set to {mode:o}"


def public_key_pem(key: Ed25519PrivateKey) -> str:
    """The public half of a signing key, as PEM text to hand to verifiers."""
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ValueError for anything else."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def is_document_key(pem: str) -> bool:
    """True when `pem` is one Ed25519 public key in PEM (what verifiers check documents with)."""
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError):
        return False
    return isinstance(key, Ed25519PublicKey)
