"""Signed updates from the centre: catalogue, name registry, dishonesty list, name rules and
the national division table.

An update is a JSON document {kind, version, content, signature}; the signature is Ed25519 by
the centre's key over the canonical JSON of kind, version and content. The terminal applies an
update only when the signature verifies with the centre's public key in its trust folder and
the version is newer than the one in force; anything else is refused and nothing changes.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KINDS = ("catalogue", "name_registry", "dishonesty_list", "name_rules", "division_table")
# Kinds whose content is one reference document, replaced whole (checked by the terminal's parser).
DOCUMENT_KINDS = ("name_rules", "division_table")


def _signed_part(kind: str, version: int, content: Any) -> bytes:
    body = {"kind": kind, "version": version, "content": content}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign_update(kind: str, version: int, content: Any, key: Ed25519PrivateKey) -> dict[str, Any]:
    """The update document, signed."""
    signature = base64.b64encode(key.sign(_signed_part(kind, version, content))).decode()
    return {"kind": kind, "version": version, "content": content, "signature": signature}


def verify_update(document: Any, key: Ed25519PublicKey) -> str:
    """'' when `document` is an authentic update; otherwise why not (malformed, unsigned, bad_signature)."""
    if not isinstance(document, dict) or document.get("kind") not in KINDS:
        return "malformed"
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return "malformed"
    signature = document.get("signature")
    if not isinstance(signature, str) or not signature:
        return "unsigned"
    try:
        key.verify(
            base64.b64decode(signature, validate=True),
            _signed_part(document["kind"], version, document.get("content")),
        )
    except (InvalidSignature, ValueError):
        return "bad_signature"
    return ""
