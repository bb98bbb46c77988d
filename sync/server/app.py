"""The reference central platform's HTTP API (FastAPI; the OpenAPI description is generated
from it and kept in sync/openapi.json).

Every /v1 endpoint except /v1/health and /v1/enrolments needs a signed request: the request
guard (sync/server/guard.py) checks it before a route runs, caps every body and lets slow
clients go. Uploads are idempotent on the client's UUID: a replay is answered with the original
acknowledgement. Every refusal has one shape (sync/server/problems.py). JSON bodies are parsed
and checked off the event loop (sync/server/json_route.py; routes are plain functions, which
FastAPI runs in its thread pool).
"""

from __future__ import annotations

from fastapi import FastAPI

from sync.server import problems
from sync.server.attachments import AttachmentFiles
from sync.server.authentication import Authenticator
from sync.server.db import CentralStore
from sync.server.guard import RequestGuard
from sync.server.json_route import OffLoopJSONRoute
from sync.server.registers import Registers
from sync.server.routes import attachments as attachment_routes
from sync.server.routes import cases, decisions, fleet, licences, terminals, updates
from sync.server.routes import registers as register_routes
from sync.server.routes.common import Centre


def create_app(
    store: CentralStore,
    attachments: AttachmentFiles,
    registers: Registers | None = None,
    update_public_key: str | None = None,
) -> FastAPI:
    """The API over one store, one attachment folder and the registers live queries read; the
    update key's public half is handed to terminals at enrolment."""
    attachments.sweep()
    app = FastAPI(
        title="Township kiosk central platform",
        version="1.0.0",
        description="Case upload, licence-number blocks and updates for self-service terminals.",
    )
    app.router.route_class = OffLoopJSONRoute
    app.add_middleware(RequestGuard, authenticator=Authenticator(store))
    problems.install(app)
    centre = Centre(store, attachments, registers or Registers(), update_public_key)
    for group in (terminals, cases, licences, attachment_routes, register_routes, decisions, updates, fleet):
        app.include_router(group.router(centre))
    return app
