"""Schemathesis generates requests from the server's own OpenAPI description; signed like a
terminal's, none may get a 500."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.core import NotSet

from sync import auth
from sync.server.app import create_app
from sync.server.attachments import AttachmentFiles
from sync.server.db import CentralStore

_folder = tempfile.TemporaryDirectory(prefix="kiosk-central-fuzz-")
STORE = CentralStore(Path(_folder.name) / "central.db")
SECRET = STORE.enrol("T-FUZZ-0001", "370302")
APP = create_app(STORE, AttachmentFiles(Path(_folder.name) / "attachments"))
CLIENT = TestClient(APP, raise_server_exceptions=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case) -> None:  # noqa: ANN001 (schemathesis' Case)
    path = case.formatted_path
    query = {k: v for k, v in (case.query or {}).items() if v is not None}
    if query:
        path += "?" + urlencode(query, doseq=True)
    has_body = case.body is not None and not isinstance(case.body, NotSet)
    if isinstance(case.body, bytes):
        body = case.body
    else:
        body = json.dumps(case.body, ensure_ascii=False).encode() if has_body else b""
    headers = auth.signed_headers("T-FUZZ-0001", SECRET, case.method, path, body)
    headers["Content-Type"] = (
        "application/octet-stream" if isinstance(case.body, bytes) else "application/json"
    )
    response = CLIENT.request(case.method, path, content=body, headers=headers)
    assert response.status_code < 500, (
        f"{case.method} {path} -> {response.status_code}: {response.text[:300]}"
    )
