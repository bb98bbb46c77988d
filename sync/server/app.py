"""The reference central platform's HTTP API (FastAPI; the OpenAPI description is generated
from it and kept in sync/openapi.json).

Every /v1 endpoint except /v1/health needs a signed request (sync/auth.py). Uploads are
idempotent on the client's UUID: a replay is answered with the original acknowledgement.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator

from sync import auth
from sync.enrolment_client import EnrolmentError
from sync.server import enrolment
from sync.server.attachments import (
    MAX_LENGTH,
    AttachmentFiles,
    AttachmentRejectedError,
    OffsetMismatchError,
)
from sync.server.db import CentralStore, ConflictError, Upload, decisions_after, latest_update
from sync.server.registers import Registers
from sync.updates import KINDS

log = logging.getLogger(__name__)
SERVICE = "township-kiosk-central"
MAX_BATCH = 200
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
KIND_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


def storable_text(body: dict[str, Any]) -> dict[str, Any]:
    """Refuse a body the database cannot hold as UTF-8 text: JSON may spell a lone surrogate
    (``"\\ud800"``), which no UTF-8 encoder accepts."""
    import json

    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("body holds text that is not valid Unicode (a lone surrogate)") from None
    return body


class Health(BaseModel):
    """What the connectivity probe expects."""

    service: str = SERVICE
    status: str = "ok"


class CaseUpload(BaseModel):
    """One outbox entry: its UUID is the idempotency key."""

    entry_uuid: str = Field(pattern=UUID_PATTERN)
    case_id: str = Field(pattern=UUID_PATTERN)
    kind: str = Field(pattern=KIND_PATTERN, description="case, or an action on one (licence_issued, …)")
    seq: int = Field(ge=0, le=2**53)
    body: dict[str, Any]

    _body_is_text = field_validator("body")(storable_text)


class Ack(BaseModel):
    """The acknowledgement the client waits for; identical on every replay."""

    entry_uuid: str
    case_id: str
    server_seq: int
    received_at: str


class CaseAck(BaseModel):
    """The answer to an upload."""

    ack: Ack


class CaseBatch(BaseModel):
    """Several outbox entries in one request, stored in one transaction."""

    entries: list[CaseUpload] = Field(min_length=1, max_length=MAX_BATCH)


class BatchResult(BaseModel):
    """One entry's outcome: its acknowledgement (new or original), or why it was refused."""

    entry_uuid: str
    ack: Ack | None = None
    error: str | None = None
    message: str | None = None


class BatchAck(BaseModel):
    """The answer to a batch: one result per entry, in the order sent."""

    results: list[BatchResult]


class BlockRequest(BaseModel):
    """Ask for a block of licence serials; idempotent on request_uuid."""

    request_uuid: str = Field(pattern=UUID_PATTERN)
    size: int = Field(ge=1, le=100_000)


class LicenceBlock(BaseModel):
    """A block of serials for the terminal's division, disjoint from every other block."""

    block_id: str
    division_code: str
    first_serial: int
    last_serial: int


class UpdateDocument(BaseModel):
    """A signed update (catalogue, name registry, dishonesty list); see sync/updates.py."""

    kind: str
    version: int
    content: dict[str, Any]
    signature: str


class OfficeDecision(BaseModel):
    """A person's decision on a case the terminal sent for review."""

    seq: int
    case_id: str
    approved: bool
    note: str
    reference: str


class Decisions(BaseModel):
    """Decisions after a sequence number, oldest first."""

    decisions: list[OfficeDecision]
    last_seq: int


class AttachmentStatus(BaseModel):
    """How much of an attachment the centre holds."""

    sha256: str
    length: int
    received: int
    complete: bool


class OffsetProblem(BaseModel):
    """A chunk that does not continue the centre's copy: resume at `received`."""

    error: str
    message: str
    received: int


class PersonQuery(BaseModel):
    """Who is asking, as read from their card (sent in the body, never in a URL or a log)."""

    id_number: str = Field(pattern=r"^[0-9]{17}[0-9Xx]$")
    name: str = Field(min_length=1, max_length=60)


class InsuranceQuery(PersonQuery):
    """A 参保证明's query: the period chosen on the form."""

    period: str = Field("近12个月", max_length=20)


class InsuranceAnswer(BaseModel):
    """The contribution months found (month, base, personal contribution, status)."""

    found: bool
    insured_type: str | None = None
    agency: str | None = None
    records: list[list[str]] = []


class PopulationAnswer(BaseModel):
    """Whether the household register holds the person, and where."""

    found: bool
    household_address: str | None = None
    police_station: str | None = None


class EnrolmentRequest(BaseModel):
    """A technician's one-time code, traded for the terminal's secret (the only unsigned write)."""

    code: str = Field(min_length=8, max_length=40, pattern=r"^[0-9A-Za-z -]+$")
    terminal_id: str = Field(pattern=r"^[A-Z0-9-]{4,40}$")
    document_public_key: str | None = Field(
        None, max_length=2000, description="the terminal's document-signing key (PEM), for verifiers"
    )


class EnrolmentAnswer(BaseModel):
    """The terminal's credentials: shown once, stored by the installer readable only by the kiosk."""

    terminal_id: str
    division_code: str
    secret: str = Field(description="hex; signs every later request")
    update_public_key: str | None = Field(None, description="the centre's Ed25519 update key (PEM)")


class Problem(BaseModel):
    """An error: a machine-readable reason and a sentence for people."""

    error: str
    message: str
    server_time: int | None = None


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
    app = FastAPI(
        title="Township kiosk central platform",
        version="1.0.0",
        description="Case upload, licence-number blocks and updates for self-service terminals.",
    )

    async def terminal(request: Request) -> str:
        """The authenticated terminal of the request (401 otherwise, with the server's time)."""
        body = await request.body()
        # The path as sent (still percent-encoded) and its query: exactly what the client signed.
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        target = raw_path.decode("latin-1") + (f"?{request.url.query}" if request.url.query else "")
        verdict = auth.check(request.headers, request.method, target, body, store.secrets(), time.time())
        if verdict.ok and not store.use_nonce(verdict.terminal_id, verdict.nonce, auth.WINDOW_SECONDS):
            verdict = auth.Verdict("replayed", verdict.terminal_id)
        if not verdict.ok:
            log.warning("refused request", extra={"reason": verdict.reason, "terminal": verdict.terminal_id})
            raise HTTPException(
                401,
                {
                    "error": verdict.reason,
                    "message": "request not authenticated",
                    "server_time": int(time.time()),
                },
            )
        return verdict.terminal_id

    authenticated = Depends(terminal)

    @app.exception_handler(HTTPException)
    async def problem(_: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, dict) else {"error": "http", "message": str(exc.detail)}
        return JSONResponse(detail, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Say where and why, never echo the input back: it may be personal data, or not text at all.
        where = "; ".join(
            f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
            for error in exc.errors()[:5]
        )
        return JSONResponse({"error": "invalid", "message": where[:500]}, status_code=422)

    @app.get("/v1/health", response_model=Health)
    def health() -> Health:
        """Unauthenticated: tells a terminal's probe that the platform (not a portal) answers."""
        return Health()

    @app.post(
        "/v1/enrolments",
        response_model=EnrolmentAnswer,
        status_code=201,
        responses={403: {"model": Problem}},
    )
    def enrol(request: EnrolmentRequest) -> Any:
        """Unsigned (the terminal has no secret yet): the one-time code is the credential."""
        try:
            done = enrolment.redeem_code(
                store, request.code, request.terminal_id, request.document_public_key
            )
        except EnrolmentError as exc:
            log.warning("enrolment refused", extra={"reason": exc.reason, "terminal": request.terminal_id})
            raise HTTPException(403, {"error": exc.reason, "message": str(exc)}) from None
        log.info("terminal enrolled", extra={"terminal": done.terminal_id, "division": done.division_code})
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
        responses={
            200: {"model": CaseAck, "description": "a replay"},
            401: {"model": Problem},
            409: {"model": Problem},
        },
    )
    def upload_case(upload: CaseUpload, terminal_id: str = authenticated) -> Any:
        """Store one case entry once; a replay gets the original acknowledgement with 200."""
        try:
            ack, created = store.receive_case(
                terminal_id, upload.entry_uuid, upload.case_id, upload.kind, upload.seq, upload.body
            )
        except ConflictError:
            raise HTTPException(
                409, {"error": "conflict", "message": "this UUID was uploaded before with other content"}
            ) from None
        return JSONResponse({"ack": ack.as_json()}, status_code=201 if created else 200)

    @app.post("/v1/case-batches", response_model=BatchAck, responses={401: {"model": Problem}})
    def upload_cases(batch: CaseBatch, terminal_id: str = authenticated) -> BatchAck:
        """Store up to MAX_BATCH entries in one transaction; each result is what /v1/cases would say."""
        uploads = [Upload(e.entry_uuid, e.case_id, e.kind, e.seq, e.body) for e in batch.entries]
        outcomes = store.receive_cases(terminal_id, uploads)
        results = []
        for upload, outcome in zip(uploads, outcomes, strict=True):
            if isinstance(outcome, ConflictError):
                results.append(
                    BatchResult(
                        entry_uuid=upload.entry_uuid,
                        error="conflict",
                        message="this UUID was uploaded before with other content",
                    )
                )
            else:
                results.append(BatchResult(entry_uuid=upload.entry_uuid, ack=Ack(**outcome[0].as_json())))
        return BatchAck(results=results)

    @app.post(
        "/v1/licence-blocks",
        response_model=LicenceBlock,
        responses={401: {"model": Problem}, 409: {"model": Problem}},
    )
    def licence_block(request: BlockRequest, terminal_id: str = authenticated) -> Any:
        """Allocate (or, for a replayed request, return again) a block of licence serials."""
        try:
            return store.allocate_block(terminal_id, request.request_uuid, request.size)
        except ConflictError:
            raise HTTPException(
                409, {"error": "conflict", "message": "request UUID used by another terminal"}
            ) from None

    digest_path = Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the content, lower-case hex")

    @app.get(
        "/v1/attachments/{sha256}",
        response_model=AttachmentStatus,
        responses={401: {"model": Problem}, 404: {"model": Problem}},
    )
    def attachment_status(sha256: str = digest_path, terminal_id: str = authenticated) -> Any:
        """How much of the attachment the centre holds (resume from `received`)."""
        status = attachments.status(sha256)
        if status is None:
            raise HTTPException(404, {"error": "unknown", "message": "nothing of this attachment yet"})
        return status.as_json()

    @app.put(
        "/v1/attachments/{sha256}",
        response_model=AttachmentStatus,
        responses={
            401: {"model": Problem},
            409: {"model": OffsetProblem},
            422: {"model": Problem},
        },
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
        """Append a chunk (the body) at `offset` of a file of `length` bytes; complete when the
        content matches its SHA-256. A file already held answers complete at once."""
        chunk = await request.body()
        try:
            status = await run_in_threadpool(attachments.receive, sha256, offset, length, chunk)
        except OffsetMismatchError as exc:
            return JSONResponse(
                {"error": "offset_mismatch", "message": str(exc), "received": exc.received}, status_code=409
            )
        except AttachmentRejectedError as exc:
            raise HTTPException(422, {"error": "rejected", "message": str(exc)}) from None
        log.info("attachment chunk", extra={"terminal": terminal_id, "sha256": sha256[:12], "at": offset})
        return status.as_json()

    @app.post(
        "/v1/queries/insurance-record", response_model=InsuranceAnswer, responses={401: {"model": Problem}}
    )
    def insurance_record(query: InsuranceQuery, terminal_id: str = authenticated) -> Any:
        """Live query of a 参保证明: the person's contribution months for the period."""
        log.info("insurance query", extra={"terminal": terminal_id})
        return registers.insurance_record(query.id_number, query.name, query.period)

    @app.post(
        "/v1/queries/population-record", response_model=PopulationAnswer, responses={401: {"model": Problem}}
    )
    def population_record(query: PersonQuery, terminal_id: str = authenticated) -> Any:
        """Live query of a 临时身份证明: is the person in the household register here."""
        log.info("population query", extra={"terminal": terminal_id})
        return registers.population_record(query.id_number, query.name)

    @app.get("/v1/decisions", response_model=Decisions, responses={401: {"model": Problem}})
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
            401: {"model": Problem},
            404: {"model": Problem},
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
