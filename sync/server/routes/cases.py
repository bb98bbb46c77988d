"""Case entries from a terminal's outbox, one at a time or in batches; idempotent on the entry's UUID."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse

from sync.protocol import (
    Ack,
    BatchAck,
    BatchResult,
    CaseAck,
    CaseBatch,
    CaseUpload,
)
from sync.server import problems
from sync.server.db import ConflictError, Upload
from sync.server.printable import printable
from sync.server.routes.common import AUTHENTICATED as authenticated
from sync.server.routes.common import SIGNED, Centre, check_shape, new_router

log = logging.getLogger(__name__)


def router(centre: Centre) -> APIRouter:
    """The routes of this resource over `centre`."""
    store = centre.store
    router = new_router()

    @router.post(
        "/v1/cases",
        response_model=CaseAck,
        status_code=201,
        responses={200: {"model": CaseAck, "description": "a replay"}, **problems.responses(*SIGNED, 409)},
    )
    def upload_case(upload: CaseUpload, terminal_id: str = authenticated) -> Any:
        """Store one case entry once; a replay gets the original acknowledgement with 200."""
        check_shape(upload.kind, upload.body, "body.body", terminal_id)
        try:
            ack, created = store.receive_case(
                terminal_id, upload.entry_uuid, upload.case_id, upload.kind, upload.seq, upload.body
            )
        except ConflictError as exc:
            log.warning("upload refused: %s, terminal %s", exc.what, printable(terminal_id))
            raise HTTPException(409, {"error": "conflict", "message": exc.message}) from None
        return JSONResponse({"ack": ack.as_json()}, status_code=201 if created else 200)

    @router.post("/v1/case-batches", response_model=BatchAck, responses=problems.responses(*SIGNED))
    def upload_cases(batch: CaseBatch, terminal_id: str = authenticated) -> BatchAck:
        """Store up to MAX_BATCH entries in one transaction; each result is what /v1/cases would say."""
        for index, entry in enumerate(batch.entries):
            check_shape(entry.kind, entry.body, f"body.entries.{index}.body", terminal_id)
        uploads = [Upload(e.entry_uuid, e.case_id, e.kind, e.seq, e.body) for e in batch.entries]
        outcomes = store.receive_cases(terminal_id, uploads)
        results = []
        for upload, outcome in zip(uploads, outcomes, strict=True):
            if isinstance(outcome, ConflictError):
                refused = BatchResult(entry_uuid=upload.entry_uuid, error="conflict", message=outcome.message)
                results.append(refused)
            else:
                results.append(BatchResult(entry_uuid=upload.entry_uuid, ack=Ack(**outcome[0].as_json())))
        return BatchAck(results=results)

    return router
