"""One-time enrolment codes at the centre: one use, expiry, binding to a terminal, on both databases;
and over HTTP, the terminal's secret works once it is enrolled."""

from __future__ import annotations

import httpx
import pytest

from sync.enrolment_client import EnrolmentError, redeem
from sync.server.db import CentralStore
from sync.server.enrolment import issue_code, normalise_code, redeem_code
from tests.central import CentralServer


@pytest.fixture
def centre(tmp_path, central_database) -> CentralStore:
    store = CentralStore(central_database or tmp_path / "central.db")
    yield store
    store.close()


def document_key() -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync.keys import public_key_pem

    return public_key_pem(Ed25519PrivateKey.generate())


def test_a_code_enrols_once_and_then_is_refused_as_used(centre: CentralStore) -> None:
    code = issue_code(centre, "370302")
    first = redeem_code(centre, code, "ZC-370302-0007", document_key())
    assert first.division_code == "370302" and len(first.secret) == 32
    assert centre.secrets()["ZC-370302-0007"] == first.secret
    with pytest.raises(EnrolmentError) as refused:
        redeem_code(centre, code, "ZC-370302-0007")
    assert refused.value.reason == "code_used"
    assert centre.secrets()["ZC-370302-0007"] == first.secret  # the refused try changed nothing


def test_codes_are_typed_forgivingly_but_unknown_expired_and_foreign_ones_are_refused(centre: CentralStore) -> None:
    code = issue_code(centre, "370302")
    typed = code.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert normalise_code(typed) == normalise_code(code)
    assert redeem_code(centre, typed, "ZC-370302-0008").terminal_id == "ZC-370302-0008"
    with pytest.raises(EnrolmentError) as unknown:
        redeem_code(centre, "AAAA-BBBB-CCCC-DDDD", "ZC-370302-0008")
    assert unknown.value.reason == "unknown_code"
    expired = issue_code(centre, "370302", valid_seconds=-1)
    with pytest.raises(EnrolmentError) as late:
        redeem_code(centre, expired, "ZC-370302-0009")
    assert late.value.reason == "code_expired"
    bound = issue_code(centre, "370302", terminal_id="ZC-370302-0010")
    with pytest.raises(EnrolmentError) as other:
        redeem_code(centre, bound, "ZC-370302-0011")
    assert other.value.reason == "other_terminal"
    assert redeem_code(centre, bound, "ZC-370302-0010").terminal_id == "ZC-370302-0010"
    assert "ZC-370302-0009" not in centre.secrets() and "ZC-370302-0011" not in centre.secrets()


def test_over_http_the_code_gives_a_secret_that_signs_and_the_update_key(tmp_path) -> None:
    from sync.client import CentralClient

    server = CentralServer(tmp_path / "central")
    server.db.parent.mkdir(parents=True)
    server.start()
    try:
        code = server.enrolment_code("370302")
        answer = redeem(server.url, code, "ZC-370302-0007", None)
        assert answer.update_public_key and "BEGIN PUBLIC KEY" in answer.update_public_key
        client = CentralClient(server.url, "ZC-370302-0007", answer.secret)
        try:
            assert client.request("GET", "/v1/decisions?after=0").status_code == 200
        finally:
            client.close()
        with pytest.raises(EnrolmentError) as again:
            redeem(server.url, code, "ZC-370302-0007", None)
        assert again.value.reason == "code_used"
        nonsense = httpx.post(f"{server.url}/v1/enrolments", json={"code": "x'; DROP TABLE terminals;--"})
        assert nonsense.status_code == 422
    finally:
        server.stop()
