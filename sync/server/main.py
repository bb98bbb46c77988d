"""`kiosk-central`: run the reference central platform, enrol terminals, print the OpenAPI file.

Whatever a terminal supplied (case numbers, item names, notices, ids from an export) is printed
through sync/server/printable.py: a control character cannot clear the clerk's console or fake a
line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from sync.updates import KINDS

DEFAULT_DB = os.environ.get("KIOSK_CENTRAL_DB", "var/central/central.db")
DEFAULT_KEY = Path("var/central/centre_ed25519.pem")
DB_HELP = (
    "the centre's database: a SQLite file, or a postgresql://user@host/dbname URL"
    " (default: $KIOSK_CENTRAL_DB, else var/central/central.db)"
)


def attachments_folder(args: argparse.Namespace) -> Path:
    """Where attachment files live: as given, else beside a SQLite file, else var/central."""
    from sync.server.database import is_postgres_url

    if args.attachments:
        return Path(args.attachments)
    if is_postgres_url(args.db):
        return Path("var/central/attachments")
    return Path(args.db).parent / "attachments"


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the API until interrupted."""
    import uvicorn

    from sync.server.app import create_app
    from sync.server.db import CentralStore
    from sync.server.slow_clients import server_options

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from sync.keys import load_or_create_signing_key, public_key_pem
    from sync.server.attachments import AttachmentFiles
    from sync.server.database import describe

    store = CentralStore(args.db)
    logging.getLogger(__name__).info("central store: %s", describe(args.db))
    update_key = public_key_pem(load_or_create_signing_key(Path(args.key)))
    try:
        uvicorn.run(
            create_app(store, AttachmentFiles(attachments_folder(args)), update_public_key=update_key),
            host=args.host,
            port=args.port,
            log_level="warning",
            access_log=False,
            ssl_certfile=args.tls_cert,
            ssl_keyfile=args.tls_key,
            **server_options(),
        )
    finally:
        store.close()
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    """Register a terminal and print its secret once (hex), for the installer to store."""
    from sync.server.db import CentralStore

    store = CentralStore(args.db)
    try:
        print(store.enrol(args.terminal_id, args.division).hex())
    finally:
        store.close()
    return 0


def cmd_enrolment_code(args: argparse.Namespace) -> int:
    """Issue a one-time enrolment code for a technician (printed once; only its hash is kept)."""
    from sync.server.db import CentralStore
    from sync.server.enrolment import issue_code

    store = CentralStore(args.db)
    try:
        code = issue_code(store, args.division, args.terminal_id, int(args.valid_hours * 3600))
    finally:
        store.close()
    bound = f" for terminal {args.terminal_id}" if args.terminal_id else ""
    print(code)
    print(f"one use{bound}, division {args.division}, valid {args.valid_hours:g} h", file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Sign a content file (JSON) with the centre's key and publish it as the next version."""
    from sync.keys import load_or_create_signing_key
    from sync.server.db import CentralStore, publish_update
    from sync.updates import sign_update

    content = json.loads(Path(args.content).read_text(encoding="utf-8"))
    key = load_or_create_signing_key(Path(args.key))
    store = CentralStore(args.db)
    try:
        document = publish_update(
            store, args.kind, lambda version: sign_update(args.kind, version, content, key)
        )
    finally:
        store.close()
    print(f"published {args.kind} version {document['version']}")
    return 0


def cmd_public_key(args: argparse.Namespace) -> int:
    """Print the centre's public key (terminals keep it as <data_dir>/trust/central.pem)."""
    from sync.keys import load_or_create_signing_key, public_key_pem

    print(public_key_pem(load_or_create_signing_key(Path(args.key))), end="")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """The clerk's list of cases waiting for a decision."""
    from sync.server.db import CentralStore, review_queue
    from sync.server.printable import printable

    store = CentralStore(args.db)
    try:
        queue = review_queue(store)
    finally:
        store.close()
    for case in queue:
        notices = "；".join(printable(n, 200) for n in case["notices"])
        fields = (case["case_id"], case["number"], case["item"], case["applicant"])
        print("  ".join(printable(field, 100) for field in fields) + f"  {notices}")
    print(f"{len(queue)} case(s) waiting")
    return 0


def cmd_fleet(args: argparse.Namespace) -> int:
    """The terminals, those that need a person first and why; exit status 1 when any does."""
    from sync.server.db import CentralStore
    from sync.server.fleet import Thresholds, fleet, fleet_text

    limits = Thresholds(args.offline_minutes, args.stuck_hours, args.disk_low_mb)
    store = CentralStore(args.db)
    try:
        views = fleet(store, limits=limits)
    finally:
        store.close()
    if args.json:
        rows = [
            {"terminal_id": v.terminal_id, "division_code": v.division_code, "received_at": v.received_at,
             "problems": [{"code": p.code, "words": p.words} for p in v.problems], "heartbeat": v.heartbeat}
            for v in views
        ]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(fleet_text(views), end="")
    return 1 if any(v.problems for v in views) else 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    """Case numbers a terminal used for two different cases; exit status 1 when there are any."""
    from sync.server.db import CentralStore
    from sync.server.printable import printable

    store = CentralStore(args.db)
    try:
        found = store.number_conflicts()
    finally:
        store.close()
    for c in found:
        fields = (c["terminal_id"], c["number"], c["case_id"], "first:", c["first_case_id"], c["seen_at"])
        print("  ".join(printable(field, 100) for field in fields))
    print(f"{len(found)} case number(s) used twice")
    return 1 if found else 0


def cmd_serials(args: argparse.Namespace) -> int:
    """What each division has left of its licence serials; LOW (and exit status 1) below the
    warning level."""
    from sync.server.db import CentralStore
    from sync.server.licences import LOW_FRACTION

    store = CentralStore(args.db)
    try:
        spaces = store.serial_space()
    finally:
        store.close()
    for space in spaces:
        flag = "  LOW" if space.low else ""
        print(
            f"division {space.division_code}: {space.left:,} serials left"
            f" ({100 * space.fraction_left:.2f}%), {space.drawn:,} drawn{flag}"
        )
    low = [s.division_code for s in spaces if s.low]
    if low:
        print(f"warning: less than {100 * LOW_FRACTION:g}% left in {', '.join(low)}", file=sys.stderr)
    print(f"{len(spaces)} division(s)")
    return 1 if low else 0


def cmd_decide(args: argparse.Namespace) -> int:
    """Approve or return one case; a return needs a note telling the resident what to do."""
    from sync.server.db import CentralStore, ConflictError, record_decision
    from sync.server.printable import printable

    if args.decision == "return" and not args.note:
        print("a returned case needs --note: what the resident must bring or change")
        return 2
    store = CentralStore(args.db)
    try:
        seq = record_decision(store, args.case_id, args.decision == "approve", args.note or "", args.clerk)
    except KeyError:
        print(f"no case {printable(args.case_id, 64)}")
        return 1
    except ConflictError:
        print(f"case {printable(args.case_id, 64)} already has a decision")
        return 1
    finally:
        store.close()
    print(f"decision OD-{seq:08d} recorded; the terminal gets it at its next sync")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Take in a terminal's exported parked cases (as if uploaded: a replay changes nothing)."""
    from sync.parked_export import ExportError, export_terminal, open_export
    from sync.server.db import CentralStore, ConflictError
    from sync.server.printable import printable

    data = Path(args.file).read_bytes()
    store = CentralStore(args.db)
    try:
        terminal = export_terminal(data)
        secret = store.secrets().get(terminal)
        if secret is None:
            print(f"terminal {printable(terminal, 64)} is not enrolled here", file=sys.stderr)
            return 2
        uploads, refused = checked_entries(open_export(data, secret))
        outcomes = store.receive_cases(terminal, uploads)
    except ExportError as exc:
        print(f"not imported: {printable(exc, 300)}", file=sys.stderr)
        return 2
    finally:
        store.close()
    for entry, reason in refused:
        print(f"{printable(entry, 64)}  refused: {printable(reason, 300)}")
    for upload, outcome in zip(uploads, outcomes, strict=True):
        entry = printable(upload.entry_uuid, 64)
        if isinstance(outcome, ConflictError):
            print(f"{entry}  conflict: {outcome.message}")
        else:
            print(f"{entry}  {'stored' if outcome[1] else 'already held'}")
    print(f"{len(uploads) + len(refused)} entr(ies) from {printable(terminal, 64)}")
    return 0


def checked_entries(entries: list) -> tuple[list, list[tuple[str, str]]]:
    """An export's entries checked as an upload is: the ones to store, and (entry, why) for the
    others."""
    from pydantic import ValidationError

    from sync.protocol import CaseUpload
    from sync.server.case_schema import BodyShapeError, check_body
    from sync.server.db import Upload
    from sync.server.problems import describe_errors

    uploads, refused = [], []
    for raw in entries:
        entry = str(raw.get("entry_uuid", "?")) if isinstance(raw, dict) else "?"
        try:
            upload = CaseUpload.model_validate(raw)
            check_body(upload.kind, upload.body)
        except ValidationError as exc:
            refused.append((entry, describe_errors(exc.errors())))
            continue
        except BodyShapeError as exc:
            refused.append((entry, str(exc)))
            continue
        uploads.append(Upload(upload.entry_uuid, upload.case_id, upload.kind, upload.seq, upload.body))
    return uploads, refused


def cmd_openapi(_: argparse.Namespace) -> int:
    """Print the OpenAPI description (the committed sync/openapi.json is this output)."""
    print(json.dumps(openapi(), ensure_ascii=False, indent=2, sort_keys=True))
    return 0


def openapi() -> dict:
    """The OpenAPI description of the API."""
    import tempfile

    from sync.server.app import create_app
    from sync.server.attachments import AttachmentFiles
    from sync.server.db import CentralStore

    with tempfile.TemporaryDirectory() as folder:
        store = CentralStore(Path(folder) / "schema.db")
        try:
            return create_app(store, AttachmentFiles(Path(folder) / "attachments")).openapi()
        finally:
            store.close()


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="kiosk-central", description="Reference central platform")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the API")
    serve.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470)
    serve.add_argument("--tls-cert", help="serve https with this certificate chain (PEM)")
    serve.add_argument("--tls-key", help="the certificate's private key (PEM)")
    serve.add_argument(
        "--attachments", help="folder of attachment files (default: beside a SQLite file, else var/central)"
    )
    serve.add_argument(
        "--key", default=str(DEFAULT_KEY), help="the centre's Ed25519 update key (made if absent)"
    )
    serve.set_defaults(func=cmd_serve)
    enrol = sub.add_parser("enrol", help="register a terminal; prints its secret")
    enrol.add_argument("terminal_id")
    enrol.add_argument("--division", required=True, help="6-digit division code")
    enrol.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    enrol.set_defaults(func=cmd_enrol)
    code = sub.add_parser("enrolment-code", help="issue a one-time code a technician enrols a terminal with")
    code.add_argument("--division", required=True, help="6-digit division code the terminal serves")
    code.add_argument("--terminal-id", help="only this terminal id may use it")
    code.add_argument("--valid-hours", type=float, default=168.0, help="default: one week")
    code.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    code.set_defaults(func=cmd_enrolment_code)
    publish = sub.add_parser("publish", help="sign and publish an update (catalogue, name_registry, …)")
    publish.add_argument("kind", choices=list(KINDS))
    publish.add_argument("content", help="JSON file with the update's content")
    publish.add_argument("--key", default=str(DEFAULT_KEY), help="the centre's Ed25519 key (made if absent)")
    publish.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    publish.set_defaults(func=cmd_publish)
    public = sub.add_parser("public-key", help="print the centre's public key for terminals")
    public.add_argument("--key", default=str(DEFAULT_KEY))
    public.set_defaults(func=cmd_public_key)
    review = sub.add_parser("review", help="list the cases waiting for a clerk's decision")
    review.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    review.set_defaults(func=cmd_review)
    decide = sub.add_parser("decide", help="approve or return a case under review")
    decide.add_argument("case_id")
    decide.add_argument("decision", choices=["approve", "return"])
    decide.add_argument("--clerk", required=True, help="who decides (kept with the decision)")
    decide.add_argument("--note", default="", help="for the resident (required to return)")
    decide.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    decide.set_defaults(func=cmd_decide)
    serials = sub.add_parser("serials", help="licence serials each division has left (LOW when running out)")
    serials.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    serials.set_defaults(func=cmd_serials)
    conflicts = sub.add_parser("conflicts", help="case numbers used for two cases (a replaced store)")
    conflicts.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    conflicts.set_defaults(func=cmd_conflicts)
    imported = sub.add_parser("import", help="take in a terminal's exported parked cases")
    imported.add_argument("file")
    imported.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    imported.set_defaults(func=cmd_import)
    fleet = sub.add_parser("fleet", help="the terminals, those needing a person first (exit 1 if any)")
    fleet.add_argument("--db", default=DEFAULT_DB, help=DB_HELP)
    fleet.add_argument("--offline-minutes", type=float, default=30.0, help="silent this long: offline")
    fleet.add_argument("--stuck-hours", type=float, default=4.0, help="an unsent case this old: stuck")
    fleet.add_argument("--disk-low-mb", type=int, default=1024, help="less free disk than this: low")
    fleet.add_argument("--json", action="store_true", help="machine-readable, with the latest heartbeats")
    fleet.set_defaults(func=cmd_fleet)
    sub.add_parser("openapi", help="print the OpenAPI description").set_defaults(func=cmd_openapi)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
