"""Drive the kiosk UI as a resident would: real mouse events on the window, typing on the
embedded virtual keyboard. Shared by the UI tests and the headless demo walkthrough."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.ui.app import KioskWindow
from kiosk.ui.dev_dock import DevDock


class DriverTimeoutError(AssertionError):
    """What the driver waited for did not appear."""


def _descendants(item: QQuickItem) -> Iterator[QQuickItem]:
    for child in item.childItems():
        yield child
        yield from _descendants(child)


# Buttons whose tap changes what they show: a choice, a toggle of several, a statement.
ENABLE_WAIT_SECONDS = 3.0  # how long a tap waits for its button to be enabled
_CHOICE_PREFIXES = ("choice_", "multi_", "confirm_")


def _chosen(item: QQuickItem) -> bool:
    """Whether a choice or toggle shows as picked (a statement: ticked)."""
    shown = "ticked" if item.objectName().startswith("confirm_") else "primary"
    return bool(item.property(shown))


def _really_visible(item: QQuickItem) -> bool:
    return item.isVisible() and item.opacity() > 0 and item.width() > 0 and item.height() > 0


class UiDriver:
    """Finds items by objectName and presses them through the window's event queue."""

    def __init__(self, kiosk: KioskWindow, timeout: float = 15.0, step_ms: int = 40) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self.controller = kiosk.controller
        self.timeout = timeout
        self.step_ms = step_ms
        self._frames = 0  # frames the window has drawn since the driver started watching
        self.presses = 0  # taps made through `press` (the card on the reader is none)
        self.swipes = 0  # pages read to their end before a button that asks for it
        self.window.frameSwapped.connect(lambda: self._frame_drawn())

    @property
    def dock(self) -> DevDock:
        """The demo terminal's dev dock, which drives the simulated devices."""
        if self.controller.dock is None:
            raise RuntimeError("not a demo terminal: there is no dev dock to drive the devices")
        return self.controller.dock

    # ---- finding and waiting ----------------------------------------------------------------
    def items(self) -> Iterator[QQuickItem]:
        """Every item in the window's visual tree."""
        return _descendants(self.window.contentItem())

    def find(self, name: str) -> QQuickItem | None:
        """The visible item with this objectName, if there is one."""
        return next((i for i in self.items() if i.objectName() == name and _really_visible(i)), None)

    def wait_until(self, condition: Callable[[], object], what: str, timeout: float | None = None) -> object:
        """Process events until `condition()` is truthy; fail naming `what`."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            QTest.qWait(self.step_ms)
        raise DriverTimeoutError(f"timed out waiting for {what} (screen: {self.controller.screen})")

    def wait_item(self, name: str) -> QQuickItem:
        """Wait for a visible item with this objectName; a list or grid is paged through, as a
        finger would, since it only makes the delegates in view."""
        misses = 0

        def lookup() -> QQuickItem | None:
            nonlocal misses
            found = self.find(name)
            misses += found is None
            if found is None and misses % 5 == 0:
                self._page_item_views()
            return found

        return self.wait_until(lookup, f"item '{name}'")  # type: ignore[return-value]

    def _page_item_views(self) -> None:
        """Scroll each visible list or grid on by most of its height, back to the top at the end."""
        for view in self.items():
            if not view.inherits("QQuickItemView") or not _really_visible(view):
                continue
            height, content = view.height(), view.property("contentHeight")
            if content <= height:
                continue
            top, y = view.property("originY"), view.property("contentY")
            at_end = y + height >= top + content - 1
            view.setProperty("contentY", top if at_end else min(y + height * 0.8, top + content - height))

    def wait_ready(self) -> None:
        """Wait until the kiosk has finished starting (store and devices open)."""
        self.wait_until(lambda: self.controller.ready, "the kiosk to finish starting")

    def wait_screen(self, screen: str) -> None:
        """Wait until the session shows `screen` and a frame of it has been drawn."""
        self.wait_until(lambda: self.controller.screen == screen, f"screen '{screen}'")
        self.wait_frame()

    def wait_frame(self) -> None:
        """Wait until the window has drawn a frame after now (what a resident would see)."""
        drawn = self._frames
        self.window.update()
        self.wait_until(lambda: self._frames > drawn, "a frame to be drawn")

    def _frame_drawn(self) -> None:
        self._frames += 1

    # ---- acting -----------------------------------------------------------------------------
    def _scroll_into_view(self, item: QQuickItem) -> None:
        parent = item.parentItem()
        while parent is not None and not parent.inherits("QQuickFlickable"):  # lists and grids too
            parent = parent.parentItem()
        if parent is None:
            return
        content = parent.property("contentItem")
        wide = parent.property("contentWidth") > parent.width() + 1
        tall = parent.property("contentHeight") > parent.height() + 1
        if wide and not tall:  # a row that scrolls sideways: the keyboard's candidate bar
            x = item.mapToItem(parent, QPointF(0, 0)).x()  # where it is in the view now
            if x < 0 or x + item.width() > parent.width():
                origin = parent.property("originX")
                last = origin + max(0.0, parent.property("contentWidth") - parent.width())
                wanted = parent.property("contentX") + x - 20
                parent.setProperty("contentX", max(origin, min(wanted, last)))
                QTest.qWait(60)
            return
        top = item.mapToItem(content, QPointF(0, 0)).y()
        view_top, view_height = parent.property("contentY"), parent.height()
        if top < view_top or top + item.height() > view_top + view_height:
            limit = max(0.0, parent.property("contentHeight") - view_height)
            parent.setProperty("contentY", max(0.0, min(top - 20, limit)))
            QTest.qWait(60)

    def press(self, item: QQuickItem) -> None:
        """Click the centre of `item` with the mouse, as a finger tap."""
        # Positioners lay out at their next polish: under load, a row that just gained a button
        # may not have moved yet, and both the scroll and the tap would aim where it used to be.
        self._bring_into_view(item)
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
        self.presses += 1
        QTest.qWait(self.step_ms)

    def _bring_into_view(self, item: QQuickItem) -> None:
        """Scroll `item` into view; if the open keyboard still covers it (a short screen), close
        the keyboard first, as a resident would, and scroll again."""
        for _ in range(2):
            parent = item
            while parent is not None:
                parent.ensurePolished()
                parent = parent.parentItem()
            self._scroll_into_view(item)
            if not self._under_keyboard(item):
                return
            self.hide_keyboard()

    def _under_keyboard(self, item: QQuickItem) -> bool:
        area = self.find("keyboardArea")
        if area is None:
            return False
        owner = item.parentItem()
        while owner is not None:
            if owner is area:
                return False  # a key, a candidate or the pad's own button
            owner = owner.parentItem()
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        if area.mapRectToScene(area.boundingRect()).contains(centre):
            return True
        # On a short screen the page's scrolling area may be too small to show the item at all.
        view = item.parentItem()
        while view is not None and not view.inherits("QQuickFlickable"):
            view = view.parentItem()
        return view is not None and not view.mapRectToScene(view.boundingRect()).contains(centre)

    def click(self, name: str) -> None:
        """Wait for the item called `name` and tap it once.

        A choice, a toggle or a statement to tick is looked at after the tap, as a resident
        would; a tap that did not take is a failure of the kiosk, not something to tap again for.
        """
        item = self.wait_item(name)
        # A resident taps a button once they see it enabled; a tap on one still greyed out (the
        # start button while the terminal finishes starting) does nothing, so wait a moment for
        # it. A test that taps a disabled button on purpose still gets its tap after that moment.
        try:
            self.wait_until(item.isEnabled, f"'{name}' enabled", timeout=ENABLE_WAIT_SECONDS)
        except DriverTimeoutError:
            pass
        wanted = True if name.startswith("choice_") else not _chosen(item)
        if item.property("readFirst"):
            self.read_to_end()
        self.press(item)
        if name.startswith(_CHOICE_PREFIXES):
            self.wait_until(
                lambda: (now := self.find(name)) is not None and _chosen(now) == wanted,
                f"the tap on '{name}' to show",
            )

    def read_to_end(self) -> None:
        """Swipe the screen's body to its end, as a resident reads down a long review or
        commitment before the button under it (a ReadOnButton) confirms instead of 往下看."""
        body = self.wait_item("screenBody")
        end = max(0.0, body.property("contentHeight") - body.height())
        if body.property("contentY") < end:
            body.setProperty("contentY", end)
            self.swipes += 1
            self.wait_frame()

    def go_home(self) -> None:
        """回首页 as a resident who means it: gives up an item under way when asked, then waits
        for the home screen."""
        self.click("headerHome")
        if self.controller.leaveAsked:
            self.click("leaveButton")
        self.wait_screen("home")

    def hold(self, name: str, seconds: float) -> None:
        """Press the item called `name` and keep the finger on it for `seconds`."""
        item = self.wait_item(name)
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        left, no_mod = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        QTest.mousePress(self.window, left, no_mod, centre)
        QTest.qWait(int(seconds * 1000))
        QTest.mouseRelease(self.window, left, no_mod, centre)
        QTest.qWait(self.step_ms)

    def draw(self, name: str, strokes: list[list[tuple[float, float]]], steps: int = 8) -> None:
        """Drag a finger across the item called `name` along each stroke (points as fractions
        of the item's width and height), as a resident writes on the signature pad."""
        item = self.wait_item(name)
        left, no_mod = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        for stroke in strokes:
            path = [stroke[0]]
            for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
                fractions = (t / steps for t in range(1, steps + 1))
                path += [(x0 + (x1 - x0) * f, y0 + (y1 - y0) * f) for f in fractions]
            size = QPointF(item.width(), item.height())
            points = [item.mapToScene(QPointF(x * size.x(), y * size.y())).toPoint() for x, y in path]
            QTest.mousePress(self.window, left, no_mod, points[0])
            for point in points[1:]:
                QTest.mouseMove(self.window, point, 5)
            QTest.mouseRelease(self.window, left, no_mod, points[-1])
        QTest.qWait(self.step_ms)

    # ---- the virtual keyboard ---------------------------------------------------------------------
    def _keyboard(self) -> QQuickItem:
        return self.wait_until(
            lambda: (k := self.find("keyboard")) and k.property("active") and k, "the virtual keyboard"
        )  # type: ignore[return-value]

    def _key(self, text: str) -> QQuickItem:
        def lookup() -> QQuickItem | None:
            for item in _descendants(self._keyboard()):
                meta = item.metaObject()
                if (
                    meta.indexOfProperty("key") >= 0
                    and meta.indexOfProperty("text") >= 0
                    and item.property("text") == text
                    and _really_visible(item)
                ):
                    return item
            return None

        return self.wait_until(lookup, f"keyboard key '{text}'")  # type: ignore[return-value]

    def _special_key(self, key: Qt.Key) -> QQuickItem:
        def lookup() -> QQuickItem | None:
            for item in _descendants(self._keyboard()):
                if (
                    item.metaObject().indexOfProperty("key") >= 0
                    and item.property("key") == key.value
                    and _really_visible(item)
                ):
                    return item
            return None

        return self.wait_until(lookup, f"keyboard key {key.name}")  # type: ignore[return-value]

    def erase(self, field: str, count: int) -> None:
        """Focus a text field and tap backspace `count` times."""
        self.click(field)
        backspace = self._special_key(Qt.Key.Key_Backspace)
        for _ in range(count):
            self.press(backspace)

    def tap_keys(self, keys: str) -> None:
        """Tap each character's key on the virtual keyboard."""
        for char in keys:
            self.press(self._key(char))

    def _focus_text(self, name: str) -> str:
        focus = self.window.activeFocusItem()
        value = focus.property(name) if focus is not None else None
        return value if isinstance(value, str) else ""

    def spell(self, pinyin: str) -> None:
        """Tap the letters of `pinyin` and wait until the input method shows them as the word
        being spelled: the candidates are then the ones for the whole spelling, not for the first
        letters (picking from a list about to change would commit another character)."""
        self.tap_keys(pinyin)
        self.wait_until(
            lambda: self._focus_text("preeditText").replace("'", "").replace(" ", "") == pinyin,
            f"the spelling '{pinyin}'",
        )

    def pick_candidate(self, word: str) -> None:
        """Tap `word` in the pinyin candidate bar."""

        def lookup() -> QQuickItem | None:
            for item in _descendants(self._keyboard()):
                if "SelectionListItem" in item.metaObject().className() and _really_visible(item):
                    texts = [
                        d.property("text")
                        for d in _descendants(item)
                        if d.metaObject().indexOfProperty("text") >= 0
                    ]
                    if word in texts:
                        return item
            return None

        before = self._focus_text("text")
        # The bar is rebuilt after each letter: a candidate found in the list for the first
        # letters moves or goes away. Tap only once it has stayed in one place a few frames.
        seen: list[tuple[float, float]] = []

        def settled() -> QQuickItem | None:
            item = lookup()
            if item is None:
                seen.clear()
                return None
            where = item.mapToScene(QPointF(0, 0))
            seen.append((where.x(), where.y()))
            return item if len(seen) >= 3 and len(set(seen[-3:])) == 1 else None

        self.press(self.wait_until(settled, f"pinyin candidate '{word}'"))  # type: ignore[arg-type]
        self.wait_until(
            lambda: self._focus_text("text") == before + word and not self._focus_text("preeditText"),
            f"'{word}' written",
        )

    def type_pinyin(self, field: str, pinyin: str, word: str) -> None:
        """Focus a text field, spell `pinyin` on the keyboard and choose `word`."""
        self.click(field)
        self.spell(pinyin)
        self.pick_candidate(word)

    def type_digits(self, field: str, digits: str) -> None:
        """Focus a digits field and tap the digits on the keyboard's number pad."""
        self.click(field)
        self.tap_keys(digits)

    def write_by_hand(self, field: str, character: str, strokes: list[list[tuple[float, float]]]) -> None:
        """Focus a text field, switch the keyboard to 手写 if it is not already, write
        `character` on the pad (`strokes` as fractions of a square box, in writing order) and tap
        it among the candidates."""
        self.click(field)
        self.wait_item("inputModeStrip")
        if not self.find("handwritingPad"):
            self.click("inputHandwriting")
        area = self.wait_item("handwritingArea")
        # The character in the middle of the pad, nine tenths of its shorter side.
        side = min(area.width(), area.height()) * 0.9
        left, top = (area.width() - side) / 2, (area.height() - side) / 2
        width, height = area.width(), area.height()
        on_pad = [[((left + x * side) / width, (top + y * side) / height) for x, y in s] for s in strokes]
        self.draw("handwritingArea", on_pad)
        before = self._focus_text("text")
        self.click(f"handwritingCandidate_{character}")
        self.wait_until(lambda: self._focus_text("text") == before + character, f"'{character}' written")

    def hide_keyboard(self) -> None:
        """Take focus off text fields so the keyboard slides away."""
        focus = self.window.activeFocusItem()
        if focus is not None:
            focus.setFocus(False)
        self.wait_until(
            lambda: self.find("keyboardArea") is None, "the keyboard to close"
        )

    # ---- looking ------------------------------------------------------------------------------
    def screenshot(self, path: Path) -> Path:
        """Save what the window shows now as a PNG."""
        QTest.qWait(80)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not self.window.grabWindow().save(str(path)):
            raise OSError(f"could not write {path}")
        return path
