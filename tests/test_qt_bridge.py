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
    assert out.returncode != 3, f"the probe found lost references: {out.stdout}"
    assert out.returncode == 0, (
        f"the probe died with status {out.returncode} (the PySide bool refcount bug?): "
        f"stdout {out.stdout[-400:]!r}, stderr {out.stderr[-800:]!r}"
    )
