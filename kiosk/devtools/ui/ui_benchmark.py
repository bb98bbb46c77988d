"""The resident UI's figures, in one process on the software renderer (run by
`python -m kiosk.devtools bench ui`, which prints them; this module prints JSON):

- taps: registering an individual business with an ID card and a two-character 字号, every tap
  and key press counted, the card on the reader counted as none, the keyboard's hide key as one;
  the 字号 spelt in pinyin, then written by hand on the pad (its strokes counted apart), then
  the same in elder mode;
- the smallest touch target and the smallest text the resident met on those journeys, per mode;
- handwriting: the 300 shop-name characters' real strokes (hanzi-writer-data) fed to the
  recogniser, top-1 and top-5 rates and the time per character;
- transitions: tap → the next screen drawn, for every navigation tap of that journey, against a
  bare QML window whose Loader swaps two plain screens on a tap (the baseline, same run);
- memory: resident set size after each of N sessions (start, item, card, guide, a form page,
  home), the slope over the sessions after the first 20 and over the second half (a leak keeps
  both up; caches filling raise the first only; ≈ 0 is flat).
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"

from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from kiosk.devtools import hanzi_strokes  # noqa: E402
from kiosk.devtools.ui.driver import UiDriver  # noqa: E402
from kiosk.devtools.ui.screen_text import smallest_text  # noqa: E402
from kiosk.devtools.ui.touch_targets import smallest_target  # noqa: E402

if TYPE_CHECKING:
    from PySide6.QtQuick import QQuickItem

    from kiosk.services import KioskServices
    from kiosk.ui.app import KioskWindow

NAVIGATION = (
    "startButton", "guideAccept", "nextButton", "submitButton", "commitButton", "submitRatingButton",
    "homeButton", "headerHome", "leaveButton", "keepSignButton",
)
WARM_UP_SESSIONS = 20
BASELINE_QML = b"""
import QtQuick
Window {
    width: 1080; height: 1920; visible: true
    property int n: 0
    Loader {
        anchors.fill: parent
        sourceComponent: n % 2 ? second : first
    }
    Component { id: first; Rectangle { color: "#f3f5f8"; Text { text: "A"; font.pixelSize: 60 } } }
    Component { id: second; Rectangle { color: "#e8ecf2"; Text { text: "B"; font.pixelSize: 60 } } }
    MouseArea { objectName: "tap"; anchors.fill: parent; onClicked: n++ }
}
"""


class BenchDriver(UiDriver):
    """A driver that counts the resident's taps and times each navigation to its drawn screen."""

    def __init__(self, kiosk: KioskWindow) -> None:
        super().__init__(kiosk)
        self.taps = 0
        self.taps_to_printed: int | None = None  # when the licence is out (the rating screen)
        self.transitions_ms: list[float] = []
        self.strokes = 0  # finger strokes of the signature: not taps, reported beside them
        self.handwriting_strokes = 0  # strokes written on the pad, apart from the signature's
        # The smallest target and text seen (px, what it was), by mode: elder mode ends with the
        # session, so an elder journey's last screens are in normal mode.
        nothing = (float("inf"), "")
        self.smallest_target = {False: nothing, True: nothing}
        self.smallest_text = {False: nothing, True: nothing}
        # The hall staff's PIN at the identity check (the demo adult's card has no photo): their
        # taps, not the resident's, counted apart.
        self.staff_taps = 0

    def draw(self, name: str, strokes: list, steps: int = 8) -> None:  # noqa: D102
        if name == "handwritingArea":
            self.handwriting_strokes += len(strokes)
        else:
            self.strokes += len(strokes)
        super().draw(name, strokes, steps)
        self._survey()

    def _survey(self) -> None:
        """Note the smallest target and text showing now (what the resident has to hit and read)."""
        root, elder = self.window.contentItem(), self.controller.elderMode
        self.smallest_target[elder] = min(self.smallest_target[elder], smallest_target(root))
        self.smallest_text[elder] = min(self.smallest_text[elder], smallest_text(root))

    def press(self, item: QQuickItem) -> None:  # noqa: D102
        self.taps += 1
        super().press(item)

    def hide_keyboard(self) -> None:  # noqa: D102
        self.taps += 1  # the keyboard's own hide key
        super().hide_keyboard()

    def click(self, name: str) -> None:  # noqa: D102
        if name.startswith("dev"):  # the demo dock stands in for the card on the reader
            super().click(name)
            self.taps -= 1
            return
        if name.startswith("staffPinKey_"):
            super().click(name)
            self.taps, self.staff_taps = self.taps - 1, self.staff_taps + 1
            return
        if name not in NAVIGATION and not name.startswith(("item_", "fix_", "sign_")):
            super().click(name)
            self._survey()
            return
        item = self.wait_item(name)
        if item.property("readFirst"):
            self.read_to_end()  # a swipe, counted apart: the page is read before it is confirmed
        self._bring_into_view(item)
        before = (self.controller.screen, self.controller.pageNumber)
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        self.taps += 1
        start = time.perf_counter()
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
        while (self.controller.screen, self.controller.pageNumber) == before:
            if time.perf_counter() - start > 10:
                return
            QTest.qWait(1)
        self.window.grabWindow()  # renders the new screen now; returns once it is drawn
        self.transitions_ms.append((time.perf_counter() - start) * 1000)
        self._survey()
        if self.taps_to_printed is None:
            self.wait_until(lambda: self.controller.screen not in ("deciding", "printing"), "the work", 30)
            if self.controller.screen == "rating":
                self.taps_to_printed = self.taps


def _open(data_dir: Path, central_url: str = "") -> tuple[KioskServices, KioskWindow, BenchDriver]:
    from kiosk.config import KioskConfig
    from kiosk.services import build_services
    from kiosk.ui.app import open_window

    config = replace(KioskConfig(), demo=True, data_dir=data_dir)
    if central_url:
        config = replace(config, central_url=central_url)
    services = build_services(config, spool_dir=data_dir / "spool")
    kiosk = open_window(services.config, lambda: services)
    driver = BenchDriver(kiosk)
    driver.wait_ready()
    return services, kiosk, driver


def journey_figures(data_dir: Path, by_hand: bool = False, elder: bool = False) -> dict:
    """Taps and transition times of one registration (the walkthrough's own journey), the 字号
    spelt in pinyin or written `by_hand`, in normal or `elder` mode."""
    from kiosk.devtools.ui.walkthrough import registration_journey

    services, kiosk, driver = _open(data_dir)
    try:
        if elder:
            driver.click("elderToggle")
            driver.taps -= 1  # the mode is the resident's setting, not a step of the journey
        strokes_of = hanzi_strokes.medians if by_hand else None
        registration_journey(driver, lambda _name: None, strokes_of)
        return {
            "by_hand": by_hand,
            "elder": elder,
            "taps": driver.taps,
            "taps_to_printed": driver.taps_to_printed,
            "staff_taps": driver.staff_taps,
            "signature_strokes": driver.strokes,
            "handwriting_strokes": driver.handwriting_strokes,
            "swipes": driver.swipes,
            "transitions_ms": driver.transitions_ms,
            "smallest_target": [driver.smallest_target[False], driver.smallest_target[True]],
            "smallest_text": [driver.smallest_text[False], driver.smallest_text[True]],
        }
    finally:
        kiosk.close()
        services.close()


CERTIFICATE = "social-insurance-certificate"


def certificate_figures(folder: Path) -> dict:
    """Taps from the home screen to a 参保证明 printed, by ID card, with the demo centre on
    loopback answering the live query (the certificate needs it)."""
    from kiosk.config import KioskConfig
    from kiosk.devtools.demo_central import demo_central
    from kiosk.devtools.ui.walkthrough import pass_face_check

    data_dir = folder / "terminal"
    with demo_central(folder / "central") as central:
        defaults = KioskConfig()
        central.enrol(data_dir, defaults.terminal_id, defaults.division_code)
        services, kiosk, driver = _open(data_dir, central.url)
        try:
            driver.wait_until(lambda: driver.controller.networkState == "online", "the centre", 30)
            driver.click("startButton")
            driver.click(f"item_{CERTIFICATE}")
            driver.wait_screen("identify")
            driver.dock.devInsertCard("elder")
            pass_face_check(driver)
            driver.wait_screen("form")
            driver.click("nextButton")  # 打印
            driver.wait_until(lambda: driver.controller.screen in ("rating", "decision"), "printed", 60)
            printed = driver.controller.screen == "rating"
            return {"taps_to_printed": driver.taps_to_printed if printed else None, "printed": printed}
        finally:
            kiosk.close()
            services.close()


def baseline_transitions(count: int = 30) -> list[float]:
    """A bare window swapping two plain screens on a tap: tap → drawn, `count` times."""
    from PySide6.QtQml import QQmlApplicationEngine

    from kiosk.ui.app import root_window

    engine = QQmlApplicationEngine()
    engine.loadData(BASELINE_QML)
    window = root_window(engine)
    QTest.qWait(200)
    times = []
    for _ in range(count):
        before = window.property("n")
        start = time.perf_counter()
        centre = window.contentItem().boundingRect().center().toPoint()
        QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
        while window.property("n") == before:
            QTest.qWait(1)
        window.grabWindow()
        times.append((time.perf_counter() - start) * 1000)
        QTest.qWait(20)
    window.close()
    engine.deleteLater()
    return times


def _rss_kib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024


def memory_figures(data_dir: Path, sessions: int) -> dict:
    """RSS after each session (a resident who reads the guide, starts the form and goes home)."""
    from kiosk.devtools.ui.walkthrough import open_item

    services, kiosk, driver = _open(data_dir)
    rss: list[float] = []
    try:
        for _ in range(sessions):
            open_item(driver, "adult")
            driver.type_digits("field_phone", "139")
            driver.hide_keyboard()
            driver.go_home()
            driver.dock.devRemoveCard()
            gc.collect()
            QTest.qWait(20)
            rss.append(_rss_kib())
    finally:
        kiosk.close()
        services.close()
    tail = rss[WARM_UP_SESSIONS:] if len(rss) > WARM_UP_SESSIONS + 2 else rss
    # Caches (glyphs, QML types, the pinyin dictionary) fill over the first sessions: a leak keeps
    # the second half rising as steeply as the first; settling flattens it.
    second_half = rss[len(rss) // 2 :]
    return {
        "sessions": sessions,
        "rss_kib": rss,
        "slope_kib_per_session": _slope(tail),
        "slope_second_half_kib_per_session": _slope(second_half),
    }


def _slope(values: list[float]) -> float:
    return statistics.linear_regression(range(len(values)), values).slope if len(values) > 2 else 0.0


JOURNEYS = 10  # spelt in pinyin, normal mode: the transitions' sample
OTHER_JOURNEYS = 3  # by hand; elder mode in pinyin and by hand


def handwriting_figures() -> dict:
    """Each shop-name character's real strokes through the recogniser: the candidates' ranks
    and the time per character."""
    from kiosk.handwriting import HandwritingRecognizer

    recognizer = HandwritingRecognizer()
    side = 600.0  # the pad's writing square, in pixels
    first = top5 = 0
    times: list[float] = []
    characters = hanzi_strokes.shop_name_characters()
    for character in characters:
        strokes = [[(x * side, y * side) for x, y in s] for s in hanzi_strokes.medians(character)]
        start = time.perf_counter()
        found = [c.character for c in recognizer.recognize(strokes, side, side, 5)]
        times.append((time.perf_counter() - start) * 1000)
        first += found[:1] == [character]
        top5 += character in found
    recognizer.close()
    return {"characters": len(characters), "top1": first, "top5": top5, "recognition_ms": times}


def main() -> None:
    """Print the figures as one JSON line."""
    from kiosk.ui.app import application

    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    hanzi_strokes.fetch()
    application()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-ui-") as tmp:
        # Enough journeys that the p95 is not the second-slowest of a handful (12 taps each).
        journeys = [journey_figures(Path(tmp) / f"journey-{n}") for n in range(JOURNEYS)]
        for by_hand, elder in ((True, False), (False, True), (True, True)):
            journeys += [
                journey_figures(Path(tmp) / f"journey-{by_hand}-{elder}-{n}", by_hand, elder)
                for n in range(OTHER_JOURNEYS)
            ]
        baseline = baseline_transitions()
        memory = memory_figures(Path(tmp) / "memory", sessions)
    print(
        json.dumps(
            {
                "journeys": journeys,
                "baseline_ms": baseline,
                "memory": memory,
                "handwriting": handwriting_figures(),
                "certificate": certificate_figures(Path(tmp) / "certificate"),
            }
        )
    )


if __name__ == "__main__":
    main()
