"""Routes whose JSON bodies are parsed in a worker thread, not on the event loop: parsing a
megabyte-sized batch takes long enough to delay every other request (a health check included)
if it runs where the connections are served."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


def parse_json(body: bytes) -> Any:
    """The JSON in `body`; json.JSONDecodeError for anything that is not JSON in UTF-8 (bad
    bytes, nesting too deep, NaN and Infinity included), which FastAPI answers as an invalid body."""
    try:
        return json.loads(body, parse_constant=_not_json)
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError("not UTF-8", "", exc.start) from None
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", "", 0) from None


def _not_json(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


class OffLoopJSONRequest(Request):
    """A request whose ``json()`` parses in the thread pool."""

    async def json(self) -> Any:
        """The body as JSON, parsed once, off the event loop."""
        if not hasattr(self, "_json"):
            self._json = await run_in_threadpool(parse_json, await self.body())
        return self._json


class OffLoopJSONRoute(APIRoute):
    """An APIRoute handing its endpoint an OffLoopJSONRequest."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, given the off-loop request."""
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            return await handler(OffLoopJSONRequest(request.scope, request.receive))

        return handle
