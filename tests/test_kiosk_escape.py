"""No way out of the resident screens: no key combination or gesture reaches a desktop, a file
dialog or a shell. Under the service the kiosk runs alone in cage (no desktop behind it, no VT
switching); here, the window itself refuses to close, to quit, or to open anything else."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from kiosk.devtools.ui.driver import UiDriver
from kiosk.services import KioskServices
from tests.test_ui_journey import open_driver

QML = Path(__file__).resolve().parents[1] / "kiosk" / "ui" / "qml"
MOD = Qt.KeyboardModifier
COMBINATIONS = [
    (Qt.Key.Key_F4, MOD.AltModifier),
    (Qt.Key.Key_Q, MOD.ControlModifier),
    (Qt.Key.Key_W, MOD.ControlModifier),
    (Qt.Key.Key_Escape, MOD.NoModifier),
    (Qt.Key.Key_Tab, MOD.AltModifier),
    (Qt.Key.Key_Backspace, MOD.ControlModifier | MOD.AltModifier),
    (Qt.Key.Key_Delete, MOD.ControlModifier | MOD.AltModifier),
    (Qt.Key.Key_F2, MOD.ControlModifier | MOD.AltModifier),
    (Qt.Key.Key_T, MOD.ControlModifier | MOD.AltModifier),
    (Qt.Key.Key_Escape, MOD.ControlModifier | MOD.ShiftModifier),
    (Qt.Key.Key_O, MOD.ControlModifier),
    (Qt.Key.Key_S, MOD.ControlModifier),
    (Qt.Key.Key_P, MOD.ControlModifier),
    (Qt.Key.Key_Super_L, MOD.NoModifier),
    (Qt.Key.Key_Menu, MOD.NoModifier),
    *[(getattr(Qt.Key, f"Key_F{n}"), MOD.NoModifier) for n in range(1, 13)],
]


@pytest.fixture
def driver(qapp, services: KioskServices) -> Iterator[UiDriver]:  # noqa: ANN001
    yield from open_driver(services)


def _still_the_kiosk(driver: UiDriver, windows: int, screen: str) -> None:
    window = driver.kiosk.window
    assert window.isVisible()
    assert len(QGuiApplication.topLevelWindows()) == windows  # no dialog, no second window
    assert driver.controller.screen == screen


@pytest.mark.parametrize("where", ["home", "form"])
def test_no_key_combination_leaves_or_closes_the_resident_screens(driver: UiDriver, where: str) -> None:
    from kiosk.devtools.ui.walkthrough import to_business_page

    if where == "form":
        to_business_page(driver, "adult")
    quits: list[bool] = []
    QGuiApplication.instance().aboutToQuit.connect(lambda: quits.append(True))
    windows, screen = len(QGuiApplication.topLevelWindows()), driver.controller.screen
    for key, modifiers in COMBINATIONS:
        QTest.keyClick(driver.kiosk.window, key, modifiers)
        QTest.qWait(20)
        _still_the_kiosk(driver, windows, screen)
    assert quits == []


def test_a_close_request_from_outside_is_refused(driver: UiDriver) -> None:
    windows = len(QGuiApplication.topLevelWindows())
    driver.kiosk.window.close()  # what a compositor's close or Alt+F4 under a desktop sends
    QTest.qWait(50)
    _still_the_kiosk(driver, windows, "home")


def test_holding_the_corners_and_edges_opens_nothing_without_a_staff_card(driver: UiDriver) -> None:
    window = driver.kiosk.window
    windows = len(QGuiApplication.topLevelWindows())
    w, h = window.width(), window.height()
    admin = driver.kiosk.admin
    opened = []
    for x, y in ((2, 2), (w - 3, 2), (2, h - 3), (w - 3, h - 3), (w // 2, 2), (w // 2, h - 3)):
        QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
        QTest.qWait(3500)  # longer than the admin gesture's hold
        QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
        _still_the_kiosk(driver, windows, "home")
        if admin.open:  # only the hall name's hold: a prompt for the staff card and PIN
            assert not admin.unlocked and driver.find("pinDots") is not None
            opened.append((x, y))
            admin.lock()
    # Not even the staff prompt: the hidden gesture is the hall name's hold (tested with admin
    # mode), not a corner or an edge; and nothing opens a desktop, dialog or shell.
    assert opened == []
    assert not admin.open


def test_no_qml_file_can_open_a_file_dialog_a_url_or_quit() -> None:
    forbidden = re.compile(
        r"FileDialog|FolderDialog|Qt\.openUrlExternally|Qt\.quit|Qt\.exit|Qt\.createQmlObject|XMLHttpRequest"
    )
    offenders = [
        f"{path.relative_to(QML)}:{n}"
        for path in QML.rglob("*.qml")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if forbidden.search(line)
    ]
    assert offenders == []


def test_the_service_gives_no_vt_switching_and_no_shell() -> None:
    unit = (Path(__file__).resolve().parents[1] / "installer/templates/township-kiosk.service.in").read_text()
    [exec_start] = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
    assert exec_start.startswith("ExecStart=/usr/bin/cage -d -- ")  # no -s: cage keeps the VTs locked
    assert "Conflicts=getty@tty1.service" in unit  # no login prompt behind the kiosk
    assert "NoNewPrivileges=yes" in unit and "ProtectSystem=strict" in unit
