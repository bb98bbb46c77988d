"""The developer commands, run from a checkout: `python -m kiosk.devtools COMMAND`.

demo (the README's run command), screens, documents, prove and bench. The terminal's own
`kiosk` command (kiosk.cli) has only what a terminal needs.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from kiosk.cli import config_from_args, run_window


def cmd_demo(args: argparse.Namespace) -> int:
    """Demo mode: the window when there is a display, else the headless walkthrough."""
    from kiosk.devtools.demo_central import demo_central
    from kiosk.ui.app import has_display, prepare_environment

    config = replace(config_from_args(args), demo=True)
    headless = args.headless or not has_display()
    prepare_environment(headless)
    if not headless:
        with demo_central(config.data_dir.resolve().parent / "demo-central") as central:
            config = replace(config, central_url=central.url)
            central.enrol(config.data_dir, config.terminal_id, config.division_code)
            return run_window(config, args.orientation, scale=0.5)
    from kiosk.devtools.ui.walkthrough import run_walkthrough
    from kiosk.ui.app import application

    application()
    out_dir = Path(args.out).resolve()
    orientations = ["portrait", "landscape"] if args.orientation == "both" else [args.orientation]
    with demo_central(out_dir / "central") as central:
        config = replace(config, central_url=central.url)
        result = run_walkthrough(
            config,
            out_dir,
            orientations,
            keep_data=args.keep_data,
            enrol=lambda data_dir: central.enrol(data_dir, config.terminal_id, config.division_code),
        )
        received = central.cases_received(config.terminal_id)
    print(f"Walkthrough done; output in {out_dir}")
    print(f"  central     {received} case(s) received by the demo centre at {central.url} (now stopped)")
    for path in result.screenshots:
        print(f"  screenshot  {path}")
    for label, written in (
        ("licence", result.licence_pdf),
        ("receipt", result.receipt_bytes),
        ("receipt", result.receipt_png),
    ):
        print(f"  {label:<10}  {written if written else 'MISSING'}")
    return 0 if result.licence_pdf and result.receipt_bytes else 1


def cmd_documents(args: argparse.Namespace) -> int:
    """Render every document and receipt with sample data into one folder, as PDF and PNG."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.devtools.samples import render_all

    out = Path(args.out)
    for sample in render_all(out, Ed25519PrivateKey.generate(), args.dpi):
        pages = ", ".join(p.name for p in sample.pngs)
        print(f"{sample.name:<28} {sample.pdf.name if sample.pdf else '(ESC/POS)':<32} {pages}")
    print(f"written to {out.resolve()}")
    return 0


def cmd_screens(args: argparse.Namespace) -> int:
    """Write a screenshot of every resident screen, portrait and landscape, normal and elder mode."""
    from kiosk.ui.app import application, prepare_environment

    prepare_environment(headless=True)
    application()
    from kiosk.devtools.ui.atlas import MODES, write_atlas
    from kiosk.devtools.ui.walkthrough import SIZES

    out = Path(args.out).resolve()
    orientations = (args.orientation,) if args.orientation else tuple(SIZES)
    modes = (args.mode,) if args.mode else MODES
    problems: list[str] = []
    config = config_from_args(args)
    written = write_atlas(config, out, orientations=orientations, modes=modes, problems=problems)
    print(f"{len(written)} screenshots written to {out}")
    for problem in problems:
        print(f"  text does not fit: {problem}")
    if problems:
        print(f"{len(problems)} text(s) do not fit: the screens need work (kiosk/devtools/ui/text_fit.py)")
    return 1 if problems else 0


def cmd_prove(args: argparse.Namespace) -> int:
    """Run a proof harness and print its figures (exit 1 if a guarantee did not hold)."""
    if args.which == "crash":
        from kiosk.devtools.proof.crash import main as crash

        return crash(args.runs, args.seed)
    if args.which == "fuzz":
        import os
        import subprocess

        tests = Path(__file__).resolve().parents[2] / "tests" / "test_fuzz.py"
        env = {**os.environ, "KIOSK_FUZZ_PROFILE": "long", "QT_QPA_PLATFORM": "offscreen"}
        argv = [sys.executable, "-m", "pytest", str(tests), "-p", "no:cacheprovider", "-q"]
        return subprocess.run(argv, env=env, cwd=tests.parents[1]).returncode
    if args.which == "security":
        from kiosk.devtools.proof.security import main as security

        return security()
    if args.which == "soak":
        from kiosk.devtools.proof.soak import main as soak

        return soak(args.sessions, args.seed)
    raise SystemExit(f"unknown harness {args.which}")


def cmd_bench(args: argparse.Namespace) -> int:
    """Print the benchmark figures; with --markdown, also the proofs', all written to one file."""
    from kiosk.devtools.benchmarks import run

    markdown = Path(args.markdown) if args.markdown else None
    return run(args.which, args.runs, markdown, args.crash_runs, args.soak_sessions, args.merge)


def build_parser() -> argparse.ArgumentParser:
    """The developer commands."""
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.devtools", description="Township kiosk: developer tools (not on terminals)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="demo mode on simulated devices (headless: walkthrough + outputs)")
    demo.add_argument("--out", default="out/demo", help="output folder of the headless walkthrough")
    demo.add_argument("--headless", action="store_true", help="walkthrough even when a display exists")
    demo.add_argument("--orientation", choices=["portrait", "landscape", "both"], default="both")
    demo.add_argument("--keep-data", action="store_true", help="keep the terminal data of an earlier run")
    demo.add_argument("--config", help="configuration file (defaults are the demo terminal's)")
    demo.set_defaults(func=cmd_demo)
    documents = sub.add_parser(
        "documents", help="render every document and receipt (sample data) to PDF and PNG"
    )
    documents.add_argument("--out", default="out/documents")
    documents.add_argument("--dpi", type=int, default=100)
    documents.set_defaults(func=cmd_documents)
    screens = sub.add_parser(
        "screens", help="a screenshot of every resident screen: portrait/landscape, normal/elder mode"
    )
    screens.add_argument("--out", default="out/screens")
    screens.add_argument("--orientation", choices=("portrait", "landscape"), help="only this orientation")
    screens.add_argument("--mode", choices=("normal", "elder"), help="only this mode")
    screens.add_argument("--config", help="a terminal configuration (default: the demo terminal's)")
    screens.set_defaults(func=cmd_screens)
    prove = sub.add_parser(
        "prove", help="proof harnesses: crash (SIGKILL at random moments), soak, fuzz, security"
    )
    prove.add_argument("which", choices=["crash", "soak", "fuzz", "security"])
    prove.add_argument("--runs", type=int, default=1000, help="kills (crash); default 1000")
    prove.add_argument("--sessions", type=int, default=10_000, help="residents (soak); default 10,000")
    prove.add_argument("--seed", type=int, default=20261201)
    prove.set_defaults(func=cmd_prove)
    bench = sub.add_parser(
        "bench",
        help="benchmarks: startup, decide, card, documents, camera, ui, sync (figures; never fail on time)",
    )
    bench.add_argument(
        "which",
        nargs="?",
        choices=["all", "startup", "decide", "documents", "card", "camera", "ui", "sync", "security"],
        default="all",
    )
    bench.add_argument("--runs", type=int, default=7)
    bench.add_argument(
        "--markdown", help="also run the proof harnesses and write every figure to this file (BENCHMARKS.md)"
    )
    bench.add_argument(
        "--merge",
        action="store_true",
        help="with --markdown: no proofs; replace only the rows this run measured",
    )
    bench.add_argument("--crash-runs", type=int, default=1000, help="with --markdown: kills of the crash run")
    bench.add_argument("--soak-sessions", type=int, default=10_000, help="with --markdown: soak residents")
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m kiosk.devtools`."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
