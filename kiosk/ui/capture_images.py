"""image://capture/<token>: the picture the camera just took, for the resident to check before
it is kept. Served from the controller's memory (never from disk), and the screens show it with
caching off, so no copy outlives the session."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider


class CaptureImages(QQuickImageProvider):
    """Looks pictures up by token through `lookup` (None: nothing to show)."""

    def __init__(self, lookup: Callable[[str], bytes | None]) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._lookup = lookup

    def requestImage(self, token: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802 (Qt's name)
        """The picture for `token`, scaled to the size asked for."""
        data = self._lookup(token)
        image = QImage.fromData(data) if data else QImage()
        smooth = Qt.TransformationMode.SmoothTransformation
        # QML asks for a width alone (sourceSize.width), a height alone, or both.
        if image.isNull():
            pass
        elif requested.width() > 0 and requested.height() > 0:
            image = image.scaled(requested, Qt.AspectRatioMode.KeepAspectRatio, smooth)
        elif requested.width() > 0:
            image = image.scaledToWidth(requested.width(), smooth)
        elif requested.height() > 0:
            image = image.scaledToHeight(requested.height(), smooth)
        if size is not None:
            size.setWidth(image.width())
            size.setHeight(image.height())
        return image
