"""Encryption at rest of personal data (AES-256-GCM), with the key in a 0600 file."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class FieldCipher:
    """Encrypts JSON values bound to a context (the case id), so rows cannot be swapped."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        # A second key for lookup tags, derived so the encryption key is never used for two jobs.
        self._tag_key = HKDF(hashes.SHA256(), 32, salt=None, info=b"kiosk lookup tags v1").derive(key)

    def lookup_tag(self, text: str) -> str:
        """A keyed hash to find rows by (the cases of one ID number) without storing the number:
        unlike a bare SHA-256, it cannot be reversed by trying every possible ID number without
        the key file."""
        return hmac.new(self._tag_key, text.encode(), hashlib.sha256).hexdigest()

    @classmethod
    def from_key_file(cls, path: Path) -> FieldCipher:
        """Load the key at `path`, creating a new random one (mode 0600) on first use."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(AESGCM.generate_key(bit_length=256))
        return cls(path.read_bytes())

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
