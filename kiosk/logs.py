"""Logging as JSON lines to a rotating file, with personal data masked in every record."""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import threading
from pathlib import Path
from typing import Any

from forms.privacy import mask_text

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class MaskingJsonFormatter(logging.Formatter):
    """One JSON object a line; every string in the message and extras goes through mask_text."""

    def format(self, record: logging.LogRecord) -> str:
        """Format the record as a masked JSON line."""
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": mask_text(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = mask_text(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exc"] = mask_text(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class MaskingConsoleFormatter(logging.Formatter):
    """Short console lines for technicians, masked like the file."""

    def format(self, record: logging.LogRecord) -> str:
        """Format the record as one masked line."""
        return mask_text(f"{record.levelname} {record.name}: {record.getMessage()}")


class ErrorCount(logging.Handler):
    """Counts the errors logged, for the heartbeat's "errors since the last one"."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self._count = 0
        self._counted = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:  # noqa: D102
        with self._counted:
            self._count += 1

    def count(self) -> int:
        """Errors logged since the process started."""
        with self._counted:
            return self._count


ERRORS = ErrorCount()  # on the root logger once configure_logging ran


def configure_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send all logs to `log_dir/kiosk.jsonl` (rotated at 5 MB, 10 files kept) and warnings to stderr.

    Every handler already on the root logger is replaced: a library that called
    logging.basicConfig() (python-escpos does at import) would print unmasked records.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.jsonl"
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5_000_000, backupCount=10, encoding="utf-8"
    )
    file_handler.setFormatter(MaskingJsonFormatter())
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(MaskingConsoleFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    root.addHandler(file_handler)
    root.addHandler(console)
    root.addHandler(ERRORS)
    root.setLevel(level)
    return path
