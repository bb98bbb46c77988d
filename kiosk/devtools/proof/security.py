"""Security figures, measured by attacking a real terminal's files and gate, and a real central
server on loopback:

- at rest: after residents are served, the raw SQLite file (and its WAL) holds none of their
  names (UTF-8, UTF-16, GB18030), ID numbers or phone numbers in clear;
- logs: the kiosk's JSON-lines log holds none of them either;
- admin brute force: how many PINs an attacker can try in a day through the real gate;
- updates: an unsigned, a re-signed-by-another-key and a tampered update are all refused;
- the centre (kiosk/devtools/benchmarks/centre_attacks.py): unauthenticated bytes it reads before refusing,
  the largest body each route accepts, /v1/health's p99 while 48 MiB bodies and 40 slow clients
  arrive, enrolment guesses per minute per source, and every takeover attempt refused.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.devtools.benchmarks.centre_attacks import CentreReport

DAY = 86_400


@dataclass
class SecurityReport:
    """What the attacks found."""

    residents: int = 0
    secrets_sought: int = 0
    found_at_rest: list[str] = field(default_factory=list)
    found_in_logs: list[str] = field(default_factory=list)
    log_lines: int = 0
    guesses_per_day: int = 0
    years_to_half_the_pins: float = 0.0
    updates_refused: dict[str, str] = field(default_factory=dict)
    centre: CentreReport | None = None

    @property
    def clean(self) -> bool:
        """True when nothing leaked, every forged update was refused and the centre held."""
        centre_held = self.centre is None or self.centre.clean
        return (
            not self.found_at_rest
            and not self.found_in_logs
            and all(self.updates_refused.values())
            and centre_held
        )


def _forms(text: str) -> list[bytes]:
    """The ways a text can sit in a file."""
    return [text.encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be", "gb18030")]


def scan_at_rest_and_logs(folder: Path, residents: int, report: SecurityReport) -> None:
    """Serve residents, then search the store's raw bytes and the log for their personal data."""
    from kiosk.config import config_from_dict
    from kiosk.devtools.proof.journeys import registration
    from kiosk.logs import configure_logging
    from kiosk.services import build_services

    data = folder / "terminal"
    configure_logging(data / "logs")
    config = config_from_dict(
        {"data_dir": str(data), "central_url": "http://127.0.0.1:9", "voice_prompts": False, "demo": True}
    )
    services = build_services(config, spool_dir=folder / "spool")
    rng = random.Random(11)
    secrets: set[str] = set()
    try:
        for _ in range(residents):
            seen = registration(services, rng)
            personal = services.cases.personal(seen.case_id)
            applicant = personal["applicant"]
            secrets.update(
                {applicant["name"], applicant["id_number"], personal.get("answers", {}).get("phone", "")}
            )
        services.store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        services.close()
    secrets.discard("")
    report.residents, report.secrets_sought = residents, len(secrets)
    raw = b"".join(path.read_bytes() for path in sorted(data.glob("kiosk.sqlite3*")))
    logs = b"".join(path.read_bytes() for path in sorted((data / "logs").glob("*.jsonl*")))
    report.log_lines = logs.count(b"\n")
    report.found_at_rest = leaks(raw, secrets)
    report.found_in_logs = leaks(logs, secrets)


def leaks(blob: bytes, secrets: set[str]) -> list[str]:
    """The secrets found in `blob` in any usual encoding, shown only by their first two characters."""
    return [secret[:2] + "…" for secret in sorted(secrets) if any(form in blob for form in _forms(secret))]


def brute_force(folder: Path, report: SecurityReport) -> None:
    """Guess PINs against the real gate on a clock the attacker moves: as many as it lets through."""
    from kiosk.admin.gate import AdminGate
    from kiosk.admin.staff import StaffRegistry
    from kiosk.config import AdminConfig
    from kiosk.core.store import Store

    class Clock:
        now = 1_000_000.0

        def __call__(self) -> float:
            return self.now

    clock = Clock()
    store = Store.open(folder / "gate")
    try:
        StaffRegistry(store).add("ZC-07", "李娜", "staff", "246813", None)
        gate = AdminGate(store, AdminConfig(pin_only=True), None, clock)
        start, tried, guess = clock.now, 0, 0
        while clock.now - start < DAY:
            wait = gate.lockout.seconds_left()
            if wait:
                clock.now += wait
                continue
            if f"{guess:06d}" != "246813":
                gate.unlock(f"{guess:06d}")
                tried += 1
            guess += 1
    finally:
        store.close()
    report.guesses_per_day = tried
    report.years_to_half_the_pins = 500_000 / tried / 365


def forged_updates(report: SecurityReport) -> None:
    """Every way to forge an update, against the kiosk's own check."""
    import copy

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync.updates import sign_update, verify_update

    centre, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    genuine = sign_update("dishonesty_list", 2, {"entries": ["a"]}, centre)
    tampered = copy.deepcopy(genuine)
    tampered["content"]["entries"].append("b")
    unsigned = {k: v for k, v in genuine.items() if k != "signature"}
    key = centre.public_key()
    assert verify_update(genuine, key) == ""  # the check accepts what the centre signed
    report.updates_refused = {
        "unsigned": verify_update(unsigned, key),
        "signed by another key": verify_update(
            sign_update("dishonesty_list", 2, {"entries": ["a"]}, other), key
        ),
        "content changed after signing": verify_update(tampered, key),
        "version changed after signing": verify_update({**genuine, "version": 3}, key),
    }


def run_security(
    folder: Path, residents: int = 60, guess_seconds: float = 60.0, attack_seconds: float = 8.0
) -> SecurityReport:
    """All the attacks; the centre's enrolment guessing runs for `guess_seconds` and its load
    for `attack_seconds` (each bounded)."""
    from kiosk.devtools.benchmarks.centre_attacks import run_centre_attacks

    report = SecurityReport()
    scan_at_rest_and_logs(folder, residents, report)
    brute_force(folder, report)
    forged_updates(report)
    report.centre = run_centre_attacks(folder / "centre", guess_seconds, attack_seconds)
    return report


def main(residents: int = 60) -> int:
    """`python -m kiosk.devtools prove security`: print the figures; exit 1 if anything leaked
    or was accepted."""
    from kiosk.devtools.benchmarks.centre_attacks import print_and_record
    from kiosk.devtools.benchmarks.figures import record

    with tempfile.TemporaryDirectory(prefix="kiosk-security-") as tmp:
        report = run_security(Path(tmp), residents)
    sought = report.secrets_sought
    print(f"security: {report.residents} residents served, {sought} names, ID and phone numbers sought")
    print(f"in clear in the store's raw file (and WAL): {len(report.found_at_rest)} {report.found_at_rest}")
    print(f"in the log ({report.log_lines} lines): {len(report.found_in_logs)} {report.found_in_logs}")
    years = report.years_to_half_the_pins
    print(f"admin PIN guesses an attacker gets in 24 h through the gate: {report.guesses_per_day}")
    print(f"at that rate half the 6-digit PINs take {years:,.0f} years (PIN alone, no staff card)")
    for forgery, verdict in report.updates_refused.items():
        print(f"update {forgery}: {'refused (' + verdict + ')' if verdict else 'ACCEPTED'}")
    record(
        "security",
        "personal data in clear in the store's raw file",
        len(report.found_at_rest),
        "",
        0,
        note=f"{report.secrets_sought} sought after {report.residents} residents",
    )
    record(
        "security",
        "personal data in the log",
        len(report.found_in_logs),
        "",
        0,
        note=f"{report.log_lines} lines",
    )
    record(
        "security",
        "admin PIN guesses per day through the gate",
        report.guesses_per_day,
        "",
        None,
        note=f"half the PINs: {report.years_to_half_the_pins:,.0f} years",
    )
    record(
        "security",
        "forged updates accepted",
        sum(1 for v in report.updates_refused.values() if not v),
        "",
        0,
        note=f"{len(report.updates_refused)} kinds of forgery",
    )
    if report.centre is not None:
        print_and_record(report.centre)
    return 0 if report.clean else 1
