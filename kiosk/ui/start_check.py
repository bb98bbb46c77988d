"""Does this release start on this terminal? The real window and services, offscreen: what the
installer asks of a new release before switching to it, and of the old one after a rollback."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from kiosk.config import KioskConfig
from kiosk.ui.app import application, open_window

GIVE_UP_MS = 90_000


def check_start(config: KioskConfig) -> tuple[bool, str]:
    """True once the services are up; else False and why (the start failed, or no answer)."""
    app = application()

    def build():  # noqa: ANN202 (KioskServices, imported late as the kiosk itself does)
        from kiosk.services import build_services

        return build_services(config)

    try:
        kiosk = open_window(config, build)
    except RuntimeError as exc:  # the QML did not load
        return False, str(exc)
    outcome: list[str] = []

    def started() -> None:
        if kiosk.controller.services is not None:
            app.exit(0)

    def failed(reason: str) -> None:
        outcome.append(reason)
        app.exit(1)

    kiosk.controller.changed.connect(started)
    kiosk.controller.startFailed.connect(failed)
    QTimer.singleShot(GIVE_UP_MS, lambda: failed(f"no answer in {GIVE_UP_MS // 1000} s"))
    code = app.exec() if kiosk.controller.services is None else 0
    services = kiosk.controller.services
    kiosk.close()
    if services is not None:
        services.close()
    return code == 0, outcome[0] if outcome else ""
