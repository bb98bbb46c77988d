"""The Python–QML bridge keeps reference counts straight: PySide6 6.12.0 lost one reference to
True every time QML read a bool from Python, and a kiosk died ("bool_dealloc: deallocating True")
after a few hundred sessions. The probe runs in its own process so that such a crash is a
failure with a reason, not a lost test worker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).with_name("qt_bool_probe.py")


def test_qml_reading_bools_from_python_loses_no_reference_to_true() -> None:
    out = subprocess.run([sys.executable, str(PROBE)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"the probe died (the PySide bool refcount bug?): {out.stderr[-800:]}"
    results = [line.split()[1:] for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(results) == 1, f"no result from the probe: stdout {out.stdout!r}, stderr {out.stderr[-800:]!r}"
    change, reads = (int(n) for n in results[0])
    assert reads >= 6000, f"QML read the properties only {reads} times"
    assert change > -100, f"{-change} references to True lost in {reads} reads"
