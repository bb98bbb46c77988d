"""Signed updates (catalogue, registries, rules) a terminal fetches, with ETags."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from sync.protocol import (
    UpdateDocument,
)
from sync.server import problems
from sync.server.db import latest_update
from sync.server.routes.common import AUTHENTICATED as authenticated
from sync.server.routes.common import SIGNED, Centre, new_router
from sync.updates import KINDS

log = logging.getLogger(__name__)


def router(centre: Centre) -> APIRouter:
    """The routes of this resource over `centre`."""
    store = centre.store
    router = new_router()

    @router.get(
        "/v1/updates/{kind}",
        response_model=UpdateDocument,
        responses={
            304: {"description": "the terminal has this version"},
            **problems.responses(*SIGNED, 404),
        },
    )
    def update(kind: str, request: Request, terminal_id: str = authenticated) -> Any:
        """The newest signed update of a kind; ETag is its version, If-None-Match gives 304."""
        if kind not in KINDS:
            raise HTTPException(404, {"error": "unknown_kind", "message": f"kinds: {', '.join(KINDS)}"})
        document = latest_update(store, kind)
        if document is None:
            raise HTTPException(404, {"error": "none_published", "message": f"no {kind} update published"})
        etag = f'"{kind}-{document["version"]}"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return JSONResponse(document, headers={"ETag": etag})

    return router
