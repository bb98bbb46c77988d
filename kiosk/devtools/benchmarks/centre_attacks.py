"""Security figures of the central server, measured by attacking a real `kiosk-central serve` on
loopback (its own SQLite file in a temporary folder; nothing leaves 127.0.0.0/8):

- unauthenticated bytes read: a head announcing 512 MiB without a valid signature; the body is
  sent only while no answer has come, so the bytes sent before the refusal bound what was read;
- the largest body each route accepts: its cap is read, a byte more is refused (413), and 48 MiB,
  announced or streamed, is refused;
- /v1/health's p99 latency idle, then while 48 MiB bodies stream in and 40 clients send a byte a
  second (20 request heads, 20 bodies), and how long the slowest of those was held;
- enrolment guesses one source gets checked per minute (the rest are throttled);
- takeover attempts: an unbound or foreign code re-keying an enrolled terminal, a used code, a
  forged document key, an unknown terminal, a replayed request, another terminal's case id or
  partial upload; each counted as taken when the attacker got what it asked for.

Every phase is bounded in time; every connection is closed and the server stopped at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import socket
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

MIB = 1024 * 1024
ANNOUNCED = 512 * MIB
BIG = 48 * MIB
SLOW_CLIENTS = 40
VICTIM, OTHER = "ZC-370302-0001", "ZC-370303-0001"


@dataclass
class CentreReport:
    """What the attacks on the central server found."""

    head_bytes: int = 0
    unauthenticated_bytes_read: int = 0
    largest_body: dict[str, tuple[int, int]] = field(default_factory=dict)  # route -> (accepted, cap)
    big_body_accepted: int = 0
    health_idle_p99_ms: float = 0.0
    health_attack_p99_ms: float = 0.0
    health_samples: int = 0
    slow_held_max_s: float = 0.0
    slow_connections: int = 0
    guesses_tried: int = 0
    guesses_checked: int = 0
    guess_seconds: float = 0.0
    takeovers: dict[str, int] = field(default_factory=dict)

    @property
    def health_ratio(self) -> float:
        """p99 under attack against p99 idle."""
        return self.health_attack_p99_ms / max(self.health_idle_p99_ms, 1e-6)

    @property
    def guesses_per_minute(self) -> float:
        """Enrolment guesses checked per minute from one source."""
        return self.guesses_checked * 60.0 / max(self.guess_seconds, 1e-6)

    @property
    def clean(self) -> bool:
        """True when no takeover succeeded and no body beyond a cap (or unauthenticated) was read."""
        return (
            not any(self.takeovers.values())
            and self.unauthenticated_bytes_read <= self.head_bytes
            and all(accepted <= cap for accepted, cap in self.largest_body.values())
            and self.big_body_accepted == 0
        )


@dataclass(frozen=True)
class Target:
    """Where the server listens and the victim's secret: all an attacking process needs."""

    port: int
    secret: bytes

    def head(
        self, method: str, target: str, length: int | None, signed: bool = True, chunked: bool = False
    ) -> bytes:
        """A request head: signed by the victim (over an empty body) or not at all."""
        from sync import auth

        lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
        if signed:
            headers = auth.signed_headers(VICTIM, self.secret, method, target, b"")
            lines += [f"{k}: {v}" for k, v in headers.items()]
        lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Centre:
    """The server under attack, with two enrolled terminals of two divisions."""

    def __init__(self, folder: Path) -> None:
        from sync.server.process import CentralProcess

        self.process = CentralProcess(folder, log_path=folder / "central.log")
        folder.mkdir(parents=True, exist_ok=True)
        self.secrets = {
            VICTIM: self.process.enrol(VICTIM, "370302"),
            OTHER: self.process.enrol(OTHER, "370303"),
        }
        self.process.start()
        self.port = self.process.port
        self.url = self.process.url
        self.target = Target(self.port, self.secrets[VICTIM])

    def signed(
        self,
        method: str,
        target: str,
        body: bytes = b"",
        terminal: str = VICTIM,
        secret: bytes | None = None,
        source: str = "127.0.0.1",
        content_type: str = "application/json",
    ) -> httpx.Response:
        """One request signed as a terminal signs it."""
        from sync import auth

        headers = auth.signed_headers(terminal, secret or self.secrets[terminal], method, target, body)
        headers["Content-Type"] = content_type
        with httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=30) as client:
            return client.request(method, f"{self.url}{target}", content=body, headers=headers)

    def head(
        self, method: str, target: str, length: int | None, signed: bool = True, chunked: bool = False
    ) -> bytes:
        """A request head: signed by the victim (over an empty body) or not at all."""
        return self.target.head(method, target, length, signed, chunked)

    def stop(self) -> None:
        """Stop the server."""
        self.process.stop()


def _answered(sock: socket.socket, wait: float) -> bool:
    return bool(select.select([sock], [], [], wait)[0])


def _status(sock: socket.socket) -> int:
    """The status of the answer waiting on `sock` (0 when the connection closed without one)."""
    sock.settimeout(5)
    data = b""
    try:
        while b"\r\n" not in data:
            more = sock.recv(4096)
            if not more:
                return 0
            data += more
    except OSError:
        return 0
    return int(data.split(b" ", 2)[1])


def unauthenticated_read(centre: Centre, report: CentreReport) -> None:
    """A head announcing 512 MiB with no signature: body bytes go only while no answer came."""
    head = centre.head("POST", "/v1/case-batches", ANNOUNCED, signed=False)
    sent = 0
    with socket.create_connection(("127.0.0.1", centre.port)) as sock:
        sock.sendall(head)
        while not _answered(sock, 1.0) and sent < 8 * MIB:
            sock.sendall(b" " * (64 * 1024))
            sent += 64 * 1024
        status = _status(sock)
    report.head_bytes = len(head)
    report.unauthenticated_bytes_read = len(head) + sent if status == 401 else len(head) + ANNOUNCED


def largest_bodies(centre: Centre, report: CentreReport) -> None:
    """Each route with a body: its cap is read, a byte more is refused unread; 48 MiB announced or
    streamed is refused."""
    from sync.server import limits

    digest = "0" * 64
    targets = {"/v1/attachments/{sha256}": f"/v1/attachments/{digest}?offset=0&length=4000000"}
    for n, route in enumerate(r for r in limits.ROUTES if r.max_body):
        target = targets.get(route.path, route.path)
        source = f"127.0.0.{20 + n}"  # enrolment tries are throttled per source
        with socket.create_connection(("127.0.0.1", centre.port), source_address=(source, 0)) as sock:
            sock.sendall(centre.head(route.method, target, route.max_body + 1))
            over_refused = _answered(sock, 3.0) and _status(sock) == 413
        at_cap = centre.signed(route.method, target, b" " * route.max_body, source=source).status_code != 413
        accepted = (route.max_body + 1) if not over_refused else (route.max_body if at_cap else 0)
        report.largest_body[f"{route.method} {route.path}"] = (accepted, route.max_body)
    for chunked in (False, True):
        report.big_body_accepted += _big_body(centre.target, chunked, signed=True) != 413


def _big_body(centre: Target, chunked: bool, signed: bool, stop: threading.Event | None = None) -> int:
    """Send up to 48 MiB to /v1/case-batches until the answer comes; its status."""
    piece = b" " * (256 * 1024)
    framed = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
    with socket.create_connection(("127.0.0.1", centre.port)) as sock:
        sock.sendall(centre.head("POST", "/v1/case-batches", BIG, signed=signed, chunked=chunked))
        for _ in range(BIG // len(piece)):
            if _answered(sock, 0.0) or (stop is not None and stop.is_set()):
                break
            try:
                sock.sendall(framed)
            except OSError:
                break
        return _status(sock) if _answered(sock, 5.0) else 0


def _health_p99(url: str, until: float, most: int = 2000) -> list[float]:
    times: list[float] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        while time.monotonic() < until and len(times) < most:
            started = time.perf_counter()
            client.get("/v1/health")
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(0.005)
    return times


def _p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100)[98] if len(times) >= 2 else (times[0] if times else 0.0)


def _slow_client(centre: Target, body: bool, stop: threading.Event, held: list[float]) -> None:
    """Reconnect and send a byte a second (a request head, or a body after a signed head) until
    stopped; how long each connection was held."""
    text = b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 1000
    while not stop.is_set():
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", centre.port)) as sock:
                if body:
                    sock.sendall(centre.head("POST", "/v1/case-batches", 1000))
                for byte in text:
                    if stop.is_set():
                        break
                    sock.sendall(bytes([byte]))
                    if _answered(sock, 1.0):
                        break
        except OSError:
            pass
        finally:
            held.append(time.monotonic() - started)  # still open when stopped: held at least this long


def attack_load(target: Target, seconds: float) -> list[float]:
    """40 clients sending a byte a second and four streams of 48 MiB bodies for `seconds`; the
    seconds each slow connection was held. Runs in a process of its own (``python -m
    kiosk.devtools.benchmarks.centre_attacks PORT SECONDS``, the victim's secret on stdin), so the
    measuring process is not slowed by its threads."""
    stop = threading.Event()
    held: list[float] = []
    workers = [
        threading.Thread(target=_slow_client, args=(target, n % 2 == 1, stop, held), daemon=True)
        for n in range(SLOW_CLIENTS)
    ]

    def bodies(chunked: bool, signed: bool) -> Callable[[], None]:
        def run() -> None:
            while not stop.is_set():
                _big_body(target, chunked, signed, stop)

        return run

    for chunked, signed in ((False, False), (False, True), (True, True), (True, False)):
        workers.append(threading.Thread(target=bodies(chunked, signed), daemon=True))
    for worker in workers:
        worker.start()
    print("started", flush=True)
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join(timeout=30)
    return held


def health_under_attack(centre: Centre, report: CentreReport, seconds: float) -> None:
    """Health latency idle, then while another process sends 48 MiB bodies and 40 slow clients;
    the attack lasts long enough (12 s at least) for a slow connection to be let go."""
    import subprocess
    import sys

    idle = _health_p99(centre.url, time.monotonic() + seconds / 2, most=400)
    length = max(seconds + 1.0, 12.0)
    argv = [sys.executable, "-m", "kiosk.devtools.benchmarks.centre_attacks", str(centre.port), str(length)]
    attacker = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert attacker.stdin is not None and attacker.stdout is not None
        attacker.stdin.write(centre.target.secret.hex() + "\n")  # not on the command line
        attacker.stdin.flush()
        attacker.stdout.readline()  # "started"
        time.sleep(1.0)  # the attack under way
        attacked = _health_p99(centre.url, time.monotonic() + seconds, most=2000)
        out, _ = attacker.communicate(timeout=length + 60)
        held = json.loads(out.strip().splitlines()[-1])
    finally:
        if attacker.poll() is None:
            attacker.kill()
            attacker.wait(timeout=10)
    report.health_idle_p99_ms, report.health_attack_p99_ms = _p99(idle), _p99(attacked)
    report.health_samples = len(attacked)
    report.slow_held_max_s, report.slow_connections = (max(held) if held else 0.0), len(held)


def enrolment_guesses(centre: Centre, report: CentreReport, seconds: float) -> None:
    """Guess codes from one source for `seconds`: how many were checked (not throttled)."""
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    with httpx.Client(timeout=10) as client:
        while time.monotonic() < deadline and report.guesses_tried < 20_000:
            code = uuid.uuid4().hex[:16].upper()
            answer = client.post(
                f"{centre.url}/v1/enrolments", json={"code": code, "terminal_id": "ZC-370302-0999"}
            )
            report.guesses_tried += 1
            report.guesses_checked += answer.status_code != 429
            time.sleep(0.01)
    report.guess_seconds = time.monotonic() - started


def takeovers(centre: Centre, report: CentreReport) -> None:
    """Every way to take a terminal (or its data) over; 1 for each that worked."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync.keys import public_key_pem

    key = public_key_pem(Ed25519PrivateKey.generate())
    sources = iter(f"127.0.0.{n}" for n in range(100, 200))

    def enrol(code: str, terminal: str, document_key: str | None = key) -> httpx.Response:
        body = {"code": code, "terminal_id": terminal, "document_public_key": document_key}
        with httpx.Client(transport=httpx.HTTPTransport(local_address=next(sources)), timeout=30) as client:
            return client.post(f"{centre.url}/v1/enrolments", json=body)

    code = centre.process.enrolment_code
    taken = report.takeovers
    taken["unbound code re-keys an enrolled terminal"] = int(enrol(code("370302"), VICTIM).status_code == 201)
    taken["unbound code of another division re-keys it"] = int(
        enrol(code("370303"), VICTIM).status_code == 201
    )
    taken["code bound to another terminal re-keys it"] = int(
        enrol(code("370302", OTHER), VICTIM).status_code == 201
    )
    taken["bound code of another division re-keys it"] = int(
        enrol(code("370303", VICTIM), VICTIM).status_code == 201
    )
    used = code("370302")
    enrol(used, "ZC-370302-0500")
    taken["a used code enrols again"] = int(enrol(used, "ZC-370302-0501").status_code == 201)
    taken["any string as the document key"] = int(
        enrol(code("370302"), "ZC-370302-0502", "-----BEGIN PUBLIC KEY-----\nforged\n").status_code == 201
    )
    unknown = centre.signed("GET", "/v1/decisions?after=0", terminal="ZC-370302-9999", secret=b"x" * 32)
    taken["an unknown terminal is let in"] = int(unknown.status_code < 400)
    taken["a captured request replayed"] = _replayed(centre)
    taken["another terminal's case id taken"] = _case_id_taken(centre)
    taken["another terminal's partial upload changed"] = _partial_changed(centre)
    still = centre.signed("GET", "/v1/decisions?after=0").status_code == 200
    taken["the real terminal locked out"] = int(not still)


def _replayed(centre: Centre) -> int:
    from sync import auth

    body = json.dumps({"request_uuid": str(uuid.uuid4()), "size": 10}).encode()
    headers = auth.signed_headers(VICTIM, centre.secrets[VICTIM], "POST", "/v1/licence-blocks", body)
    headers["Content-Type"] = "application/json"
    first = httpx.post(f"{centre.url}/v1/licence-blocks", content=body, headers=headers, timeout=30)
    again = httpx.post(f"{centre.url}/v1/licence-blocks", content=body, headers=headers, timeout=30)
    return int(first.status_code == 200 and again.status_code < 400)


def _case_id_taken(centre: Centre) -> int:
    case_id = str(uuid.uuid4())

    def entry(kind: str) -> bytes:
        return json.dumps(
            {"entry_uuid": str(uuid.uuid4()), "case_id": case_id, "kind": kind, "seq": 1, "body": {}}
        ).encode()

    centre.signed("POST", "/v1/cases", entry("case"))
    return int(centre.signed("POST", "/v1/cases", entry("note"), terminal=OTHER).status_code < 400)


def _partial_changed(centre: Centre) -> int:
    data = os.urandom(200_000)
    digest = hashlib.sha256(data).hexdigest()

    def put(offset: int, length: int, chunk: bytes, terminal: str) -> httpx.Response:
        target = f"/v1/attachments/{digest}?offset={offset}&length={length}"
        return centre.signed("PUT", target, chunk, terminal=terminal, content_type="application/octet-stream")

    put(0, len(data), data[:100_000], VICTIM)
    put(0, 7, b"x", OTHER)  # another length: reset the victim's copy?
    put(100_000, len(data), os.urandom(100_000), OTHER)  # or complete it with other bytes?
    held = centre.signed("GET", f"/v1/attachments/{digest}").json()
    return int(held.get("received") != 100_000 or held.get("length") != len(data))


def run_centre_attacks(
    folder: Path, guess_seconds: float = 60.0, attack_seconds: float = 8.0
) -> CentreReport:
    """All the attacks on a fresh server in `folder`; the server is stopped at the end."""
    report = CentreReport()
    centre = Centre(folder)
    try:
        unauthenticated_read(centre, report)
        largest_bodies(centre, report)
        takeovers(centre, report)
        health_under_attack(centre, report, attack_seconds)
        enrolment_guesses(centre, report, guess_seconds)
    finally:
        centre.stop()
    return report


def print_and_record(report: CentreReport) -> None:
    """Print the figures and keep them for BENCHMARKS.md."""
    from kiosk.devtools.benchmarks.figures import record
    from sync.server import limits

    read = report.unauthenticated_bytes_read
    print(f"centre: unauthenticated bytes read before the refusal: {read} (the head is {report.head_bytes})")
    record(
        "security",
        "centre: unauthenticated bytes read before refusing",
        read,
        "B",
        report.head_bytes,
        note="no signature, 512 MiB announced: refused after the head",
    )
    for route, (accepted, cap) in report.largest_body.items():
        print(f"centre: largest body accepted, {route}: {accepted:,} bytes (cap {cap:,})")
        record("security", f"centre: largest body accepted, {route}", accepted / 1024, "KiB", cap / 1024)
    print(f"centre: 48 MiB bodies accepted (announced, streamed): {report.big_body_accepted}")
    record(
        "security",
        "centre: 48 MiB bodies accepted",
        report.big_body_accepted,
        "",
        0,
        note="announced and streamed",
    )
    idle, attacked = report.health_idle_p99_ms, report.health_attack_p99_ms
    print(
        f"centre: /v1/health p99 {attacked:.2f} ms while 48 MiB bodies and {SLOW_CLIENTS} slow clients"
        f" arrive, {idle:.2f} ms idle ({report.health_ratio:.2f}×, {report.health_samples} requests)"
    )
    record(
        "security",
        "centre: /v1/health p99 under 48 MiB bodies and 40 slow clients, against idle",
        report.health_ratio,
        "×",
        5,
        baseline=f"idle p99 {idle:.2f} ms; under attack {attacked:.2f} ms",
    )
    print(
        f"centre: a byte-a-second client held at most {report.slow_held_max_s:.1f} s"
        f" ({report.slow_connections} connections)"
    )
    record(
        "security",
        "centre: a byte-a-second client held at most",
        report.slow_held_max_s,
        "s",
        limits.HEADER_SECONDS + 5,
        note=f"{report.slow_connections} slow connections",
    )
    per_minute = report.guesses_per_minute
    print(
        f"centre: enrolment guesses checked per minute from one source: {per_minute:.0f}"
        f" ({report.guesses_checked} of {report.guesses_tried} in {report.guess_seconds:.0f} s)"
    )
    record(
        "security",
        "centre: enrolment guesses checked per minute per source",
        per_minute,
        "",
        limits.ENROLMENT_BURST + limits.ENROLMENT_PER_MINUTE,
        note=f"{report.guesses_tried} tried in {report.guess_seconds:.0f} s",
    )
    for attempt, worked in report.takeovers.items():
        print(f"centre takeover, {attempt}: {'TAKEN' if worked else 'refused'}")
        record("security", f"centre takeover: {attempt}", worked, "", 0)


if __name__ == "__main__":
    import sys

    port, seconds = sys.argv[1:3]
    secret = bytes.fromhex(sys.stdin.readline().strip())
    print(json.dumps(attack_load(Target(int(port), secret), float(seconds))), flush=True)
