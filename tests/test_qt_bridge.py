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


# ---- each of the kiosk's QObjects keeps its class's meta-object ------------------------------
# Connecting a signal to a method without @Slot makes PySide give that one object a meta-object of
# its own, freed with the object. QML caches what it learns of a meta-object by its address, for
# the whole process: when a later object's meta-object was allocated where a dead one had been, QML
# read that object through the dead one's property table, and every property of `admin` (or of
# `controller`) came out undefined, so a test window opened with its admin overlay on top.


def _meta_object_address(obj: object) -> int:
    import shiboken6

    return shiboken6.getCppPointer(obj.metaObject())[0]  # type: ignore[attr-defined]


def _own_meta_objects() -> list[str]:
    """The kiosk's live QObjects whose meta-object is not their class's."""
    import gc

    import shiboken6
    from PySide6.QtCore import QObject

    found = []
    for obj in gc.get_objects():
        if not isinstance(obj, QObject) or not type(obj).__module__.startswith(("kiosk.", "devices.")):
            continue
        if not shiboken6.isValid(obj):
            continue
        if _meta_object_address(obj) != shiboken6.getCppPointer(type(obj).staticMetaObject)[0]:
            added = [
                obj.metaObject().method(i).methodSignature().data().decode()
                for i in range(type(obj).staticMetaObject.methodCount(), obj.metaObject().methodCount())
            ]
            found.append(f"{type(obj).__qualname__}: {added}")
    return found


def test_no_kiosk_object_gets_a_meta_object_of_its_own(qapp, services) -> None:  # noqa: ANN001
    from kiosk.devtools.ui.walkthrough import to_guide
    from kiosk.ui.service_heartbeat import ServiceHeartbeat
    from tests.test_ui_journey import open_driver

    drivers = open_driver(services)
    driver = next(drivers)
    heartbeat = ServiceHeartbeat(lambda: driver.controller.ready, lambda _code: None)
    driver.controller.changed.connect(heartbeat.check_ready)
    driver.controller.startFailed.connect(heartbeat.start_failed)
    to_guide(driver, "adult")  # the start, the card, the camera and the workers connected
    assert _own_meta_objects() == []
    next(drivers, None)  # the code after the yield: the window closes (close() would skip it)
