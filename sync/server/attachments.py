"""The centre's attachment files: named by the SHA-256 of their content, so a file sent twice,
or by two terminals, is kept once; received in chunks, so an upload cut off resumes where the
centre's copy ends. A file is complete only when its content matches its name.

An upload under way belongs to the terminal sending it: its partial copy lives in that terminal's
own folder, so no other terminal can see, reset, extend or pre-empt it. A terminal may have at
most ``MAX_PARTIALS`` uploads under way totalling ``MAX_PARTIAL_BYTES`` announced bytes (a new
one beyond that is refused with QuotaError), and a partial copy left untouched for
``PARTIAL_MAX_AGE`` seconds is deleted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MAX_LENGTH = 32 * 1024 * 1024
MAX_CHUNK = 1024 * 1024
MAX_PARTIALS = 16
MAX_PARTIAL_BYTES = 128 * 1024 * 1024
PARTIAL_MAX_AGE = 2 * 24 * 3600
SWEEP_EVERY = 3600
DIGEST = re.compile(r"^[0-9a-f]{64}$")
PARTIAL_FOLDER = "partial"


@dataclass(frozen=True)
class Status:
    """How much of a file the centre holds."""

    sha256: str
    length: int
    received: int
    complete: bool

    def as_json(self) -> dict[str, object]:
        """The status as the protocol sends it."""
        return {
            "sha256": self.sha256,
            "length": self.length,
            "received": self.received,
            "complete": self.complete,
        }


class OffsetMismatchError(ValueError):
    """The chunk does not continue the centre's copy; `received` says where to resume."""

    def __init__(self, received: int) -> None:
        super().__init__(f"the centre holds {received} bytes")
        self.received = received


class AttachmentRejectedError(ValueError):
    """The upload cannot become the file it names (length or content); the partial copy is dropped."""


class QuotaError(ValueError):
    """The terminal has as many uploads under way as it may; finish (or let go) one first."""


class AttachmentFiles:
    """Complete files at `<sha256[:2]>/<sha256>` under one folder; uploads under way at
    `partial/<terminal key>/<sha256>.part` with their announced length in `.length`."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self._last_sweep = 0.0

    def _final(self, digest: str) -> Path:
        if not DIGEST.match(digest):
            raise ValueError("not a SHA-256 in lower-case hex")
        return self.folder / digest[:2] / digest

    def _partials(self, terminal_id: str) -> Path:
        # The terminal id is hashed: whatever it is, it names one folder under partial/ only.
        key = hashlib.sha256(terminal_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return self.folder / PARTIAL_FOLDER / key

    def _partial(self, terminal_id: str, digest: str) -> tuple[Path, Path]:
        self._final(digest)  # checks the digest
        base = self._partials(terminal_id) / digest
        return base.with_suffix(".part"), base.with_suffix(".length")

    def _lock(self, terminal_id: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(terminal_id, threading.Lock())

    def status(self, digest: str, terminal_id: str) -> Status | None:
        """What the centre holds of `digest` for this terminal (a complete file is anyone's), or
        None when nothing."""
        final = self._final(digest)
        if final.exists():
            size = final.stat().st_size
            return Status(digest, size, size, True)
        part, length_file = self._partial(terminal_id, digest)
        try:
            return Status(digest, int(length_file.read_text()), part.stat().st_size, False)
        except (FileNotFoundError, ValueError):
            return None

    def receive(self, digest: str, offset: int, length: int, chunk: bytes, terminal_id: str) -> Status:
        """Append `chunk` at `offset` of a file of `length` bytes to this terminal's upload; the
        status after it."""
        if not 0 < length <= MAX_LENGTH:
            raise AttachmentRejectedError(f"length must be 1..{MAX_LENGTH} bytes")
        if len(chunk) > MAX_CHUNK:
            raise AttachmentRejectedError(f"a chunk is at most {MAX_CHUNK} bytes")
        self.sweep_if_due()
        final = self._final(digest)
        part, length_file = self._partial(terminal_id, digest)
        with self._lock(terminal_id):
            held = self.status(digest, terminal_id)
            if held is not None and held.complete:
                self._drop(part, length_file)
                return held  # content-addressed: already here, from this upload or another
            if held is not None and held.length != length:
                self._drop(part, length_file)
                raise AttachmentRejectedError("the length differs from the upload begun before")
            received = held.received if held else 0
            if offset != received:
                raise OffsetMismatchError(received)
            if received + len(chunk) > length:
                raise AttachmentRejectedError("more bytes than the length announced")
            if held is None:
                self._check_quota(terminal_id, length)
                part.parent.mkdir(parents=True, exist_ok=True)
                length_file.write_text(str(length))
            with part.open("ab") as handle:
                handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            received += len(chunk)
            if received < length:
                return Status(digest, length, received, False)
            if _sha256_of(part) != digest:
                self._drop(part, length_file)
                raise AttachmentRejectedError("the content does not match its SHA-256; send it again")
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(part, final)
            length_file.unlink(missing_ok=True)
            _fsync_dir(final.parent)
            return Status(digest, length, length, True)

    def _check_quota(self, terminal_id: str, length: int) -> None:
        folder = self._partials(terminal_id)
        self._sweep_folder(folder, self._clock())
        announced = []
        for length_file in folder.glob("*.length") if folder.exists() else []:
            try:
                announced.append(int(length_file.read_text()))
            except (OSError, ValueError):
                continue
        if len(announced) >= MAX_PARTIALS or sum(announced) + length > MAX_PARTIAL_BYTES:
            raise QuotaError(
                f"at most {MAX_PARTIALS} uploads of {MAX_PARTIAL_BYTES} bytes in all may be under way"
            )

    def sweep_if_due(self) -> int:
        """Sweep every terminal's old partial copies, at most once per SWEEP_EVERY seconds."""
        now = self._clock()
        if now - self._last_sweep < SWEEP_EVERY:
            return 0
        self._last_sweep = now
        return self.sweep(now)

    def sweep(self, now: float | None = None) -> int:
        """Delete partial copies untouched for PARTIAL_MAX_AGE seconds; how many went."""
        now = self._clock() if now is None else now
        root = self.folder / PARTIAL_FOLDER
        gone = sum(self._sweep_folder(folder, now) for folder in root.iterdir()) if root.exists() else 0
        if gone:
            log.info("old partial attachment uploads deleted: %d", gone)
        return gone

    def _sweep_folder(self, folder: Path, now: float) -> int:
        gone = 0
        for part in folder.glob("*.part") if folder.is_dir() else []:
            length_file = part.with_suffix(".length")
            try:
                touched = max(part.stat().st_mtime, length_file.stat().st_mtime)
            except FileNotFoundError:
                touched = 0.0
            if now - touched > PARTIAL_MAX_AGE:
                self._drop(part, length_file)
                gone += 1
        for length_file in folder.glob("*.length") if folder.is_dir() else []:
            try:
                orphan = not length_file.with_suffix(".part").exists()
                if orphan and now - length_file.stat().st_mtime > PARTIAL_MAX_AGE:
                    length_file.unlink(missing_ok=True)
            except FileNotFoundError:
                continue
        return gone

    @staticmethod
    def _drop(part: Path, length_file: Path) -> None:
        part.unlink(missing_ok=True)
        length_file.unlink(missing_ok=True)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
