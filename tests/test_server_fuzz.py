"""Schemathesis generates requests from the server's own OpenAPI description; signed like a
terminal's, none may get a 500, and every answer (refusals included) must be one the description
lists, in the shape it gives."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sync import auth
from sync.server.app import create_app
from sync.server.attachments import AttachmentFiles
from sync.server.db import CentralStore
from sync.server.main import openapi

schema = schemathesis.openapi.from_dict(openapi())
TERMINAL = "T-FUZZ-0001"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """The API in-process over a store on each database, with one enrolled terminal."""
    folder = tmp_path_factory.mktemp("central-fuzz")
    cluster = request.getfixturevalue("postgres_cluster") if request.param == "postgresql" else None
    target = cluster.create_database() if cluster else folder / "central.db"
    store = CentralStore(target)
    secret = store.enrol(TERMINAL, "370302")
    client = TestClient(create_app(store, AttachmentFiles(folder / "attachments")), raise_server_exceptions=False)
    yield client, secret
    store.close()
    if cluster:
        cluster.drop_database(str(target))


def signed_post(api: tuple, path: str, body: bytes) -> Any:
    client, secret = api
    headers = auth.signed_headers(TERMINAL, secret, "POST", path, body)
    headers["Content-Type"] = "application/json"
    return client.request("POST", path, content=body, headers=headers)


def upload_text(kind: str, body_json: str) -> bytes:
    entry = str(uuid.uuid4())
    return (
        f'{{"entry_uuid":"{entry}","case_id":"{entry}","kind":{json.dumps(kind)},"seq":1,"body":{body_json}}}'
    ).encode()


def test_a_lone_surrogate_in_a_case_body_is_refused_with_a_reason(api: tuple) -> None:
    answer = signed_post(api, "/v1/cases", upload_text("case", '{"name":"\\ud800"}'))
    assert answer.status_code == 422 and "surrogate" in answer.json()["message"]
    assert signed_post(api, "/v1/case-batches", b'{"entries":[' + upload_text("case", '{"a":"\\udfff"}') + b"]}").status_code == 422


def test_a_nul_or_an_unknown_shape_in_the_kind_is_refused_with_a_reason(api: tuple) -> None:
    for kind in ("ca\u0000se", "Case", "", "x" * 41):
        answer = signed_post(api, "/v1/cases", upload_text(kind, "{}"))
        assert answer.status_code == 422 and answer.json()["message"].startswith("body.kind")


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case, api: tuple) -> None:  # noqa: ANN001 (schemathesis' Case)
    client, secret = api
    path = case.formatted_path
    query = {k: v for k, v in (case.query or {}).items() if v is not None}
    if query:
        path += "?" + urlencode(query, doseq=True)
    has_body = case.body is not None and not isinstance(case.body, NotSet)
    if isinstance(case.body, bytes):
        body = case.body
    else:
        body = json.dumps(case.body, ensure_ascii=False).encode() if has_body else b""
    headers = auth.signed_headers(TERMINAL, secret, case.method, path, body)
    headers["Content-Type"] = (
        "application/octet-stream" if isinstance(case.body, bytes) else "application/json"
    )
    response = client.request(case.method, path, content=body, headers=headers)
    assert response.status_code < 500, (
        f"{case.method} {path} -> {response.status_code}: {response.text[:300]}"
    )
    case.validate_response(response, checks=CHECKS)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
