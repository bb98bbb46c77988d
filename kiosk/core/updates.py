"""Apply the centre's signed updates on the terminal: all of an update or none of it.

Reference lists are replaced inside one database transaction. A catalogue update is written to
a new folder, every item in it is loaded and checked against the schema, and only then does the
terminal's pointer to the catalogue in force move to it (an atomic rename); a catalogue that
does not load is refused and the one in force stays.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from forms.catalogue import ITEMS_DIR, ItemFileError, ServiceItem, load_catalogue
from forms.jurisdiction import DivisionTable
from forms.name_rules import NameRules
from kiosk.core.store import Store
from sync.updates import DOCUMENT_KINDS, verify_update

log = logging.getLogger(__name__)
ITEM_FILE = re.compile(r"^[0-9A-Za-z_-]{1,80}\.toml$")


class UpdateRefusedError(ValueError):
    """An update that was not applied; the message says why. Nothing changed."""


def catalogue_dir(data_dir: Path) -> Path:
    """The catalogue in force: the last applied update, or the one shipped with the software."""
    pointer = data_dir / "catalogue" / "current"
    if pointer.exists():
        folder = data_dir / "catalogue" / pointer.read_text(encoding="utf-8").strip()
        if folder.is_dir():
            return folder
    return ITEMS_DIR


def load_catalogue_in_force(data_dir: Path) -> dict[str, ServiceItem]:
    """The service items in force on this terminal."""
    return load_catalogue(catalogue_dir(data_dir))


def version_in_force(store: Store, kind: str) -> int:
    """The version of an update kind applied last (0: none yet)."""
    with store.lock:
        row = store.conn.execute("SELECT version FROM reference_versions WHERE name = ?", (kind,)).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def apply_update(store: Store, data_dir: Path, document: Any, centre_key: Ed25519PublicKey) -> int:
    """Verify and apply one update document; returns its version or raises UpdateRefusedError."""
    problem = verify_update(document, centre_key)
    if problem:
        raise UpdateRefusedError(problem)
    kind, version, content = document["kind"], int(document["version"]), document["content"]
    if version <= version_in_force(store, kind):
        raise UpdateRefusedError(f"not newer than version {version_in_force(store, kind)} in force")
    if not isinstance(content, dict):
        raise UpdateRefusedError("content is not an object")
    if kind == "catalogue":
        _apply_catalogue(store, data_dir, version, content)
    elif kind in DOCUMENT_KINDS:
        _apply_document(store, kind, version, content)
    else:
        _apply_list(store, kind, version, content)
    log.info("update applied", extra={"kind": kind, "version": version})
    return version


def _record(conn: Any, kind: str, version: int) -> None:
    conn.execute(
        "INSERT INTO reference_versions(name, version, applied_at) VALUES (?,?,?)"
        " ON CONFLICT(name) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at",
        (kind, str(version), dt.datetime.now().isoformat(timespec="seconds")),
    )


def _apply_list(store: Store, kind: str, version: int, content: dict[str, Any]) -> None:
    try:
        if kind == "name_registry":
            rows: list[tuple[str, ...]] = [
                (str(n["division"]), str(n["industry"]), str(n["trade_name"])) for n in content["names"]
            ]
        else:
            rows = [(str(e["id_hash"]), str(e["reason"])) for e in content["entries"]]
    except (KeyError, TypeError) as exc:
        raise UpdateRefusedError(f"{kind}: malformed entries ({exc})") from None
    with store.durable() as conn:
        if kind == "name_registry":
            conn.execute("DELETE FROM name_registry WHERE source = 'centre'")
            conn.executemany(
                "INSERT OR IGNORE INTO name_registry(division_code, industry, trade_name, source)"
                " VALUES (?,?,?, 'centre')",
                rows,
            )
        else:
            conn.execute("DELETE FROM dishonesty_list")
            conn.executemany("INSERT OR REPLACE INTO dishonesty_list(id_hash, reason) VALUES (?,?)", rows)
        _record(conn, kind, version)


def _apply_document(store: Store, kind: str, version: int, content: dict[str, Any]) -> None:
    """Keep a name-rules or division-table document, once it parses as the rules will read it."""
    try:
        if kind == "name_rules":
            NameRules.from_mapping(content)
        else:
            DivisionTable.from_mapping(content)
    except (ValueError, KeyError, TypeError) as exc:
        raise UpdateRefusedError(f"{kind}: {exc}") from None
    with store.durable() as conn:
        conn.execute(
            "INSERT INTO reference_documents(kind, version, content) VALUES (?,?,?)"
            " ON CONFLICT(kind) DO UPDATE SET version = excluded.version, content = excluded.content",
            (kind, version, json.dumps(content, ensure_ascii=False)),
        )
        _record(conn, kind, version)


def _apply_catalogue(store: Store, data_dir: Path, version: int, content: dict[str, Any]) -> None:
    items = content.get("items")
    if not isinstance(items, dict) or not items:
        raise UpdateRefusedError("catalogue without items")
    root = data_dir / "catalogue"
    staging = root / f".v{version}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for name, text in items.items():
            if not isinstance(name, str) or not ITEM_FILE.match(name) or not isinstance(text, str):
                raise UpdateRefusedError(f"catalogue: bad item file name {name!r}")
            (staging / name).write_text(text, encoding="utf-8")
        try:
            load_catalogue(staging)
        except (ItemFileError, ValueError, KeyError, TypeError) as exc:
            raise UpdateRefusedError(f"catalogue does not load: {exc}") from None
        final = root / f"v{version}"
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pointer = root / "current.tmp"
    pointer.write_text(final.name, encoding="utf-8")
    with store.durable() as conn:
        _record(conn, "catalogue", version)
        os.replace(pointer, root / "current")  # the switch, inside the transaction that records it


def centre_key_path(data_dir: Path) -> Path:
    """Where the terminal keeps the centre's public key (written at enrolment)."""
    return data_dir / "trust" / "central.pem"


def fetch_updates(client: Any, store: Store, data_dir: Path, centre_key: Ed25519PublicKey) -> dict[str, str]:
    """Ask the centre for each kind of update and apply what is new; kind → what happened.

    Outcomes: current (304), applied vN, none (nothing published), refused: why, failed: why.
    A refused update is logged for staff and leaves what is in force untouched.
    """
    import httpx

    from sync.updates import KINDS

    outcomes: dict[str, str] = {}
    for kind in KINDS:
        etag = f'"{kind}-{version_in_force(store, kind)}"'
        try:
            response = client.request("GET", f"/v1/updates/{kind}", extra_headers={"If-None-Match": etag})
        except httpx.HTTPError as exc:
            outcomes[kind] = f"failed: {type(exc).__name__}"
            break
        if response.status_code == 304:
            outcomes[kind] = "current"
            continue
        if response.status_code == 404:
            outcomes[kind] = "none"
            continue
        try:
            document = response.json() if response.status_code == 200 else None
        except ValueError:
            document = None
        if document is None:
            outcomes[kind] = f"failed: HTTP {response.status_code}"
            continue
        try:
            outcomes[kind] = f"applied v{apply_update(store, data_dir, document, centre_key)}"
        except UpdateRefusedError as exc:
            log.error("update refused", extra={"kind": kind, "reason": str(exc)})
            outcomes[kind] = f"refused: {exc}"
    return outcomes
