"""The `kiosk` command: what a terminal needs (run, migrate, sync, cases, items and the
catalogue, verify, diagnostics, staff, voices, face-check, check-config). The developer
commands are `python -m kiosk.devtools` (kiosk/devtools/cli.py), left out of a terminal.

Slightly over 500 lines because each of the twelve subcommands keeps its parser and its
handler side by side here; a file per command would scatter the one-line handlers."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from forms.privacy import mask_text
from kiosk.config import ConfigError, KioskConfig, load_config


def config_from_args(args: argparse.Namespace) -> KioskConfig:
    """The configuration a command names (--config, --data-dir), else the defaults."""
    config = load_config(Path(args.config) if getattr(args, "config", None) else None)
    if getattr(args, "data_dir", None):
        config = replace(config, data_dir=Path(args.data_dir))
    return config




def run_window(
    config: KioskConfig, orientation: str, scale: float = 1.0, fullscreen: bool = False, service: bool = False
) -> int:
    """Open the kiosk window on this configuration and run it until it closes (exit status)."""
    from kiosk.ui.app import LANDSCAPE, PORTRAIT, application, open_window

    def build_services(config: KioskConfig):  # noqa: ANN202 (imported late: after the first frame)
        from kiosk.services import build_services as build

        return build(config)

    app = application()
    size = LANDSCAPE if orientation == "landscape" else PORTRAIT
    kiosk = open_window(config, lambda: build_services(config), (int(size[0] * scale), int(size[1] * scale)))
    if fullscreen:
        kiosk.window.showFullScreen()
    else:  # the demo's window on a developer's desktop: its close button works
        kiosk.window.setProperty("allowClose", True)
    from kiosk.ui.admin_controller import RESTART_EXIT_CODE

    # A technician's 重启 from admin mode: leave with the code the service unit restarts on.
    kiosk.admin.restartRequested.connect(lambda: app.exit(RESTART_EXIT_CODE))
    heartbeat = None
    if service:
        from kiosk.ui.service_heartbeat import ServiceHeartbeat

        heartbeat = ServiceHeartbeat(lambda: kiosk.controller.services is not None, app.exit)
        kiosk.controller.changed.connect(heartbeat.check_ready)
        kiosk.controller.startFailed.connect(heartbeat.start_failed)
    code = app.exec()
    if heartbeat is not None:
        heartbeat.stopping()
    services = kiosk.controller.services
    kiosk.close()
    if services is not None:
        services.close()
    return code


def cmd_run(args: argparse.Namespace) -> int:
    """Production start: full screen on the terminal's display (with --check: start offscreen,
    wait for the services, and exit 0 when the kiosk would run)."""
    from kiosk.ui.app import prepare_environment

    config = config_from_args(args)
    if args.check:
        return _check_start(config)
    prepare_environment(headless=False)
    return run_window(config, args.orientation, fullscreen=True, service=True)


def _check_start(config: KioskConfig) -> int:
    """The installer's 'does this release start?': the real window and services, offscreen."""
    from kiosk.ui.app import prepare_environment

    prepare_environment(headless=True)
    from kiosk.ui.start_check import check_start

    started, reason = check_start(config)
    print("ok: the kiosk starts" if started else f"the kiosk does not start: {reason}")
    return 0 if started else 1


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring the store to this release's schema (the installer's upgrade runs it)."""
    import sqlite3

    from kiosk.core.migrations import LATEST, current_version
    from kiosk.core.store import Store

    config = config_from_args(args)
    path = config.data_dir / "kiosk.sqlite3"
    before = 0
    if path.exists():
        conn = sqlite3.connect(path)
        try:
            before = current_version(conn)
        finally:
            conn.close()
    if before > LATEST:
        print(f"the store is at schema {before}, newer than this release's {LATEST}: not touched")
        return 2
    try:
        Store.open(config.data_dir).close()
    except sqlite3.Error as exc:
        print(f"migration failed at schema {before} → {LATEST}: {exc}")
        return 1
    print(f"store at schema {LATEST} (was {before})")
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    """List the cases in the store with their outbox state (personal data masked)."""
    from kiosk.core.cases import CaseRepository
    from kiosk.core.store import Store
    from sync import outbox

    config = config_from_args(args)
    store = Store.open(config.data_dir)
    try:
        cases = CaseRepository(store, config.terminal_id)
        rows: list[dict[str, Any]] = []
        for case in cases.all():
            with store.lock:
                entries = outbox.entries_for_case(store.conn, case.id)
            rows.append(
                {
                    "number": case.number,
                    "item": case.item_id,
                    "state": case.state.value,
                    "outcome": case.outcome,
                    "item_version": case.item_version,
                    "rules_version": case.rules_version,
                    "outbox": [{"uuid": e.entry_uuid, "state": e.state} for e in entries],
                    "applicant": case.summary.get("applicant_masked", ""),
                }
            )
        counts = store.table_counts()
    finally:
        store.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print(f"{len(rows)} cases; rows per table: {counts}")
        for r in rows:
            states = ",".join(e["state"] for e in r["outbox"]) or "none"
            print(
                mask_text(
                    f"{r['number']}  {r['state']:<16} {r['outcome']:<16} outbox={states}  {r['applicant']}"
                )
            )
    return 0


def cmd_item(args: argparse.Namespace) -> int:
    """Print one item's guide and rules, or list the items."""
    from forms.catalogue import load_catalogue
    from forms.layouts.guide_text import guide_text, rules_table

    items = load_catalogue(Path(args.items_dir)) if args.items_dir else load_catalogue()
    if not args.item:
        for item in items.values():
            network = " (需联网)" if item.network_required else ""
            print(f"{item.id:<36} {item.name}{network}  {item.version_label}  {len(item.rules)} 条规则")
        return 0
    if args.item not in items:
        print(f"no item '{args.item}'; known: {', '.join(items)}", file=sys.stderr)
        return 2
    item = items[args.item]
    print(guide_text(item))
    print()
    print(rules_table(item))
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    """Check the catalogue files, print the schema path, or run the scenarios' rule coverage."""
    from forms.catalogue import SCHEMA_FILE, ItemFileError, load_catalogue

    if args.schema:
        print(SCHEMA_FILE)
        return 0
    try:
        items = load_catalogue(Path(args.items_dir)) if args.items_dir else load_catalogue()
    except ItemFileError as exc:
        print(f"catalogue error:\n{exc}", file=sys.stderr)
        return 1
    print(f"{len(items)} items, {sum(len(i.rules) for i in items.values())} rules: all files check out")
    if args.coverage:
        return _coverage(items, Path(args.coverage))
    return 0


def _coverage(items: dict, scenarios_dir: Path) -> int:
    import tempfile

    from devices.demo_residents import demo_residents
    from forms.divisions import known_divisions
    from forms.facts import Applicant
    from forms.rules import Engine
    from forms.scenarios import format_coverage, load_scenarios, rule_coverage, run_scenario
    from kiosk.core.reference_store import SqliteReference, load_demo_reference, seed_scope_catalogue
    from kiosk.core.store import Store
    from kiosk.services import DEMO_REFERENCE

    division = known_divisions()["370302"]
    residents = {k: Applicant.from_mapping(card.as_applicant()) for k, (_, card) in demo_residents().items()}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp))
        seed_scope_catalogue(store)
        load_demo_reference(store, DEMO_REFERENCE)
        engine = Engine(SqliteReference(store), division.code, division.name)
        results = [
            run_scenario(
                engine,
                items[s.item_id],
                residents.get(s.resident),
                s,
                dt.date(2026, 11, 23),
                division.code,
                division.name,
            )
            for s in load_scenarios(scenarios_dir)
        ]
        store.close()
    for r in results:
        if r.problem:
            print(f"SCENARIO FAILS  {r.scenario.source}: {r.scenario.name}: {r.problem}")
    coverage = rule_coverage(items, results)
    print(format_coverage(coverage))
    return 0 if all(c.fired_by for c in coverage) and not any(r.problem for r in results) else 1


def cmd_verify(args: argparse.Namespace) -> int:
    """Check a document's QR payload offline against a terminal's public key."""
    from devices.qr import decode_qr_image, decode_qr_pdf
    from forms.verification import verify_payload
    from kiosk.core.signing_key import signing_key_loader
    from sync.keys import load_public_key, public_key_pem

    config = config_from_args(args)
    if args.public_key:
        public = load_public_key(Path(args.public_key).read_bytes())
    else:
        private = signing_key_loader(config.data_dir)()  # never a new key on an enrolled terminal
        if args.export_public_key:
            print(public_key_pem(private), end="")
            return 0
        public = private.public_key()
    if args.image:
        path = Path(args.image)
        payloads = decode_qr_pdf(path) if path.suffix.lower() == ".pdf" else decode_qr_image(path)
        if not payloads:
            print(f"no QR code found in {path}", file=sys.stderr)
            return 1
    elif args.payload:
        payloads = [args.payload]
    else:
        print("give a payload or --image FILE", file=sys.stderr)
        return 2
    ok = True
    for payload in payloads:
        body = verify_payload(payload, public)
        if body is None:
            ok = False
            print(
                "INVALID: the signature does not verify with this key (forged, altered or another terminal's)"
            )
        else:
            issued = f"issued {body['at']} by terminal {body['k']}"
            print(f"valid: {body['t']} {body['n']} {issued} (fields {body['h']})")
    return 0 if ok else 1






def cmd_diagnostics(args: argparse.Namespace) -> int:
    """Write the diagnostics bundle (masked logs, configuration without secrets, device report)."""
    from kiosk.admin.diagnostics import usb_folder, write_bundle, write_refusal_bundle
    from kiosk.core.refusal import TerminalRefusedError
    from kiosk.services import build_services

    config = config_from_args(args)
    folder = Path(args.out) if args.out else usb_folder() or config.data_dir / "diagnostics"
    try:
        services = build_services(config)
    except TerminalRefusedError as refused:  # the bundle is most wanted when the terminal refuses
        path = write_refusal_bundle(config, refused, folder)
        print(f"the kiosk refuses to start ({refused.check}: {refused.path}); diagnostics written to {path}")
        return STORE_PROBLEM
    try:
        path = write_bundle(services, folder)
    finally:
        services.close()
    print(f"diagnostics bundle written to {path}")
    return 0


def cmd_staff(args: argparse.Namespace) -> int:
    """List the terminal's staff, or enrol one (the PIN is asked for, never passed as an argument)."""
    import getpass

    from kiosk.admin.staff import ROLE_NAMES, StaffError, StaffRegistry
    from kiosk.core.store import Store

    store = Store.open(config_from_args(args).data_dir)
    try:
        registry = StaffRegistry(store)
        if args.action == "list":
            for member in registry.members():
                print(f"{member.staff_id:<12} {member.name:<10} {ROLE_NAMES[member.role]}")
            return 0
        pin = getpass.getpass("PIN: ")
        if getpass.getpass("PIN again: ") != pin:
            print("the two PINs differ", file=sys.stderr)
            return 2
        key = bytes.fromhex(Path(args.card_key_file).read_text().strip()) if args.card_key_file else None
        try:
            registry.add(args.id, args.name, args.role, pin, key)
        except StaffError as exc:
            print(f"not added: {exc}", file=sys.stderr)
            return 2
        print(f"{args.id} enrolled as {args.role}" + (" with a staff card" if key else " (PIN only)"))
        return 0
    finally:
        store.close()


def cmd_voices(args: argparse.Namespace) -> int:
    """Make the voice prompts' sound files from their texts (quick when they are up to date)."""
    from kiosk.voice import GENERATED, make_voice_files

    made = make_voice_files(Path(args.out) if args.out else GENERATED)
    print(f"{len(made)} voice prompt(s) made" if made else "voice prompts up to date")
    return 0


def cmd_check_config(args: argparse.Namespace) -> int:
    """Check a configuration file and say what is wrong with it."""
    config = load_config(Path(args.path))
    print(f"ok: terminal {config.terminal_id}, {config.hall_name}, division {config.division_code}")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """Send the outbox to the central platform now (one sync at a time, whoever asks)."""
    from kiosk.core.store import Store
    from sync.client import CentralClient, OutboxPusher
    from sync.credentials import load_secret, secret_path, tls_verify
    from sync.runner import SyncRunner

    config = config_from_args(args)
    secret = load_secret(config.data_dir)
    if secret is None:
        print(f"not enrolled: no {secret_path(config.data_dir)} (the installer's enrolment writes it)")
        return 2
    store = Store.open(config.data_dir)
    client = CentralClient(
        args.central or config.central_url,
        config.terminal_id,
        secret,
        args.timeout,
        verify=tls_verify(config.data_dir),
    )
    try:
        runner = SyncRunner(OutboxPusher(store, client, args.batch), config.data_dir / "sync.lock")
        report = runner.drain()
        print(
            f"sent {report.sent}, parked {report.parked}, failed {report.failed} {report.last_error}".rstrip()
        )
        return 0 if report.clean else 1
    finally:
        client.close()
        store.close()




def cmd_face_check(args: argparse.Namespace) -> int:
    """Compare a reference photo with live pictures or a video: score, liveness, decision."""
    from devices.face.files import run_face_check

    return run_face_check(Path(args.reference), [Path(p) for p in args.live], args.order)




def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="kiosk", description="Township self-service kiosk (乡镇便民服务终端)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the kiosk full screen")
    run.add_argument("--check", action="store_true", help="start offscreen and exit: 0 when it would run")
    run.add_argument("--config", help="configuration file (TOML)")
    run.add_argument("--orientation", choices=["portrait", "landscape"], default="portrait")
    run.add_argument("--data-dir", help="the terminal's data folder (default: the configuration's)")
    run.set_defaults(func=cmd_run)
    migrate = sub.add_parser("migrate", help="bring the store to this release's schema (upgrades run it)")
    migrate.add_argument("--config", help="configuration file (TOML)")
    migrate.add_argument("--data-dir", help="the terminal's data folder (default: the configuration's)")
    migrate.set_defaults(func=cmd_migrate)
    cases = sub.add_parser("cases", help="list stored cases and their outbox state")
    cases.add_argument("--config")
    cases.add_argument("--data-dir")
    cases.add_argument("--json", action="store_true")
    cases.set_defaults(func=cmd_cases)
    sync = sub.add_parser("sync", help="send the outbox to the central platform now")
    sync.add_argument("--config")
    sync.add_argument("--data-dir")
    sync.add_argument("--central", help="the platform's URL (default: central_url in the configuration)")
    sync.add_argument("--timeout", type=float, default=10.0)
    sync.add_argument("--batch", type=int, default=100, help="entries per request (smaller on a poor link)")
    sync.set_defaults(func=cmd_sync)
    item = sub.add_parser("item", help="print an item's guide and rules (no id: list the items)")
    item.add_argument("item", nargs="?")
    item.add_argument("--items-dir", help="a folder of item files (default: the shipped catalogue)")
    item.set_defaults(func=cmd_item)
    catalogue = sub.add_parser("catalogue", help="check the item files; rule coverage of the scenarios")
    catalogue.add_argument("--items-dir", help="a folder of item files (default: the shipped catalogue)")
    catalogue.add_argument(
        "--coverage", metavar="SCENARIOS_DIR", help="run the scenarios, report rule coverage"
    )
    catalogue.add_argument(
        "--schema", action="store_true", help="print the path of the item files' JSON Schema"
    )
    catalogue.set_defaults(func=cmd_catalogue)
    verify = sub.add_parser("verify", help="check a document's QR payload offline (text, image or PDF)")
    verify.add_argument("payload", nargs="?", help="the decoded QR text")
    verify.add_argument("--image", help="a photo, scan or PDF of the document")
    verify.add_argument(
        "--public-key", help="the issuing terminal's public key (PEM); default: this terminal's"
    )
    verify.add_argument("--export-public-key", action="store_true", help="print this terminal's public key")
    verify.add_argument("--config")
    verify.add_argument("--data-dir")
    verify.set_defaults(func=cmd_verify)
    diagnostics = sub.add_parser(
        "diagnostics", help="a diagnostics bundle for a technician: masked logs, configuration, device report"
    )
    diagnostics.add_argument("--out", help="where to write it (default: a USB drive, else data/diagnostics)")
    diagnostics.add_argument("--config", help="the terminal configuration")
    diagnostics.add_argument("--data-dir", help="the terminal's data folder")
    diagnostics.set_defaults(func=cmd_diagnostics)
    staff = sub.add_parser("staff", help="list or enrol the hall staff and technicians of admin mode")
    staff.add_argument("action", choices=["list", "add"])
    staff.add_argument("--id", help="staff id, e.g. ZC-07")
    staff.add_argument("--name")
    staff.add_argument("--role", choices=["staff", "technician"], default="staff")
    staff.add_argument("--card-key-file", help="the staff card's key (64 hex digits); none: PIN only")
    staff.add_argument("--config", help="the terminal configuration")
    staff.add_argument("--data-dir", help="the terminal's data folder")
    staff.set_defaults(func=cmd_staff)
    voices = sub.add_parser("voices", help="make the voice prompts' sound files (espeak-ng, ahead of time)")
    voices.add_argument("--out", help="folder for the files (default: assets/voice/generated)")
    voices.set_defaults(func=cmd_voices)
    check = sub.add_parser("check-config", help="validate a configuration file")
    check.add_argument("path")
    check.set_defaults(func=cmd_check_config)
    face = sub.add_parser(
        "face-check",
        help="compare a reference photo with live pictures or a video (score, liveness); exit 0 on a pass",
    )
    face.add_argument("reference", help="the reference photo (e.g. the ID card's, decoded)")
    face.add_argument("live", nargs="+", help="live pictures in order (frames), or one video file")
    face.add_argument(
        "--order", default="any", help="the challenge order asked: blink,turn | turn,blink | any (default)"
    )
    face.set_defaults(func=cmd_face_check)
    return parser


STORE_PROBLEM = 3  # exit status: the store or a key cannot be used (the line says which, and why)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kiosk` command: one clear line, never a traceback, for a bad
    configuration (2) or a store or key that cannot be used (3)."""
    import sqlite3

    from cryptography.exceptions import InvalidTag

    from kiosk.core.refusal import TerminalRefusedError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except TerminalRefusedError as exc:
        line = f"kiosk {args.command}: {exc.technician} ({exc.check}: {exc.path}: {exc.detail})"
        print(line, file=sys.stderr)
        return STORE_PROBLEM
    except sqlite3.Error as exc:
        print(f"kiosk {args.command}: the store {_store_path(args)} cannot be used: {exc}", file=sys.stderr)
        return STORE_PROBLEM
    except InvalidTag:
        print(
            f"kiosk {args.command}: a sealed entry in {_store_path(args)} does not open with this "
            "terminal's store key (keys/store.key): it was damaged or sealed with another key",
            file=sys.stderr,
        )
        return STORE_PROBLEM
    except OSError as exc:
        print(f"kiosk {args.command}: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return STORE_PROBLEM


def _store_path(args: argparse.Namespace) -> str:
    try:
        return str(config_from_args(args).data_dir / "kiosk.sqlite3")
    except ConfigError:
        return "kiosk.sqlite3"


if __name__ == "__main__":
    sys.exit(main())
