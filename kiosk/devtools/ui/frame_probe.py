"""Child process of the sync benchmark: how long the UI thread takes between frames while the
outbox drains on a worker thread, against the same window idle (the baseline, same run).

`python -m kiosk.devtools.ui.frame_probe DATA_DIR CENTRAL_URL TERMINAL_ID` prints one JSON line:
idle and draining frame intervals (ms), the drain's duration and what it sent. The render loop
is the basic one, so frames are made on the UI thread and any stall there shows.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from PySide6.QtQuick import QQuickWindow

ANIMATED_QML = b"""
import QtQuick
Window {
    width: 1080; height: 1920; visible: true
    Rectangle {
        width: 400; height: 400; color: "#1f6feb"; anchors.centerIn: parent
        RotationAnimation on rotation { from: 0; to: 360; duration: 2000; loops: Animation.Infinite }
    }
    Text { text: "\\u6b63\\u5728\\u540c\\u6b65"; font.pixelSize: 60; x: 40 }
}
"""
IDLE_SECONDS = 3.0


def main(argv: list[str]) -> int:
    """Measure idle frames, then frames during a full drain; print the figures as JSON."""
    data_dir, central_url, terminal_id = Path(argv[0]), argv[1], argv[2]
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["QSG_RENDER_LOOP"] = "basic"
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine

    from kiosk.core.store import Store
    from sync.client import CentralClient, OutboxPusher
    from sync.credentials import load_secret
    from sync.runner import SyncRunner

    app = QGuiApplication(sys.argv[:1])
    engine = QQmlApplicationEngine()
    qml = data_dir / "frame_probe.qml"  # a file URL: loadData with a made-up scheme waits forever
    qml.write_bytes(ANIMATED_QML)
    engine.load(QUrl.fromLocalFile(str(qml)))
    window = cast("QQuickWindow", engine.rootObjects()[0])
    stamps: dict[str, list[float]] = {"idle": [], "draining": []}
    phase = {"name": "warm-up"}
    drain: dict[str, float | int] = {}

    def frame() -> None:
        if phase["name"] in stamps:
            stamps[phase["name"]].append(time.perf_counter())

    def run_drain() -> None:
        store = Store.open(data_dir)
        secret = load_secret(data_dir)
        assert secret is not None, "the benchmark terminal has no secret"
        client = CentralClient(central_url, terminal_id, secret, timeout=30)
        start = time.perf_counter()
        report = SyncRunner(OutboxPusher(store, client), data_dir / "sync.lock").drain(limit=500)
        drain.update(seconds=time.perf_counter() - start, sent=report.sent, failed=report.failed)
        client.close()
        store.close()
        phase["name"] = "done"

    def start_draining() -> None:
        phase["name"] = "draining"
        threading.Thread(target=run_drain, name="sync", daemon=True).start()

    def start_idle() -> None:
        phase["name"] = "idle"
        QTimer.singleShot(int(IDLE_SECONDS * 1000), start_draining)

    def quit_when_done() -> None:  # the drain thread has no event loop to post a quit to
        if phase["name"] == "done":
            app.quit()

    poll = QTimer()
    poll.setInterval(100)
    poll.timeout.connect(quit_when_done)
    poll.start()
    window.frameSwapped.connect(frame)
    QTimer.singleShot(1000, start_idle)
    app.exec()
    intervals = {
        name: [(b - a) * 1000 for a, b in zip(times, times[1:], strict=False)]
        for name, times in stamps.items()
    }
    print(json.dumps({"intervals_ms": intervals, "drain": drain}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
