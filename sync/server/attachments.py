"""The centre's attachment files: named by the SHA-256 of their content, so a file sent twice,
or by two terminals, is kept once; received in chunks, so an upload cut off resumes where the
centre's copy ends. A file is complete only when its content matches its name."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

MAX_LENGTH = 32 * 1024 * 1024
MAX_CHUNK = 1024 * 1024
DIGEST = re.compile(r"^[0-9a-f]{64}$")


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


class AttachmentFiles:
    """Files under one folder: `<sha256>` when complete, `<sha256>.part` and `.length` while not."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def _paths(self, digest: str) -> tuple[Path, Path, Path]:
        if not DIGEST.match(digest):
            raise ValueError("not a SHA-256 in lower-case hex")
        base = self.folder / digest[:2] / digest
        return base, base.with_suffix(".part"), base.with_suffix(".length")

    def status(self, digest: str) -> Status | None:
        """What the centre holds of `digest`, or None when nothing."""
        final, part, length_file = self._paths(digest)
        if final.exists():
            size = final.stat().st_size
            return Status(digest, size, size, True)
        if part.exists() and length_file.exists():
            return Status(digest, int(length_file.read_text()), part.stat().st_size, False)
        return None

    def receive(self, digest: str, offset: int, length: int, chunk: bytes) -> Status:
        """Append `chunk` at `offset` of a file of `length` bytes; the status after it."""
        if not 0 < length <= MAX_LENGTH:
            raise AttachmentRejectedError(f"length must be 1..{MAX_LENGTH} bytes")
        if len(chunk) > MAX_CHUNK:
            raise AttachmentRejectedError(f"a chunk is at most {MAX_CHUNK} bytes")
        final, part, length_file = self._paths(digest)
        with self._lock:
            held = self.status(digest)
            if held is not None and held.complete:
                return held  # content-addressed: already here, from this upload or another
            if held is not None and held.length != length:
                self._drop(part, length_file)
                raise AttachmentRejectedError("the length differs from the upload begun before")
            received = held.received if held else 0
            if offset != received:
                raise OffsetMismatchError(received)
            if received + len(chunk) > length:
                raise AttachmentRejectedError("more bytes than the length announced")
            part.parent.mkdir(parents=True, exist_ok=True)
            if held is None:
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
            os.replace(part, final)
            length_file.unlink(missing_ok=True)
            _fsync_dir(final.parent)
            return Status(digest, length, length, True)

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
