"""One terminal, one store: an emptied, deleted or swapped store file is refused, not replaced.

Each store carries a random identity (`store_meta.store_id`), and the key folder keeps a copy
(`keys/store.id`). On an enrolled terminal, a store that is gone or empty while the copy is there,
or a store with another identity, would restart case numbers at 000001 (the centre would then
hold two cases with one number) or mix two terminals' cases: the start is refused until a
technician restores the store (backups/) or tells the centre.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.refusal import TerminalRefusedError
from kiosk.core.store_survey import StoreFacts
from sync.credentials import is_enrolled

if TYPE_CHECKING:
    from kiosk.core.store import Store

log = logging.getLogger(__name__)
STORE_ID = "store_id"


def marker_path(data_dir: Path) -> Path:
    """Where the key folder keeps the identity of the terminal's store."""
    return data_dir / "keys" / "store.id"


def remembered_id(data_dir: Path) -> str | None:
    """The identity of the store this terminal has had, if it has had one."""
    path = marker_path(data_dir)
    if not path.exists():
        return None
    return path.read_text(encoding="ascii").strip() or None


def check_identity(data_dir: Path, store_path: Path, facts: StoreFacts) -> None:
    """Refuse a store that is not the one an enrolled terminal has had."""
    known = remembered_id(data_dir)
    if known is None or not is_enrolled(data_dir):
        return
    if facts.fresh:
        state = "missing" if not facts.exists else "empty (no tables)"
        raise TerminalRefusedError(
            "store_identity",
            store_path,
            f"{state}, but this enrolled terminal has had store {known} ({marker_path(data_dir)}): "
            "a new store would restart case numbers at 000001",
            f"办件库 {store_path.name} 不见了或被清空：请技术人员从 backups/ 恢复办件库并联系中心，"
            "不要让终端新建办件库（否则办件编号会重复）",
        )
    found = facts.meta.get(STORE_ID)
    if found is not None and found != known:
        raise TerminalRefusedError(
            "store_identity",
            store_path,
            f"store {found} is not this terminal's store {known} ({marker_path(data_dir)})",
            f"办件库 {store_path.name} 不是本终端原来的办件库（被替换）：请技术人员恢复原办件库并联系中心",
        )


def settle_identity(store: Store, data_dir: Path) -> str:
    """Give the store an identity if it has none, and keep its copy in the key folder; the identity."""
    store_id = store.meta(STORE_ID)
    if store_id is None:
        store_id = str(uuid.uuid4())
        store.set_meta(STORE_ID, store_id)
    known = remembered_id(data_dir)
    if known != store_id:
        if known is not None:
            log.warning(
                "the key folder named another store; now this one",
                extra={"was": known, "now": store_id, "file": str(marker_path(data_dir))},
            )
        _write_marker(marker_path(data_dir), store_id)
    return store_id


def forget_identity(data_dir: Path) -> None:
    """The store was removed on purpose (an installation rolled back before it had one)."""
    marker_path(data_dir).unlink(missing_ok=True)


def _write_marker(path: Path, store_id: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(store_id + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
