"""A kiosk window of a given size and mode for a test that looks at layouts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.devtools.ui.driver import UiDriver
from kiosk.services import KioskServices
from kiosk.ui.app import open_window


@contextmanager
def kiosk_window(services: KioskServices, size: tuple[int, int], elder: bool = False) -> Iterator[UiDriver]:
    """A window of `size` on `services`, switched to elder mode if asked, closed afterwards."""
    kiosk = open_window(services.config, lambda: services, size=size)
    driver = UiDriver(kiosk)
    try:
        driver.wait_ready()
        if elder:
            driver.click("elderToggle")
        yield driver
    finally:
        kiosk.close()
