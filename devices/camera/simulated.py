"""The simulated camera the demo and the UI tests use: the dev dock sets what it sees."""

from __future__ import annotations

import threading
import time

import numpy as np

from devices.camera import synthetic


class SimulatedSource:
    """Generated scenes at a steady frame rate: the wall, a QR code, a face, a page; unpluggable."""

    def __init__(self, fps: float = 15.0, size: tuple[int, int] = synthetic.FRAME_SIZE) -> None:
        self._gap = 1.0 / fps
        self._size = size
        self._lock = threading.Lock()
        self._scene: tuple[str, str] = ("wall", "")
        self._frame: np.ndarray | None = None
        self._plugged = True
        self._open = False
        self._next_due = 0.0
        self._sequence: list[np.ndarray] = []
        self._position = 0
        self._loop = True

    # ---- what the dev dock and tests do ---------------------------------------------------
    def show_qr(self, payload: str) -> None:
        """Hold a phone or paper with this QR payload up to the camera."""
        self._set_scene("qr", payload)

    def show_face(self) -> None:
        """A resident stands in front of the camera."""
        self._set_scene("face", "")

    def show_document(self) -> None:
        """A page lies under the camera, at an angle."""
        self._set_scene("document", "")

    def play(self, frames: list[np.ndarray], loop: bool = True) -> None:
        """Show `frames` one per frame period (e.g. a resident blinking and turning, from
        devices.face.synthetic.blink_and_turn at this source's size); then again, or hold the last."""
        if not frames:
            raise ValueError("nothing to play")
        with self._lock:
            self._scene, self._frame = ("sequence", f"{len(frames)} frames"), None
            self._sequence, self._position, self._loop = list(frames), 0, loop

    def clear(self) -> None:
        """Nothing in view but the wall."""
        self._set_scene("wall", "")

    def set_plugged(self, plugged: bool) -> None:
        """Plug the camera in or pull its cable."""
        with self._lock:
            self._plugged = plugged

    def scene(self) -> tuple[str, str]:
        """What the camera sees now: (kind, payload)."""
        return self._scene

    def _set_scene(self, kind: str, payload: str) -> None:
        with self._lock:
            self._scene, self._frame = (kind, payload), None

    def _render(self) -> np.ndarray:
        kind, payload = self._scene
        if kind == "qr":
            return synthetic.qr_frame(payload, module_px=8, angle=8, size=self._size)
        if kind == "face":
            return synthetic.face_frame(self._size)
        if kind == "document":
            width, height = self._size
            corners = np.array(
                [
                    [0.36 * width, 0.1 * height],
                    [0.7 * width, 0.2 * height],
                    [0.65 * width, 0.93 * height],
                    [0.27 * width, 0.83 * height],
                ],
                np.float32,
            )
            return synthetic.photographed_page(synthetic.a4_page(), corners, self._size)
        return synthetic.blank_frame(self._size)

    # ---- FrameSource ------------------------------------------------------------------------
    def open(self) -> bool:
        """Open unless unplugged."""
        with self._lock:
            self._open = self._plugged
        self._next_due = time.monotonic()
        return self._open

    def read(self) -> np.ndarray | None:
        """The current scene's frame, at the frame rate; None while unplugged."""
        pause = self._next_due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._next_due = max(self._next_due + self._gap, time.monotonic())
        with self._lock:
            if not (self._plugged and self._open):
                return None
            if self._scene[0] == "sequence":
                frame = self._sequence[self._position]
                last = len(self._sequence) - 1
                self._position = (
                    (self._position + 1) % len(self._sequence)
                    if self._loop
                    else min(self._position + 1, last)
                )
                return frame
            if self._frame is None:
                self._frame = self._render()
            return self._frame

    def close(self) -> None:
        """Close."""
        with self._lock:
            self._open = False

    def is_open(self) -> bool:
        """True while the camera is open (tests check it is released)."""
        return self._open
