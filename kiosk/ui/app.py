"""The Qt application: environment, font check, the QML engine and the kiosk window."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine

from kiosk.config import KioskConfig
from kiosk.ui.admin_controller import AdminController
from kiosk.ui.controllers.journey import JourneyController

if TYPE_CHECKING:  # the QtQuick Python binding costs ~30 ms at start-up; QML does not need it
    from PySide6.QtQuick import QQuickWindow

    from kiosk.services import KioskServices

QML_DIR = Path(__file__).parent / "qml"
# Noto Sans CJK first: it has a real bold face, so titles stand out from labels (WenQuanYi has
# none, and Qt's synthetic bold on it is barely visible). WenQuanYi stays as the fallback.
CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


class MissingFontError(RuntimeError):
    """No CJK font: Qt would draw boxes instead of Chinese, silently."""


def prepare_environment(headless: bool) -> None:
    """Set what Qt reads at start: the virtual keyboard, the Basic style, offscreen if headless."""
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def has_display() -> bool:
    """True when a window can be shown (X11 or Wayland, or a platform chosen explicitly)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and platform != "offscreen":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and platform != "offscreen"


def application() -> QGuiApplication:
    """The one QGuiApplication, with a CJK font as the default (checked, never assumed)."""
    existing = QGuiApplication.instance()
    app = existing if isinstance(existing, QGuiApplication) else QGuiApplication(sys.argv[:1])
    family = cjk_family()
    app.setFont(QFont(family, 16))
    return app


def cjk_family() -> str:
    """The first installed CJK font family; raises MissingFontError naming the package."""
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            return family
    raise MissingFontError("no CJK font installed: install the Debian package fonts-noto-cjk")


def has_bold_face(family: str) -> bool:
    """True when the family ships a bold face of its own (not one Qt would synthesise)."""
    return any("Bold" in style for style in QFontDatabase.styles(family))


class _TouchFilter(QObject):
    """Any press anywhere restarts the idle timer."""

    def __init__(self, controller: JourneyController, admin: AdminController) -> None:
        super().__init__()
        self.controller, self.admin = controller, admin

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Notice presses; never consume them."""
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress):
            self.controller.touch()
            self.admin.touch()
        return False


def root_window(engine: QQmlApplicationEngine) -> QQuickWindow:
    """The window the engine just loaded (its root is a Window); raises if the QML did not load."""
    roots = engine.rootObjects()
    if not roots:
        raise RuntimeError("the QML failed to load (see the Qt warnings above)")
    # A cast, not isinstance: importing the QtQuick binding here would cost the start-up ~30 ms.
    return cast("QQuickWindow", roots[0])


@dataclass
class KioskWindow:
    """The running UI: engine, controller and window kept together (and alive)."""

    engine: QQmlApplicationEngine
    controller: JourneyController
    window: QQuickWindow
    touch_filter: _TouchFilter
    admin: AdminController

    def close(self) -> None:
        """Close the window and destroy the QML engine before the controller it binds to."""
        self.admin.shutdown()
        self.controller.shutdown()
        self.window.setProperty("allowClose", True)
        self.window.close()
        self.engine.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def open_window(
    config: KioskConfig,
    start: Callable[[], KioskServices],
    size: tuple[int, int] = PORTRAIT,
    clock: Callable[[], float] = time.monotonic,
) -> KioskWindow:
    """Show the home screen at `size`, then run `start` (store, devices) in the background.
    `clock` times the resident's idle countdown (tests pass one they move by hand).

    The resident sees the terminal before its services are up; the start button waits for them.
    """
    application()
    engine = QQmlApplicationEngine()
    controller = JourneyController(config, start, clock=clock)
    admin = AdminController(
        lambda: controller.services, config.admin.idle_lock_seconds, controller.start_assisting
    )
    for name, bound in controller.controllers().items():
        engine.rootContext().setContextProperty(name, bound)
    engine.rootContext().setContextProperty("admin", admin)
    # The dev dock (DevDock.qml) exists on a demo terminal only; QML checks for it.
    if controller.dock is None:
        engine.rootContext().setContextProperty("simulators", None)
    engine.load(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
    window = root_window(engine)
    window.resize(*size)
    touch_filter = _TouchFilter(controller, admin)
    window.installEventFilter(touch_filter)
    window.show()
    window.frameSwapped.connect(controller.finish_start, Qt.ConnectionType.SingleShotConnection)
    window.frameSwapped.connect(
        lambda: _serve_captures(engine, controller), Qt.ConnectionType.SingleShotConnection
    )
    # After the home screen is drawn, not before: the tidy-up must not delay it.
    tidy = QTimer(engine)  # a child of the engine: gone with it, never firing on a dead engine
    tidy.setSingleShot(True)
    tidy.setInterval(1000)
    tidy.timeout.connect(lambda: _tidy_after_session(engine))
    controller.sessionEnded.connect(tidy.start)
    return KioskWindow(engine, controller, window, touch_filter, admin)


def _tidy_after_session(engine: QQmlApplicationEngine) -> None:
    """Between residents, at the home screen: collect the QML heap's garbage and hand freed
    memory back to the system, so a terminal running all day stays at its morning size."""
    engine.collectGarbage()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the allocator keeps what it has
        pass


def _serve_captures(engine: QQmlApplicationEngine, controller: JourneyController) -> None:
    """Let the screens show the camera's pictures (after the first frame: QtQuick's Python
    binding costs start-up time the home screen does not need)."""
    from kiosk.ui.capture_images import CaptureImages

    engine.addImageProvider("capture", CaptureImages(controller.capture.picture))
