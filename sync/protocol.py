"""The protocol between a terminal and the centre: the wire models of the centre's API (what
sync/openapi.json describes), which the server validates requests with and the terminal reads
replies with; the request signing is sync/auth.py (and sync.client.TerminalSigning).

Request bodies are strict: an integer is a JSON integer (``true``, ``"7"`` and ``7.0`` are not a
``seq``), a string a JSON string. The shape of a case's own ``body`` is checked by kind in
sync/server/case_schema.py.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sync.keys import is_document_key

SERVICE = "township-kiosk-central"
MAX_BATCH = 200
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
KIND_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


class _Request(BaseModel):
    model_config = ConfigDict(strict=True)


class Health(BaseModel):
    """What the connectivity probe expects."""

    service: str = SERVICE
    status: str = "ok"


class CaseUpload(_Request):
    """One outbox entry: its UUID is the idempotency key; its case id belongs to the terminal
    that sent it first."""

    entry_uuid: str = Field(pattern=UUID_PATTERN)
    case_id: str = Field(pattern=UUID_PATTERN)
    kind: str = Field(pattern=KIND_PATTERN, description="case, or an action on one (licence_issued, …)")
    seq: int = Field(ge=0, le=2**53)
    body: dict[str, Any] = Field(
        description="a case (kind case) or an action; checked by kind, refused with the field named"
    )


class Ack(BaseModel):
    """The acknowledgement the client waits for; identical on every replay."""

    entry_uuid: str
    case_id: str
    server_seq: int
    received_at: str


class CaseAck(BaseModel):
    """The answer to an upload."""

    ack: Ack


class CaseBatch(_Request):
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


class BlockRequest(_Request):
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


STATE_PATTERN = r"^[a-z_]{1,40}(: .{0,80})?$"  # a device driver's status value, or "error: why"


class DeviceReport(_Request):
    """One device of a terminal, as its driver last said."""

    key: str = Field(pattern=r"^[a-z0-9_]{1,20}$", description="id_card, ss_card, camera, receipt, a4")
    state: str = Field(pattern=STATE_PATTERN, description="the driver's status, e.g. online, no_paper")
    ok: bool


class PaperReport(_Request):
    """A printer's paper, counted since staff last refilled it."""

    device: str = Field(pattern=r"^[a-z0-9_]{1,20}$")
    left: int = Field(ge=0, le=100_000, description="sheets or receipts left, estimated")
    capacity: int = Field(ge=1, le=100_000)


class Heartbeat(_Request):
    """What a terminal says about itself at every sync round, for the county's fleet view."""

    version: str = Field(min_length=1, max_length=40, description="the release running")
    sent_at: str = Field(max_length=40, description="the terminal's clock, for people (nothing orders by it)")
    in_service: bool = Field(description="whether it takes new residents")
    faults: list[str] = Field(max_length=10, description="why not, when it does not (staff's words)")
    devices: list[DeviceReport] = Field(max_length=10)
    paper: list[PaperReport] = Field(max_length=4)
    outbox_pending: int = Field(ge=0, le=10**9)
    outbox_parked: int = Field(ge=0, le=10**9, description="entries the centre refused, waiting for staff")
    outbox_oldest: str = Field(max_length=40, description="when the oldest unsent entry was made; '' if none")
    last_sync: str = Field(max_length=40, description="the last clean sync round, terminal clock; '' if none")
    free_disk_mb: int = Field(ge=0, le=10**9)
    errors: int = Field(ge=0, le=10**9, description="errors logged since the last heartbeat")
    help_calls: int = Field(ge=0, le=10**6, description="呼叫工作人员 since the last heartbeat")
    update: str = Field("", max_length=200, description="the last release update's result; '' if none")

    @field_validator("faults")
    @classmethod
    def _short(cls, value: list[str]) -> list[str]:
        if any(len(fault) > 200 for fault in value):
            raise ValueError("a fault is at most 200 characters")
        return value


class HeartbeatAck(BaseModel):
    """The centre has the heartbeat."""

    received_at: str


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


class PersonQuery(_Request):
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


class ReferencePhotoAnswer(BaseModel):
    """The household register's photo of the person (人证核验 without a card): a base64 JPEG."""

    found: bool
    photo: str | None = Field(default=None, max_length=200_000)


class EnrolmentRequest(_Request):
    """A technician's one-time code, traded for the terminal's secret (the only unsigned write)."""

    code: str = Field(min_length=8, max_length=40, pattern=r"^[0-9A-Za-z -]+$")
    terminal_id: str = Field(pattern=r"^[A-Z0-9-]{4,40}$")
    document_public_key: str | None = Field(
        None, max_length=2000, description="the terminal's document-signing key: Ed25519, PEM"
    )

    @field_validator("document_public_key")
    @classmethod
    def _ed25519_pem(cls, value: str | None) -> str | None:
        if value is not None and not is_document_key(value):
            raise ValueError("not an Ed25519 public key in PEM")
        return value


class EnrolmentAnswer(BaseModel):
    """The terminal's credentials: shown once, stored by the installer readable only by the kiosk."""

    terminal_id: str
    division_code: str
    secret: str = Field(description="hex; signs every later request")
    update_public_key: str | None = Field(None, description="the centre's Ed25519 update key (PEM)")
