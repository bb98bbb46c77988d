"""Touch targets at least 12 mm: find what a finger must hit on the current screen and is
smaller than that on the kiosk's panel.

Every size in the UI scales with the window's short side, so a target's physical size depends
on the panel's diagonal alone: the check is made for the smallest panel a terminal may have
(a 15.6-inch touchscreen, where 12 mm is 67 pixels at 1080 × 1920); larger panels only enlarge
it. The virtual keyboard (Qt's own) and the demo's dev dock are not the resident's targets."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtQuick import QQuickItem

MIN_TARGET_MM = 12.0
SMALLEST_PANEL_INCHES = 15.6
NOT_THE_RESIDENTS = ("keyboard", "devDock")


@dataclass(frozen=True)
class SmallTarget:
    """A target under the minimum: what it is and its size in millimetres."""

    name: str
    width_mm: float
    height_mm: float


def pixels_per_mm(width_px: int, height_px: int, diagonal_inches: float) -> float:
    """The panel's pixel density from its resolution and diagonal."""
    return math.hypot(width_px, height_px) / (diagonal_inches * 25.4)


def touch_targets(item: QQuickItem) -> Iterator[QQuickItem]:
    """Every visible, enabled item below `item` that takes a touch (areas, text inputs)."""
    for child in item.childItems():
        if child.objectName() in NOT_THE_RESIDENTS or not child.isVisible() or child.opacity() == 0:
            continue
        if child.inherits("QQuickMouseArea") or child.inherits("QQuickTextInput"):
            if child.isEnabled():
                yield child
        yield from touch_targets(child)


def _label(item: QQuickItem) -> str:
    here = item
    while here is not None and not here.objectName():
        here = here.parentItem()
    owner = here.objectName() if here is not None else "?"
    return f"{item.metaObject().className()} in {owner}"


def small_targets(root: QQuickItem, px_per_mm: float, minimum_mm: float = MIN_TARGET_MM) -> list[SmallTarget]:
    """Every enabled, visible target under `minimum_mm` in either direction."""
    found = []
    for item in touch_targets(root):
        width_mm, height_mm = item.width() / px_per_mm, item.height() / px_per_mm
        if min(width_mm, height_mm) < minimum_mm:
            found.append(SmallTarget(_label(item), round(width_mm, 1), round(height_mm, 1)))
    return found


def smallest_target(root: QQuickItem) -> tuple[float, str]:
    """The shorter side, in pixels, of the smallest enabled target on the screen, and what it is
    (infinity and "" when nothing takes a touch)."""
    sizes = [(min(item.width(), item.height()), _label(item)) for item in touch_targets(root)]
    return min(sizes, default=(math.inf, ""))
