"""Real characters' strokes for measuring the writing pad: the npm package hanzi-writer-data
(derived from the Make Me a Hanzi project), fetched once into var/ by the test set-up, never
committed, checked against its published SHA-512.

Each character's medians are its strokes in writing order as centre lines, in a 1024-unit box
whose y axis points up with its baseline at 900 (Make Me a Hanzi's glyph space)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from functools import cache
from pathlib import Path

import httpx

PACKAGE = "hanzi-writer-data"
VERSION = "2.0.1"
TARBALL_URL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
TARBALL_SHA512 = (
    "9db43033e31aaf21a8abba4130864b09dde516ad379d7b89bb092ed7ee946e32"
    "f9f2e53ef4e50b55c324a0dbcdb894a8215edfd5b6cf45f0f80ff2d06b94bbaa"
)
ROOT = Path(__file__).resolve().parents[2]
STROKES_DIR = ROOT / "var" / f"{PACKAGE}-{VERSION}"
GLYPH_BOX = 1024
GLYPH_BASELINE = 900
SHOP_NAME_CHARACTERS_FILE = Path(__file__).resolve().parent / "data" / "shop_name_characters.txt"

Stroke = list[tuple[float, float]]


def fetch(folder: Path = STROKES_DIR) -> Path:
    """Download and unpack the package into `folder` unless it is there already."""
    if (folder / ".complete").exists():
        return folder
    response = httpx.get(TARBALL_URL, timeout=120, follow_redirects=True)
    response.raise_for_status()
    digest = hashlib.sha512(response.content).hexdigest()
    if digest != TARBALL_SHA512:
        raise RuntimeError(f"{TARBALL_URL}: SHA-512 {digest} is not the published {TARBALL_SHA512}")
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if member.isfile() and name.endswith(".json") and name != "package.json":
                source = tar.extractfile(member)
                if source is not None:
                    (folder / name).write_bytes(source.read())
    (folder / ".complete").write_text(VERSION)
    return folder


def medians(character: str, folder: Path = STROKES_DIR) -> list[Stroke]:
    """The character's strokes as fractions of its box (x right, y down), in writing order."""
    data = json.loads((folder / f"{character}.json").read_text(encoding="utf-8"))
    return [
        [(x / GLYPH_BOX, (GLYPH_BASELINE - y) / GLYPH_BOX) for x, y in stroke] for stroke in data["medians"]
    ]


@cache
def shop_name_characters() -> str:
    """The 300 characters the pad is measured on (see the file's own header for their source)."""
    lines = SHOP_NAME_CHARACTERS_FILE.read_text(encoding="utf-8").splitlines()
    return "".join(line.strip() for line in lines if line.strip() and not line.startswith("#"))
