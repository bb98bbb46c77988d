"""呼叫工作人员 from any screen: QML reaches it as `staffCall`. The call is logged for the hall
(terminal, item, screen) and kept in the audit log for the admin page; the resident is told
someone is coming and can go on meanwhile. Forgotten when the session ends."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.core.staff_calls import StaffCall, record_call
from kiosk.ui.controllers.shared import Shared
from kiosk.ui.qml_property import qml_property

log = logging.getLogger(__name__)


class StaffCallController(QObject):
    """Whether this resident has called for help, and the message that says help is coming."""

    changed = Signal()

    def __init__(self, shared: Shared, parent: QObject | None = None) -> None:
        """Calls are written through `shared`'s services and worker."""
        super().__init__(parent)
        self._shared = shared
        self._called = False
        self._shown = False

    def _get_called(self) -> bool:
        return self._called

    def _get_shown(self) -> bool:
        return self._shown

    called = qml_property(bool, _get_called, notify=changed)
    shown = qml_property(bool, _get_shown, notify=changed)

    @Slot()
    def call(self) -> None:
        """The resident asked for help: tell the hall (once per session), show that it is coming."""
        session = self._shared.session
        session.touch()
        self._shown = True
        if not self._called:
            self._called = True
            terminal = self._shared.config.terminal_id
            item = session.item.name if session.item is not None else ""
            screen = session.screen.value
            log.warning(
                "resident called for staff", extra={"terminal": terminal, "item": item, "screen": screen}
            )
            services = self._shared.services
            if services is not None:
                store = services.store
                self._shared.worker.run(
                    lambda: record_call(store, terminal, item, screen), self._recorded, self._not_recorded
                )
        self.changed.emit()

    @Slot()
    def dismiss(self) -> None:
        """好的: the message goes; the resident carries on where they were."""
        self._shared.session.touch()
        self._shown = False
        self.changed.emit()

    @Slot()
    def reset(self) -> None:
        """The session ended: the next resident has called nobody."""
        if self._called or self._shown:
            self._called = self._shown = False
            self.changed.emit()

    def _recorded(self, call: StaffCall) -> None:
        log.info("staff call recorded", extra={"at": call.at})

    def _not_recorded(self, exc: Exception) -> None:
        log.error("staff call not recorded in the audit log: %s", exc)  # the log line above stands
