"""A fault-injecting HTTP proxy on loopback, between the terminal and the central server.

Each request takes the next fault from a script (then "pass" forever): pass it through, drop the
connection after the server has committed, answer 503, answer 200 with an HTML page, or stall
past the client's timeout. Bounded: a stall lasts `stall_seconds`, and stop() ends everything.
"""

from __future__ import annotations

import http.server
import threading
from collections import deque

import httpx

from tests.central import free_port

FAULTS = ("pass", "drop_after_commit", "stall_after_commit", "503", "html_200", "stall")


class FaultProxy:
    """Forwards to `upstream`, applying the scripted faults in order."""

    def __init__(self, upstream: str, script: list[str] | None = None, stall_seconds: float = 3.0) -> None:
        self.upstream = upstream
        self.script: deque[str] = deque(script or [])
        self.stall_seconds = stall_seconds
        self.seen: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's names)
                proxy._handle(self)

            def do_PUT(self) -> None:  # noqa: N802
                proxy._handle(self)

            def do_POST(self) -> None:  # noqa: N802
                proxy._handle(self)

            def log_message(self, *args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def add(self, *faults: str) -> None:
        """Queue more faults for the next requests."""
        with self._lock:
            self.script.extend(faults)

    def stop(self) -> None:
        """Stop serving; stalled handlers end at once."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _next_fault(self) -> str:
        with self._lock:
            fault = self.script.popleft() if self.script else "pass"
            self.seen.append(fault)
            return fault

    def _handle(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        fault = self._next_fault() if handler.command in ("POST", "PUT") else "pass"
        if fault == "503":
            self._reply(handler, 503, b'{"error":"busy"}', "application/json")
            return
        if fault == "html_200":
            self._reply(handler, 200, b"<html><body>portal</body></html>", "text/html; charset=utf-8")
            return
        if fault == "stall":
            self._stopping.wait(self.stall_seconds)
            handler.close_connection = True
            return
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "content-length")}
        try:
            answer = httpx.request(
                handler.command, self.upstream + handler.path, content=body, headers=headers, timeout=10
            )
        except httpx.HTTPError:
            self._reply(handler, 502, b"<html>bad gateway</html>", "text/html")
            return
        if fault == "drop_after_commit":
            handler.close_connection = True  # the server has committed; the answer never arrives
            return
        if fault == "stall_after_commit":  # committed, and the answer hangs (the client may die meanwhile)
            self._stopping.wait(self.stall_seconds)
            handler.close_connection = True
            return
        self._reply(handler, answer.status_code, answer.content, answer.headers.get("content-type", ""))

    @staticmethod
    def _reply(
        handler: http.server.BaseHTTPRequestHandler, status: int, body: bytes, content_type: str
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
