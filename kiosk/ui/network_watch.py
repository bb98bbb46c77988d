"""Qt's network information, where the platform has it: when the link comes back, sync at once
instead of waiting for the next round (the sync's own probe of the centre stays the judge)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtNetwork import QNetworkInformation

log = logging.getLogger(__name__)


class NetworkWatch(QObject):
    """Calls `on_back_online` when the platform reports the network reachable again."""

    def __init__(self, on_back_online: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_back_online = on_back_online
        self.available = QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability)
        if not self.available:
            log.info("no network information backend: the sync's own probe decides alone")
            return
        QNetworkInformation.instance().reachabilityChanged.connect(self._changed)

    @Slot(QNetworkInformation.Reachability)
    def _changed(self, reachability: QNetworkInformation.Reachability) -> None:
        log.info("network reachability changed", extra={"reachability": reachability.name})
        if reachability in (QNetworkInformation.Reachability.Online, QNetworkInformation.Reachability.Site):
            self._on_back_online()
