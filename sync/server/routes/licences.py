"""Blocks of licence serials, within each terminal's quota and rate and its division's space."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException

from sync.protocol import (
    BlockRequest,
    LicenceBlock,
)
from sync.server import problems
from sync.server.db import ConflictError
from sync.server.licences import LicenceRefusedError
from sync.server.printable import printable
from sync.server.routes.common import AUTHENTICATED as authenticated
from sync.server.routes.common import SIGNED, Centre, new_router

log = logging.getLogger(__name__)


def router(centre: Centre) -> APIRouter:
    """The routes of this resource over `centre`."""
    store = centre.store
    router = new_router()

    @router.post(
        "/v1/licence-blocks",
        response_model=LicenceBlock,
        responses=problems.responses(*SIGNED, 409, 429),
    )
    def licence_block(request: BlockRequest, terminal_id: str = authenticated) -> Any:
        """Allocate (or, for a replayed request, return again) a block of licence serials, within
        the terminal's quota and rate (429) and the division's serials (409 when none are left)."""
        try:
            return store.allocate_block(terminal_id, request.request_uuid, request.size)
        except ConflictError:
            raise HTTPException(
                409, {"error": "conflict", "message": "request UUID used by another terminal"}
            ) from None
        except LicenceRefusedError as exc:
            log.warning("licence block refused: %s, terminal %s: %s", exc.reason, printable(terminal_id), exc)
            status = 409 if exc.retry_after is None else 429
            headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
            raise HTTPException(status, {"error": exc.reason, "message": str(exc)}, headers=headers) from None

    return router
