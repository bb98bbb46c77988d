"""Signed payloads for the QR code on every issued document, checkable offline.

The payload is compact JSON: document type, number, a hash of the key fields, issue time,
terminal id, and an Ed25519 signature over the rest by the issuing terminal's key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def fields_hash(fields: Mapping[str, str]) -> str:
    """A short hash of a document's key fields, so a copy with a changed field fails."""
    canonical = json.dumps(dict(fields), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_payload(
    doc_type: str,
    number: str,
    fields: Mapping[str, str],
    issued_at: str,
    terminal_id: str,
    key: Ed25519PrivateKey,
) -> str:
    """Build the signed QR payload for one document."""
    body = {"t": doc_type, "n": number, "h": fields_hash(fields), "at": issued_at, "k": terminal_id}
    return sign_body(body, key)


def sign_body(body: Mapping[str, str], key: Ed25519PrivateKey) -> str:
    """Compact JSON of `body` plus "s", an Ed25519 signature over the rest (what verify_payload checks)."""
    signed = dict(body)
    message = json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()
    signed["s"] = _b64(key.sign(message))
    return json.dumps(signed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def verify_payload(payload: str, public_key: Ed25519PublicKey) -> dict[str, str] | None:
    """The payload's fields when its signature verifies, otherwise None."""
    try:
        body: dict[str, str] = json.loads(payload)
        signature = base64.urlsafe_b64decode(body.pop("s") + "==")
        message = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        public_key.verify(signature, message)
    except (ValueError, KeyError, TypeError, AttributeError, InvalidSignature):
        return None
    return body
