"""Sending attachments to the centre: ask what it holds, then send the rest in chunks. An
upload cut off (link down, kiosk restarted) resumes from the centre's copy, not from zero; a
file the centre already holds (content-addressed) is not sent again."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

from sync.client import CentralClient

log = logging.getLogger(__name__)
CHUNK = 256 * 1024


@dataclass
class UploadResult:
    """How one upload ended: complete, or why not; bytes actually sent this time."""

    complete: bool
    sent_bytes: int = 0
    error: str = ""


def _status(response: httpx.Response) -> dict | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) and "received" in body else None


def upload(client: CentralClient, digest: str, data: bytes, chunk_size: int = CHUNK) -> UploadResult:
    """Send `data` (named `digest`) to the centre, resuming where its copy ends."""
    path = f"/v1/attachments/{digest}"
    sent = 0
    try:
        response = client.request("GET", path)
        status = _status(response) if response.status_code == 200 else None
        if response.status_code not in (200, 404):
            return UploadResult(False, 0, f"status: HTTP {response.status_code}")
        offset = int(status["received"]) if status else 0
        if status and status.get("complete"):
            return UploadResult(True, 0)
        for _ in range(len(data) // max(1, chunk_size) + 3):  # a bound, not a hope
            chunk = data[offset : offset + chunk_size]
            response = client.request("PUT", f"{path}?offset={offset}&length={len(data)}", content=chunk)
            status = _status(response)
            if response.status_code == 409 and status:  # the centre's copy ends elsewhere
                offset = int(status["received"])
                continue
            if response.status_code != 200 or status is None:
                return UploadResult(False, sent, f"HTTP {response.status_code}: {response.text[:160]}")
            sent += len(chunk)
            if status.get("complete"):
                return UploadResult(True, sent)
            offset = int(status["received"])
        return UploadResult(False, sent, "the centre's copy did not grow")
    except httpx.HTTPError as exc:
        return UploadResult(False, sent, f"{type(exc).__name__}: {exc}")
