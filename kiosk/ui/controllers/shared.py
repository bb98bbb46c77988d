"""What the controllers of one window share: the resident's session, the services once started,
the worker, the camera preview, the case just decided, and one way to tell QML that things changed.

Each controller does one job (see the package docstring); none reaches into another's fields.
They meet here, so the only state two of them touch is named in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.config import KioskConfig
from kiosk.core.session import Screen, Session
from kiosk.ui.live_preview import LivePreview
from kiosk.ui.voice_player import VoicePlayer
from kiosk.ui.workers import Worker

if TYPE_CHECKING:
    from kiosk.core.cases import CaseRecord
    from kiosk.services import KioskServices

log = logging.getLogger(__name__)

TROUBLE = "系统暂时出现问题，您填写的内容已保留。请稍后重试，或找工作人员帮助。"


def plain(value: Any) -> Any:
    """A value from QML as plain Python: a JS array or object may arrive as a QJSValue."""
    to_variant = getattr(value, "toVariant", None)
    return to_variant() if callable(to_variant) else value


class Shared:
    """The session and the means the controllers work with; `refresh` tells every view."""

    def __init__(
        self, config: KioskConfig, session: Session, worker: Worker, preview: LivePreview, voice: VoicePlayer
    ) -> None:
        """The journey controller builds this and passes it to the others."""
        self.config = config
        self.session = session
        self.worker = worker
        self.preview = preview
        self.voice = voice
        self.services: KioskServices | None = None
        self.busy = False  # a card read, decision or print is under way: buttons wait
        self.case: CaseRecord | None = None  # the case committed for this resident, until home
        self._refresh: Callable[[str, bool], None] = lambda notice, good: None

    @property
    def running(self) -> KioskServices:
        """The services, for what only a started kiosk offers (the start button waits for them)."""
        if self.services is None:
            raise RuntimeError("the kiosk has not finished starting")
        return self.services

    def on_refresh(self, refresh: Callable[[str, bool], None]) -> None:
        """Who shows the notice and tells QML (the journey controller, once)."""
        self._refresh = refresh

    def refresh(self, notice: str = "", good: bool = False) -> None:
        """Tell QML that things changed, with a notice for the resident (a problem unless `good`)."""
        self._refresh(notice, good)

    def failed(self, exc: Exception) -> None:
        """A step of the journey failed in the background: say so; the answers stay."""
        self.busy = False
        log.error("journey step failed: %s", exc)
        self.refresh(TROUBLE)

    def field_type(self, field_id: str) -> str:
        """The type of `field_id` on the form showing now ('' off the form or for no such field)."""
        item = self.session.item
        if self.session.screen is not Screen.FORM or item is None:
            return ""
        return next((f.type for f in item.fields if f.id == field_id), "")
