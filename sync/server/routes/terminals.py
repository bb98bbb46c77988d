"""Health and enrolment: the two routes a terminal reaches without a signature."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request

from sync.enrolment_client import EnrolmentError
from sync.protocol import (
    EnrolmentAnswer,
    EnrolmentRequest,
    Health,
)
from sync.server import enrolment, problems
from sync.server.printable import printable
from sync.server.routes.common import OPEN, Centre, new_router

log = logging.getLogger(__name__)


def router(centre: Centre) -> APIRouter:
    """The routes of this resource over `centre`."""
    store = centre.store
    update_public_key = centre.update_public_key
    router = new_router()

    @router.get("/v1/health", response_model=Health, responses=problems.responses(*OPEN))
    async def health() -> Health:
        """Unauthenticated: tells a terminal's probe that the platform (not a portal) answers."""
        return Health()

    @router.post(
        "/v1/enrolments",
        response_model=EnrolmentAnswer,
        status_code=201,
        responses=problems.responses(403, *OPEN, 429),
    )
    def enrol(request: EnrolmentRequest, http: Request) -> Any:
        """Unsigned (the terminal has no secret yet): the one-time code is the credential; tries
        are throttled per source address."""
        source = http.client.host if http.client else "-"
        try:
            done = enrolment.redeem_code(
                store, request.code, request.terminal_id, request.document_public_key
            )
        except EnrolmentError as exc:
            terminal_id = printable(request.terminal_id)
            log.warning("enrolment refused: %s, terminal %s, from %s", exc.reason, terminal_id, source)
            raise HTTPException(403, {"error": exc.reason, "message": str(exc)}) from None
        log.info(
            "terminal enrolled: %s in division %s, from %s",
            printable(done.terminal_id),
            done.division_code,
            source,
        )
        return EnrolmentAnswer(
            terminal_id=done.terminal_id,
            division_code=done.division_code,
            secret=done.secret.hex(),
            update_public_key=update_public_key,
        )

    return router
