"""Run one proof harness in a process of its own, so that its memory and open files are its
own and not what the benchmarks before it left behind; its figures come back as JSON.

`python -m kiosk.devtools.benchmarks.apart crash|soak|security FIGURES.json [count]`
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from kiosk.devtools.benchmarks.figures import FIGURES, Figure

CRASH_SEED, SOAK_SEED = 20261201, 1


def run_apart(proof: str, count: int | None = None) -> int:
    """Run `proof` in a child process (its output shown as it comes); keep its figures here."""
    with tempfile.TemporaryDirectory(prefix="kiosk-proof-") as tmp:
        figures_file = Path(tmp) / "figures.json"
        argv = [sys.executable, "-m", "kiosk.devtools.benchmarks.apart", proof, str(figures_file)]
        if count is not None:
            argv.append(str(count))
        status = subprocess.run(argv, check=False).returncode
        if figures_file.exists():
            FIGURES.extend(Figure(**entry) for entry in json.loads(figures_file.read_text(encoding="utf-8")))
        else:
            print(f"{proof}: the child wrote no figures (exit {status})", file=sys.stderr)
    return status


def _child(proof: str, figures_file: Path, count: int | None) -> int:
    if proof == "crash":
        from kiosk.devtools.proof.crash import main as crash

        status = crash(count or 1000, CRASH_SEED)
    elif proof == "soak":
        from kiosk.devtools.proof.soak import main as soak

        status = soak(count or 10_000, SOAK_SEED)
    elif proof == "security":
        from kiosk.devtools.proof.security import main as security

        status = security()
    else:
        raise SystemExit(f"unknown proof {proof!r}")
    figures_file.write_text(json.dumps([asdict(f) for f in FIGURES], ensure_ascii=False), encoding="utf-8")
    return status


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(_child(arguments[0], Path(arguments[1]), int(arguments[2]) if len(arguments) > 2 else None))
