"""Encryption at rest of personal data (AES-256-GCM), with the key in a 0600 file."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class FieldCipher:
    """Encrypts JSON values bound to a context (the case id), so rows cannot be swapped."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._aead = AESGCM(key)
        # A second key for lookup tags, derived so the encryption key is never used for two jobs.
        self._tag_key = HKDF(hashes.SHA256(), 32, salt=None, info=b"kiosk lookup tags v1").derive(key)

    def lookup_tag(self, text: str) -> str:
        """A keyed hash to find rows by (the cases of one ID number) without storing the number:
        unlike a bare SHA-256, it cannot be reversed by trying every possible ID number without
        the key file."""
        return hmac.new(self._tag_key, text.encode(), hashlib.sha256).hexdigest()

    def check_value(self) -> str:
        """A keyed digest of a fixed text, kept in the store: it tells whether the key file is the
        one the store's sealed rows were made with, and reveals nothing of the key."""
        return hmac.new(self._check_key, b"kiosk store key check v1", hashlib.sha256).hexdigest()

    @cached_property
    def _check_key(self) -> bytes:
        return HKDF(hashes.SHA256(), 32, salt=None, info=b"kiosk key check v1").derive(self._key)

    @classmethod
    def from_key_file(cls, path: Path) -> FieldCipher:
        """Load the key at `path`, creating a new random one (mode 0600) on first use."""
        if not path.exists():
            create_key_file(path)
        return cls.load(path)

    @classmethod
    def load(cls, path: Path) -> FieldCipher:
        """Load the key at `path`; FileNotFoundError when there is none (never made up)."""
        key = path.read_bytes()
        if len(key) not in (16, 24, 32):
            raise ValueError(f"{path} holds {len(key)} bytes, not an AES key")
        return cls(key)

    def seal(self, value: Any, context: str) -> bytes:
        """Encrypt a JSON-serialisable value."""
        nonce = os.urandom(12)
        plain = json.dumps(value, ensure_ascii=False, default=str).encode()
        return nonce + self._aead.encrypt(nonce, plain, context.encode())

    def open(self, sealed: bytes, context: str) -> Any:
        """Decrypt what `seal` made for the same context."""
        return json.loads(self._aead.decrypt(sealed[:12], sealed[12:], context.encode()))

    def seal_bytes(self, data: bytes, context: str) -> bytes:
        """Encrypt raw bytes (a photo, a captured page)."""
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, data, context.encode())

    def open_bytes(self, sealed: bytes, context: str) -> bytes:
        """Decrypt what `seal_bytes` made for the same context."""
        return self._aead.decrypt(sealed[:12], sealed[12:], context.encode())


def create_key_file(path: Path) -> None:
    """Write a new random 256-bit key to `path` (mode 0600); FileExistsError if there is one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(AESGCM.generate_key(bit_length=256))
        handle.flush()
        os.fsync(handle.fileno())
