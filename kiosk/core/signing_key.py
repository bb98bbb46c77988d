"""The terminal's document-signing key stays the key it has signed with (and the centre registered).

The store keeps the fingerprint of the key its terminal signs with. On an enrolled terminal that
has had a key, a missing, unreadable or different key file refuses the start, never a key made
anew: a new key would sign licences that fail verification against the key the centre registered
at enrolment. A terminal not enrolled yet makes its key on first use, as the installer does.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.core.refusal import TerminalRefusedError
from sync.credentials import is_enrolled
from sync.keys import load_or_create_signing_key, make_private, public_key_pem

if TYPE_CHECKING:
    from kiosk.core.store import Store

log = logging.getLogger(__name__)
FINGERPRINT = "signing_key_sha256"
ADVICE = "请技术人员恢复原证照签名密钥 keys/terminal_ed25519.pem，或重新注册终端（新密钥须在中心登记）"


def signing_key_path(data_dir: Path) -> Path:
    """Where the document-signing key lives."""
    return data_dir / "keys" / "terminal_ed25519.pem"


def fingerprint(key: Ed25519PrivateKey) -> str:
    """SHA-256 of the public key's PEM text (what the store remembers of the key)."""
    return hashlib.sha256(public_key_pem(key).encode()).hexdigest()


def check_signing_key(data_dir: Path, store: Store) -> None:
    """At start: refuse an enrolled terminal whose signing key is gone, unreadable or not the one
    it has signed with; else remember the key's fingerprint."""
    path = signing_key_path(data_dir)
    enrolled, recorded = is_enrolled(data_dir), store.meta(FINGERPRINT)
    if not path.exists() and enrolled and recorded:
        raise TerminalRefusedError(
            "signing_key",
            path,
            f"missing on an enrolled terminal that signed with key {recorded[:16]}…: a new key would sign"
            " documents that fail verification against the key the centre registered",
            f"证照签名密钥丢失。{ADVICE}",
        )
    try:
        key = load_signing_key(path) if path.exists() else load_or_create_signing_key(path)
    except (OSError, ValueError) as exc:
        raise TerminalRefusedError(
            "signing_key", path, f"unreadable: {exc}", f"证照签名密钥无法读取。{ADVICE}"
        ) from None
    found = fingerprint(key)
    if recorded == found:
        return
    if recorded and enrolled:
        raise TerminalRefusedError(
            "signing_key",
            path,
            f"key {found[:16]}… is not the key {recorded[:16]}… this enrolled terminal signed with",
            f"证照签名密钥被替换。{ADVICE}",
        )
    if recorded:
        log.warning("signing key changed on a terminal not enrolled", extra={"file": str(path)})
    store.set_meta(FINGERPRINT, found)


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The key at `path`, never made anew (FileNotFoundError when it is not there)."""
    if not path.exists():
        raise FileNotFoundError(path)
    if repaired := make_private(path):
        log.warning("signing key was open to others; repaired", extra={"file": str(path), "was": repaired})
    return load_or_create_signing_key(path)


def signing_key_loader(data_dir: Path) -> Callable[[], Ed25519PrivateKey]:
    """What the journey signs with: once enrolled, the key file or an error, never a new key."""
    path = signing_key_path(data_dir)

    def load() -> Ed25519PrivateKey:
        if not is_enrolled(data_dir):
            return load_or_create_signing_key(path)
        try:
            return load_signing_key(path)
        except FileNotFoundError:
            raise TerminalRefusedError(
                "signing_key", path, "missing on an enrolled terminal", f"证照签名密钥丢失。{ADVICE}"
            ) from None

    return load
