"""The store key and the store belong together: a lost or replaced key is refused, never made anew.

The store keeps a check value of its key (a keyed digest of a fixed text, see
FieldCipher.check_value). With sealed personal data in the store, a missing key file or a key
whose check value differs stops the start: a new key would let residents be served while every
earlier case, outbox entry and attachment could no longer be opened or sent. A store without
sealed data may take a new key (logged), since nothing would be lost.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag

from kiosk.core.crypto import FieldCipher, create_key_file
from kiosk.core.refusal import TerminalRefusedError
from kiosk.core.store_survey import StoreFacts

if TYPE_CHECKING:
    from kiosk.core.store import Store

log = logging.getLogger(__name__)
KEY_CHECK = "key_check"
ADVICE = "请技术人员找回原来的存储密钥 keys/store.key（勿删除办件库，勿重新生成密钥）"


def store_cipher(key_path: Path, facts: StoreFacts) -> FieldCipher:
    """The cipher of the key at `key_path`; a new key only when no sealed data waits for the old one."""
    if key_path.exists():
        try:
            return FieldCipher.load(key_path)
        except (OSError, ValueError) as exc:
            raise TerminalRefusedError(
                "store_key", key_path, f"unreadable: {exc}", f"存储密钥无法读取。{ADVICE}"
            ) from None
    if facts.has_sealed_data:
        raise TerminalRefusedError(
            "store_key",
            key_path,
            "missing, while the store holds personal data sealed with it "
            f"({len(facts.sealed)}+ sealed values; schema {facts.version})",
            f"存储密钥丢失，办件库中的个人信息无法解密。{ADVICE}",
        )
    if KEY_CHECK in facts.meta:
        log.warning(
            "store key missing; a new one is made (the store holds no sealed data)",
            extra={"file": str(key_path)},
        )
    create_key_file(key_path)
    return FieldCipher.load(key_path)


def settle_key_check(store: Store, facts: StoreFacts, key_path: Path) -> None:
    """Check the key against the store's check value (or, for a store from before check values,
    against its sealed rows), then keep the check value; TerminalRefusedError on a mismatch."""
    value = store.cipher.check_value()
    recorded = facts.meta.get(KEY_CHECK)
    if recorded == value:
        return
    if facts.has_sealed_data and (recorded is not None or not _opens_any(store.cipher, facts)):
        why = "differs from the store's key check value" if recorded else "opens none of the sealed values"
        raise TerminalRefusedError(
            "store_key",
            key_path,
            f"{why} ({len(facts.sealed)}+ sealed values in the store): another terminal's or a new key",
            f"存储密钥与办件库不匹配（密钥被替换），办件库中的个人信息无法解密。{ADVICE}",
        )
    if recorded is not None:
        log.warning(
            "store key changed; accepted since the store holds no sealed data", extra={"file": str(key_path)}
        )
    store.set_meta(KEY_CHECK, value)


def _opens_any(cipher: FieldCipher, facts: StoreFacts) -> bool:
    for sealed, context in facts.sealed:
        try:
            cipher.open_bytes(sealed, context)
        except (InvalidTag, ValueError):
            continue
        return True
    return False
