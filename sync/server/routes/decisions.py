"""Back-office decisions on a terminal's cases, after the last one it applied."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Query

from sync.protocol import (
    Decisions,
    OfficeDecision,
)
from sync.server import problems
from sync.server.db import decisions_after
from sync.server.routes.common import AUTHENTICATED as authenticated
from sync.server.routes.common import SIGNED, Centre, new_router

log = logging.getLogger(__name__)


def router(centre: Centre) -> APIRouter:
    """The routes of this resource over `centre`."""
    store = centre.store
    router = new_router()

    @router.get("/v1/decisions", response_model=Decisions, responses=problems.responses(*SIGNED))
    def decisions(terminal_id: str = authenticated, after: int = Query(0, ge=0, le=2**53)) -> Decisions:
        """Back-office decisions on this terminal's cases after sequence number `after`."""
        found = decisions_after(store, terminal_id, after)
        return Decisions(
            decisions=[OfficeDecision(**d) for d in found], last_seq=found[-1]["seq"] if found else after
        )

    return router
