"""The shape of what a terminal uploads, checked when it arrives (a refusal names the field), so
nothing the clerk's console or the licence bookkeeping later reads can be of the wrong type.

A ``case`` body and a ``licence_issued`` action are checked field by field where the centre reads
them; any field may be absent, and fields the centre does not read pass as they are. Every body
must also be storable as UTF-8 (JSON can spell a lone surrogate, which no encoder accepts).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sync.server.problems import describe_errors


class _Shape(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class Notice(_Shape):
    """A notice the terminal showed the resident (what to bring, where to go)."""

    message: str = ""
    remedy: str = ""
    place: str = ""


class Summary(_Shape):
    """The parts of a case's summary the centre reads."""

    item_name: str = ""
    applicant_masked: str = ""
    pending_reason: str | None = None
    notices: list[Notice] = Field(default_factory=list)
    licence_serial: int | None = Field(None, ge=0)
    credit_code: str = ""


class CaseBody(_Shape):
    """A decided case as the terminal sends it."""

    case_id: str = ""
    number: str = ""
    item_id: str = ""
    outcome: str = ""
    terminal_id: str = ""
    seq: int = Field(0, ge=0)
    summary: Summary = Field(default_factory=Summary)
    personal: dict[str, Any] = Field(default_factory=dict)


class LicenceDetail(_Shape):
    """What a late licence number tells the centre."""

    licence_serial: int = Field(ge=0)
    credit_code: str = ""
    outcome: str = ""


class LicenceIssued(_Shape):
    """The action sent when a waiting case got its licence number."""

    case_id: str = ""
    number: str = ""
    detail: LicenceDetail


SHAPES: dict[str, type[BaseModel]] = {"case": CaseBody, "licence_issued": LicenceIssued}


class BodyShapeError(ValueError):
    """A body of the wrong shape; the message names the field (``body.summary: …``)."""


def check_body(kind: str, body: dict[str, Any], where: str = "body.body") -> None:
    """Raise BodyShapeError when `body` cannot be stored or is not the shape of its `kind`."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BodyShapeError(f"{where}: holds text that is not valid Unicode (a lone surrogate)") from None
    except (ValueError, RecursionError):
        raise BodyShapeError(f"{where}: cannot be stored as JSON") from None
    shape = SHAPES.get(kind)
    if shape is None:
        return
    try:
        shape.model_validate(body)
    except ValidationError as exc:
        errors = [{**e, "loc": (*where.split("."), *e.get("loc", ()))} for e in exc.errors()]
        raise BodyShapeError(describe_errors(errors)) from None


def licence_serial_of(kind: str, body: dict[str, Any]) -> int | None:
    """The licence serial a checked body says the terminal used, if any."""
    if kind == "case":
        summary = body.get("summary")
        serial = summary.get("licence_serial") if isinstance(summary, dict) else None
    elif kind == "licence_issued":
        detail = body.get("detail")
        serial = detail.get("licence_serial") if isinstance(detail, dict) else None
    else:
        serial = None
    return serial if isinstance(serial, int) and not isinstance(serial, bool) else None
