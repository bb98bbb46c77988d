"""Attachments (photos, signatures, captured pages) reach the centre whole and once: named by
their SHA-256, resumed after a cut, refused when the content does not match its name."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kiosk.core import attachments
from kiosk.core.store import Store
from sync.attachments import upload
from sync.client import CentralClient
from tests.central import CentralServer
from tests.netfault import FaultProxy
from tests.test_sync import TERMINAL, decide

CHUNK = 64 * 1024


def photo(size: int = 5 * CHUNK + 1234) -> bytes:
    return os.urandom(size)


def held(central: CentralServer, digest: str) -> Path:
    return central.db.parent / "attachments" / digest[:2] / digest


def keep(store: Store, case_id: str, data: bytes) -> str:
    with store.durable() as conn:
        return attachments.add(conn, store, case_id, "face_photo", data)


def test_a_case_photo_is_kept_encrypted_and_reaches_the_centre_whole_and_once(
    central: CentralServer, store: Store
) -> None:
    [case_id] = decide(store, 1)
    data = photo()
    digest = keep(store, case_id, data)
    assert keep(store, case_id, data) == digest  # the same content is kept once
    sealed = store.conn.execute("SELECT sealed FROM attachments").fetchone()[0]
    assert data[:64] not in sealed  # encrypted at rest
    client = CentralClient(central.url, TERMINAL, central.secret)
    assert attachments.send_waiting(client, store) == "sent 1"
    assert held(central, digest).read_bytes() == data
    assert attachments.waiting(store) == []
    again = upload(client, digest, data)
    assert again.complete and again.sent_bytes == 0  # the centre holds it: nothing sent again


def test_an_upload_cut_off_resumes_where_the_centres_copy_ends(central: CentralServer, store: Store) -> None:
    data = photo()
    digest = hashlib.sha256(data).hexdigest()
    proxy = FaultProxy(central.url, ["pass", "pass", "drop_after_commit"])
    try:
        client = CentralClient(proxy.url, TERMINAL, central.secret, timeout=2)
        first = upload(client, digest, data, chunk_size=CHUNK)
        assert not first.complete and first.sent_bytes == 2 * CHUNK  # the third chunk's answer was lost
        second = upload(client, digest, data, chunk_size=CHUNK)
    finally:
        proxy.stop()
    assert second.complete
    assert second.sent_bytes == len(data) - 3 * CHUNK  # resumed after the three chunks the centre held
    assert held(central, digest).read_bytes() == data


def test_content_that_does_not_match_its_name_is_refused_and_not_kept(central: CentralServer) -> None:
    data = photo(CHUNK)
    wrong = hashlib.sha256(b"something else").hexdigest()
    client = CentralClient(central.url, TERMINAL, central.secret)
    result = upload(client, wrong, data)
    assert not result.complete and "HTTP 422" in result.error
    assert not held(central, wrong).exists()
    assert client.request("GET", f"/v1/attachments/{wrong}").status_code == 404


def test_a_chunk_out_of_place_is_told_where_to_resume(central: CentralServer) -> None:
    data = photo(3 * CHUNK)
    digest = hashlib.sha256(data).hexdigest()
    client = CentralClient(central.url, TERMINAL, central.secret)
    path = f"/v1/attachments/{digest}?offset=0&length={len(data)}"
    assert client.request("PUT", path, content=data[:CHUNK]).json()["received"] == CHUNK
    skipped = client.request(
        "PUT", f"/v1/attachments/{digest}?offset={2 * CHUNK}&length={len(data)}", content=data[2 * CHUNK :]
    )
    assert skipped.status_code == 409 and skipped.json()["received"] == CHUNK
    assert upload(client, digest, data).complete
    assert held(central, digest).read_bytes() == data
