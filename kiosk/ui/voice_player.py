"""Plays a screen's voice prompt when it appears (QtMultimedia's QSoundEffect: low latency, from
the file made ahead of time). A missing file or no audio device is logged once, never an error
for the resident; the screen carries the same words."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl

from kiosk.voice import GENERATED, prompt_file

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

log = logging.getLogger(__name__)


class VoicePlayer(QObject):
    """One sound effect per prompt, loaded on first use; `played` lists what was asked for."""

    def __init__(self, folder: Path = GENERATED, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        self._effects: dict[str, QSoundEffect] = {}
        self._warned: set[str] = set()
        self.played: list[str] = []

    def play(self, prompt_id: str) -> None:
        """Say the prompt now, stopping whatever was being said."""
        path = prompt_file(prompt_id, self._folder)
        if not path.exists():
            if prompt_id not in self._warned:
                self._warned.add(prompt_id)
                log.warning("voice prompt missing (run kiosk voices)", extra={"prompt": prompt_id})
            return
        from PySide6.QtMultimedia import QSoundEffect  # loaded with the first prompt, not at start

        for playing in self._effects.values():
            playing.stop()
        effect = self._effects.get(prompt_id)
        if effect is None:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[prompt_id] = effect
        effect.play()
        self.played.append(prompt_id)
        del self.played[:-50]  # a record for tests and diagnostics, not a growing list
