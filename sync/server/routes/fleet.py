"""Heartbeats: what each terminal says about itself at every sync round (sync/server/fleet.py
keeps them and tells which terminals need a person)."""

from __future__ import annotations

import logging

from fastapi import APIRouter

from sync.protocol import Heartbeat, HeartbeatAck
from sync.server import problems
from sync.server.fleet import record_heartbeat
from sync.server.printable import printable
from sync.server.routes.common import AUTHENTICATED as authenticated
from sync.server.routes.common import SIGNED, Centre, new_router

log = logging.getLogger(__name__)


def router(centre: Centre) -> APIRouter:
    """The routes of this resource over `centre`."""
    store = centre.store
    router = new_router()

    @router.post("/v1/heartbeats", response_model=HeartbeatAck, responses=problems.responses(*SIGNED))
    def heartbeat(beat: Heartbeat, terminal_id: str = authenticated) -> HeartbeatAck:
        """The terminal's version, devices, paper, outbox, disk, errors and help calls now; the
        latest is kept per terminal with a bounded history."""
        received_at = record_heartbeat(store, terminal_id, beat.model_dump())
        if not beat.in_service or any(not d.ok for d in beat.devices):
            log.info("heartbeat from %s reports a fault", printable(terminal_id))
        return HeartbeatAck(received_at=received_at)

    return router
