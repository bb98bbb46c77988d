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

import logging
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from sync.enrolment_client import EnrolmentError
from sync.server import enrolment, problems
from sync.server.attachments import (
    MAX_LENGTH,
    AttachmentFiles,
    AttachmentRejectedError,
    OffsetMismatchError,
    QuotaError,
)
from sync.server.authentication import Authenticator
from sync.server.case_schema import BodyShapeError, check_body
from sync.server.db import CentralStore, ConflictError, Upload, decisions_after, latest_update
from sync.server.guard import TERMINAL_KEY, RequestGuard
from sync.server.json_route import OffLoopJSONRoute
from sync.server.licences import LicenceRefusedError
from sync.server.models import (
    Ack,
    AttachmentStatus,
    BatchAck,
    BatchResult,
    BlockRequest,
    CaseAck,
    CaseBatch,
    CaseUpload,
    Decisions,
    EnrolmentAnswer,
    EnrolmentRequest,
    Health,
    InsuranceAnswer,
    InsuranceQuery,
    LicenceBlock,
    OfficeDecision,
    OffsetProblem,
    PersonQuery,
    PopulationAnswer,
    ReferencePhotoAnswer,
    UpdateDocument,
)
from sync.server.printable import printable
from sync.server.registers import Registers
from sync.updates import KINDS

log = logging.getLogger(__name__)
SIGNED = (401, 408, 413, 422)  # what any signed route may answer besides its own refusals
OPEN = (408, 413, 422)


def create_app(
    store: CentralStore,
    attachments: AttachmentFiles,
    registers: Registers | None = None,
    update_public_key: str | None = None,
) -> FastAPI:
    """The API over one store, one attachment folder and the registers live queries read; the
    update key's public half is handed to terminals at enrolment."""
    registers = registers or Registers()
    enrolment.ensure_schema(store)
    attachments.sweep()
    app = FastAPI(
        title="Township kiosk central platform",
        version="1.0.0",
        description="Case upload, licence-number blocks and updates for self-service terminals.",
    )
    app.router.route_class = OffLoopJSONRoute
    app.add_middleware(RequestGuard, authenticator=Authenticator(store))
    problems.install(app)

    async def terminal(request: Request) -> str:
        """The terminal the request guard authenticated."""
        terminal_id = request.scope.get(TERMINAL_KEY)
        if not terminal_id:
            raise HTTPException(401, {"error": "missing_headers", "message": "request not authenticated"})
        return terminal_id

    authenticated = Depends(terminal)

    @app.get("/v1/health", response_model=Health, responses=problems.responses(*OPEN))
    async def health() -> Health:
        """Unauthenticated: tells a terminal's probe that the platform (not a portal) answers."""
        return Health()

    @app.post(
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
            printable(done.terminal_id), done.division_code, source,
        )
        return EnrolmentAnswer(
            terminal_id=done.terminal_id,
            division_code=done.division_code,
            secret=done.secret.hex(),
            update_public_key=update_public_key,
        )

    @app.post(
        "/v1/cases",
        response_model=CaseAck,
        status_code=201,
        responses={200: {"model": CaseAck, "description": "a replay"}, **problems.responses(*SIGNED, 409)},
    )
    def upload_case(upload: CaseUpload, terminal_id: str = authenticated) -> Any:
        """Store one case entry once; a replay gets the original acknowledgement with 200."""
        _check_shape(upload.kind, upload.body, "body.body", terminal_id)
        try:
            ack, created = store.receive_case(
                terminal_id, upload.entry_uuid, upload.case_id, upload.kind, upload.seq, upload.body
            )
        except ConflictError as exc:
            log.warning("upload refused: %s, terminal %s", exc.what, printable(terminal_id))
            raise HTTPException(409, {"error": "conflict", "message": exc.message}) from None
        return JSONResponse({"ack": ack.as_json()}, status_code=201 if created else 200)

    @app.post("/v1/case-batches", response_model=BatchAck, responses=problems.responses(*SIGNED))
    def upload_cases(batch: CaseBatch, terminal_id: str = authenticated) -> BatchAck:
        """Store up to MAX_BATCH entries in one transaction; each result is what /v1/cases would say."""
        for index, entry in enumerate(batch.entries):
            _check_shape(entry.kind, entry.body, f"body.entries.{index}.body", terminal_id)
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

    @app.post(
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

    digest_path = Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the content, lower-case hex")

    @app.get(
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

    @app.put(
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

    @app.post(
        "/v1/queries/insurance-record", response_model=InsuranceAnswer, responses=problems.responses(*SIGNED)
    )
    def insurance_record(query: InsuranceQuery, terminal_id: str = authenticated) -> Any:
        """Live query of a 参保证明: the person's contribution months for the period."""
        log.info("insurance query from %s", printable(terminal_id))
        return registers.insurance_record(query.id_number, query.name, query.period)

    @app.post(
        "/v1/queries/population-record",
        response_model=PopulationAnswer,
        responses=problems.responses(*SIGNED),
    )
    def population_record(query: PersonQuery, terminal_id: str = authenticated) -> Any:
        """Live query of a 临时身份证明: is the person in the household register here."""
        log.info("population query from %s", printable(terminal_id))
        return registers.population_record(query.id_number, query.name)

    @app.post(
        "/v1/queries/reference-photo",
        response_model=ReferencePhotoAnswer,
        responses=problems.responses(*SIGNED),
    )
    def reference_photo(query: PersonQuery, terminal_id: str = authenticated) -> Any:
        """人证核验 without a card: the household register's photo, compared on the terminal in
        memory and dropped there (never stored with the case)."""
        log.info("reference photo query from %s", printable(terminal_id))
        return registers.reference_photo(query.id_number, query.name)

    @app.get("/v1/decisions", response_model=Decisions, responses=problems.responses(*SIGNED))
    def decisions(terminal_id: str = authenticated, after: int = Query(0, ge=0, le=2**53)) -> Decisions:
        """Back-office decisions on this terminal's cases after sequence number `after`."""
        found = decisions_after(store, terminal_id, after)
        return Decisions(
            decisions=[OfficeDecision(**d) for d in found], last_seq=found[-1]["seq"] if found else after
        )

    @app.get(
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

    return app


def _check_shape(kind: str, body: dict[str, Any], where: str, terminal_id: str) -> None:
    """422 naming the field when a body is not the shape of its kind."""
    try:
        check_body(kind, body, where)
    except BodyShapeError as exc:
        reason = printable(exc, 300)
        log.warning("upload refused: invalid body, terminal %s: %s", printable(terminal_id), reason)
        raise HTTPException(422, {"error": "invalid", "message": str(exc)[:500]}) from None
