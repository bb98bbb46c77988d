"""`kiosk-central`: run the reference central platform, enrol terminals, print the OpenAPI file."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

DEFAULT_DB = Path("var/central/central.db")


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the API until interrupted."""
    import uvicorn

    from sync.server.app import create_app
    from sync.server.db import CentralStore

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    store = CentralStore(Path(args.db))
    try:
        uvicorn.run(create_app(store), host=args.host, port=args.port, log_level="warning", access_log=False)
    finally:
        store.close()
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    """Register a terminal and print its secret once (hex), for the installer to store."""
    from sync.server.db import CentralStore

    store = CentralStore(Path(args.db))
    try:
        print(store.enrol(args.terminal_id, args.division).hex())
    finally:
        store.close()
    return 0


def cmd_openapi(_: argparse.Namespace) -> int:
    """Print the OpenAPI description (the committed sync/openapi.json is this output)."""
    print(json.dumps(openapi(), ensure_ascii=False, indent=2, sort_keys=True))
    return 0


def openapi() -> dict:
    """The OpenAPI description of the API."""
    import tempfile

    from sync.server.app import create_app
    from sync.server.db import CentralStore

    with tempfile.TemporaryDirectory() as folder:
        store = CentralStore(Path(folder) / "schema.db")
        try:
            return create_app(store).openapi()
        finally:
            store.close()


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="kiosk-central", description="Reference central platform")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the API")
    serve.add_argument("--db", default=str(DEFAULT_DB))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470)
    serve.set_defaults(func=cmd_serve)
    enrol = sub.add_parser("enrol", help="register a terminal; prints its secret")
    enrol.add_argument("terminal_id")
    enrol.add_argument("--division", required=True, help="6-digit division code")
    enrol.add_argument("--db", default=str(DEFAULT_DB))
    enrol.set_defaults(func=cmd_enrol)
    sub.add_parser("openapi", help="print the OpenAPI description").set_defaults(func=cmd_openapi)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
