"""Attachments (captured pages, signatures) uploaded in chunks, resumable, checked by digest."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from sync.protocol import (
    AttachmentStatus,
    OffsetProblem,
)
from sync.server import problems
from sync.server.attachments import (
    MAX_LENGTH,
    AttachmentRejectedError,
    OffsetMismatchError,
    QuotaError,
)
from sync.server.printable import printable
from sync.server.routes.common import AUTHENTICATED as authenticated
from sync.server.routes.common import SIGNED, Centre, new_router

log = logging.getLogger(__name__)


def router(centre: Centre) -> APIRouter:
    """The routes of this resource over `centre`."""
    attachments = centre.attachments
    router = new_router()
    digest_path = Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the content, lower-case hex")

    @router.get(
        "/v1/attachments/{sha256}",
        response_model=AttachmentStatus,
        responses=problems.responses(*SIGNED, 404),
    )
    def attachment_status(sha256: str = digest_path, terminal_id: str = authenticated) -> Any:
        """How much of the attachment the centre holds for this terminal (resume from `received`)."""
        status = attachments.status(sha256, terminal_id)
        if status is None:
            raise HTTPException(404, {"error": "unknown", "message": "nothing of this attachment yet"})
        return status.as_json()

    @router.put(
        "/v1/attachments/{sha256}",
        response_model=AttachmentStatus,
        responses=problems.responses(*SIGNED, 409, 429, c409=OffsetProblem),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def attachment_chunk(
        request: Request,
        sha256: str = digest_path,
        offset: int = Query(ge=0, le=MAX_LENGTH),
        length: int = Query(ge=1, le=MAX_LENGTH),
        terminal_id: str = authenticated,
    ) -> Any:
        """Append a chunk (the body, read by the guard already) at `offset` of this terminal's
        upload of a file of `length` bytes; complete when the content matches its SHA-256. A
        file already held answers complete at once."""
        chunk = await request.body()
        try:
            status = await run_in_threadpool(attachments.receive, sha256, offset, length, chunk, terminal_id)
        except OffsetMismatchError as exc:
            return JSONResponse(
                {"error": "offset_mismatch", "message": str(exc), "received": exc.received}, status_code=409
            )
        except AttachmentRejectedError as exc:
            raise HTTPException(422, {"error": "rejected", "message": str(exc)}) from None
        except QuotaError as exc:
            log.warning("attachment refused: quota, terminal %s", printable(terminal_id))
            raise HTTPException(
                429, {"error": "quota", "message": str(exc)}, headers={"Retry-After": "3600"}
            ) from None
        log.info("attachment chunk: %s at %d from %s", sha256[:12], offset, printable(terminal_id))
        return status.as_json()

    return router
