"""The terminal's data folder, its keys and its store are the kiosk user's alone.

A key file or store that group or others may read is repaired (0600, folders 0700) and the repair
logged as a warning, since the key may have been copied meanwhile; a mode that cannot be repaired
(a file of another user's) refuses the start.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.core.refusal import TerminalRefusedError
from sync.keys import make_private

log = logging.getLogger(__name__)
STORE_FILES = ("kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3-shm")
PRIVATE_FOLDERS = ("keys", "backups")


def private_paths(data_dir: Path) -> list[tuple[Path, int]]:
    """Every path that must be the owner's alone, with the mode it gets, folders first."""
    paths: list[tuple[Path, int]] = [(data_dir, 0o700)]
    paths += [(data_dir / name, 0o700) for name in PRIVATE_FOLDERS if (data_dir / name).is_dir()]
    keys = data_dir / "keys"
    if keys.is_dir():
        paths += [(path, 0o600) for path in sorted(keys.iterdir()) if path.is_file()]
    paths += [(data_dir / name, 0o600) for name in STORE_FILES if (data_dir / name).exists()]
    return paths


def secure_data_folder(data_dir: Path) -> list[str]:
    """Repair the modes of the data folder, its keys and its store; the repairs made (each logged).

    TerminalRefusedError when a mode cannot be changed."""
    repairs = []
    for path, mode in private_paths(data_dir):
        try:
            repaired = make_private(path, mode)
        except OSError as exc:  # another user's file, a read-only disk
            raise TerminalRefusedError(
                "file_modes",
                path,
                f"open to group or others and cannot be made {mode:o}: {exc.strerror}",
                f"文件 {path.name} 其他用户可以读取，且无法改为仅本机服务可读：请技术人员检查文件属主",
            ) from None
        if repaired:
            log.warning("file permissions repaired: %s", repaired, extra={"file": str(path)})
            repairs.append(repaired)
    return repairs
