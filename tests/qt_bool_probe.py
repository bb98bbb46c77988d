"""Run by tests/test_qt_bridge.py in a process of its own: QML bindings re-read a bool property
and a map holding a bool. It judges in-process and answers by exit status (0: no reference to
True lost and QML really read the properties; 3: not so), printing the figures for the reader.
The status, not the text, is the verdict: one CI run printed the figures with the word before
them missing, and a verdict should not depend on parsing text from a process under test."""

from __future__ import annotations

import gc
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Property, QObject, Signal  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtQml import QQmlApplicationEngine  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

READS = 3000


class Source(QObject):
    """A bool and a map with a bool, as the kiosk's controller exposes them."""

    changed = Signal()
    reads = 0

    def _flag(self) -> bool:
        Source.reads += 1
        return True

    def _map(self) -> dict:
        Source.reads += 1
        return {"flag": True}

    flag = Property(bool, _flag, notify=changed)
    info = Property("QVariantMap", _map, notify=changed)


def main() -> int:
    """Print the change in True's reference count and the reads QML made; 0 when both are right."""
    app = QGuiApplication(sys.argv[:1])
    source = Source()
    engine = QQmlApplicationEngine()
    engine.rootContext().setContextProperty("source", source)
    engine.loadData(b"import QtQuick\nWindow { Text { text: (source.flag ? 'a' : 'b') + (source.info.flag ? 'c' : 'd') } }")
    if not engine.rootObjects():
        raise SystemExit("the probe's QML did not load")
    QTest.qWait(50)
    gc.collect()
    before, reads_before = sys.getrefcount(True), Source.reads
    for _ in range(READS):
        source.changed.emit()
    QTest.qWait(50)
    gc.collect()
    change, reads = sys.getrefcount(True) - before, Source.reads - reads_before
    print(f"RESULT {change} {reads}", flush=True)
    del app
    if reads < 2 * READS:
        print(f"QML read the properties only {reads} times", flush=True)
        return 3
    if change <= -100:
        print(f"{-change} references to True lost in {reads} reads", flush=True)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
