"""What every route group shares: the centre it serves, the dependency naming the terminal the
request guard authenticated, the refusals any route may give, and the case-body check."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from sync.server.attachments import AttachmentFiles
from sync.server.case_schema import BodyShapeError, check_body
from sync.server.db import CentralStore
from sync.server.guard import TERMINAL_KEY
from sync.server.json_route import OffLoopJSONRoute
from sync.server.printable import printable
from sync.server.registers import Registers

log = logging.getLogger(__name__)
SIGNED = (401, 408, 413, 422)  # what any signed route may answer besides its own refusals
OPEN = (408, 413, 422)


@dataclass(frozen=True)
class Centre:
    """What the routes work on: the store, the attachment files, the registers live queries read,
    and the update key's public half handed to terminals at enrolment."""

    store: CentralStore
    attachments: AttachmentFiles
    registers: Registers
    update_public_key: str | None = None


async def terminal(request: Request) -> str:
    """The terminal the request guard authenticated."""
    terminal_id = request.scope.get(TERMINAL_KEY)
    if not terminal_id:
        raise HTTPException(401, {"error": "missing_headers", "message": "request not authenticated"})
    return str(terminal_id)


AUTHENTICATED = Depends(terminal)


def new_router() -> APIRouter:
    """A router whose JSON bodies are parsed off the event loop (sync/server/json_route.py)."""
    return APIRouter(route_class=OffLoopJSONRoute)


def check_shape(kind: str, body: dict[str, Any], where: str, terminal_id: str) -> None:
    """422 naming the field when a body is not the shape of its kind."""
    try:
        check_body(kind, body, where)
    except BodyShapeError as exc:
        reason = printable(exc, 300)
        log.warning("upload refused: invalid body, terminal %s: %s", printable(terminal_id), reason)
        raise HTTPException(422, {"error": "invalid", "message": str(exc)[:500]}) from None
