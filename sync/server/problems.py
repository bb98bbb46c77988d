"""One error shape for every refusal the centre gives: ``{"error": reason, "message": sentence}``
(plus ``server_time`` when the terminal's clock is the problem) — for a route's own refusals, an
unparsable or invalid body, an unknown path, a method a route does not take (405, with
``Allow``), the request guard's 401/408/413/429, and an unexpected failure (500)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

REASONS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "timeout",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many",
}
DESCRIPTIONS = {
    401: "not authenticated: `error` is missing_headers, stale (with server_time), bad_signature or replayed",
    403: "refused",
    404: "not found",
    408: "the body did not arrive in time",
    409: "conflict",
    413: "the body is larger than this route takes",
    422: "the request is not valid: `message` names the field",
    429: "too many: try again after Retry-After seconds",
}


class Problem(BaseModel):
    """An error: a machine-readable reason and a sentence for people."""

    error: str
    message: str
    server_time: int | None = None


def problem(
    status: int,
    error: str,
    message: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """The JSON response for one refusal."""
    return JSONResponse({"error": error, "message": message, **extra}, status_code=status, headers=headers)


def responses(*codes: int, **models: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI description of a route's refusals: each code answers a Problem (or the model
    given as ``models["c409"]``)."""
    described: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        model = models.get(f"c{code}", Problem)
        described[code] = {"model": model, "description": DESCRIPTIONS.get(code, "refused")}
    return described


def install(app: FastAPI) -> None:
    """Answer every error of `app` in the one shape."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.detail, dict) and "error" in exc.detail:
            body = exc.detail
        else:
            body = {"error": REASONS.get(exc.status_code, "http"), "message": str(exc.detail)}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Say where and why, never echo the input back: it may be personal data, or not text at all.
        return problem(422, "invalid", describe_errors(exc.errors()))

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        log.error("request failed: %s %s", request.method, request.url.path, exc_info=exc)
        return problem(500, "internal", "the centre could not answer this request; try again later")


def describe_errors(errors: Any) -> str:
    """Where and why validation failed, at most five places and 500 characters."""
    parts = []
    for error in list(errors)[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()))
        what = error.get("msg", "")
        if error.get("type") == "json_invalid":
            what = f"not JSON ({error.get('ctx', {}).get('error', 'unparsable')})"
        parts.append(f"{where}: {what}")
    return "; ".join(parts)[:500]
