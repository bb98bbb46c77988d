"""Child process of the start-up benchmark: start one UI and report when it is on screen.

`python -m kiosk.devtools.ui.startup_probe kiosk|baseline DATA_DIR` prints `FIRST_FRAME <ns>` (system-wide
monotonic clock) when the window's first frame has been rendered and, for the kiosk,
`READY <ns>` when its store and devices are open and the start button takes a touch.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from PySide6.QtQuick import QQuickWindow

BASELINE_QML = b"""
import QtQuick
import QtQuick.VirtualKeyboard
Window {
    width: 1080; height: 1920; visible: true
    Text { text: "\\u81ea\\u52a9\\u670d\\u52a1"; font.pixelSize: 60; anchors.centerIn: parent }
    InputPanel { width: parent.width; y: parent.height - height }
}
"""


def _stamp(label: str) -> None:
    print(f"{label} {time.monotonic_ns()}", flush=True)


def main(argv: list[str]) -> int:
    """Start the kiosk's home screen or the bare keyboard window and report its timings."""
    kind, data_dir = argv[0], Path(argv[1])
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    from PySide6.QtCore import Qt, QUrl
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine

    app = QGuiApplication(sys.argv[:1])
    if kind == "baseline":
        # A file URL: loadData with a made-up scheme makes the engine wait for a network load.
        qml = data_dir / "baseline.qml"
        qml.write_bytes(BASELINE_QML)
        engine = QQmlApplicationEngine()
        engine.load(QUrl.fromLocalFile(str(qml)))
        window = cast("QQuickWindow", engine.rootObjects()[0])

        def first_frame() -> None:
            _stamp("FIRST_FRAME")
            app.exit(0)

        window.frameSwapped.connect(first_frame, Qt.ConnectionType.SingleShotConnection)
        return app.exec()

    from dataclasses import replace

    from kiosk.config import KioskConfig
    from kiosk.ui.app import open_window

    config = replace(KioskConfig(), data_dir=data_dir)

    def start():  # noqa: ANN202
        from kiosk.services import build_services

        return build_services(config)

    kiosk = open_window(config, start)
    kiosk.window.frameSwapped.connect(lambda: _stamp("FIRST_FRAME"), Qt.ConnectionType.SingleShotConnection)

    def on_change() -> None:
        if kiosk.controller.ready:
            _stamp("READY")
            app.exit(0)  # not quit(): the kiosk window refuses a polite close

    kiosk.controller.changed.connect(on_change)
    code = app.exec()
    kiosk.close()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
