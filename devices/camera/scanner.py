"""Watch the camera for QR codes without ever holding up the frames or the UI.

The frame thread only hands the newest frame over; one decoding thread takes the latest
frame whenever it is free (older ones are dropped), so a slow decode never builds a queue.
The same code held in view is reported once, not once per frame.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import numpy as np

from devices.camera.camera import Camera
from devices.camera.qr_decoder import QrDecoder
from devices.camera.qr_payloads import QrPayload, QrProblem, parse_payload

log = logging.getLogger(__name__)
ScanListener = Callable[[QrPayload | QrProblem], None]


class QrScanner:
    """Scan while started; `listener` gets each new payload (or the problem with it)."""

    def __init__(
        self, camera: Camera, listener: ScanListener, repeat_after: float = 3.0, max_per_second: float = 6.0
    ) -> None:
        self._camera = camera
        self._listener = listener
        self._repeat_after = repeat_after
        # A code held up stays in view for seconds; decoding every frame would only take CPU
        # from the UI and the card reader.
        self._gap = 1.0 / max_per_second
        self._frame: np.ndarray | None = None
        self._arrived = threading.Condition()
        self._running = False
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._last: tuple[str, float] = ("", 0.0)
        self.frames_decoded = 0

    def start(self) -> None:
        """Acquire the camera and scan."""
        if self._running:
            return
        self._running = True
        self._last = ("", 0.0)
        self._unsubscribe = self._camera.on_frame(self._hand_over)
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._decode_loop, args=(self._stopped,), name="qr-scanner", daemon=True
        )
        self._thread.start()
        self._camera.acquire("qr")

    def stop(self, wait: bool = True) -> None:
        """Stop scanning and let the camera go (`wait`: until both threads have ended)."""
        if not self._running:
            return
        self._running = False
        self._stopped.set()
        if self._unsubscribe:
            self._unsubscribe()
        with self._arrived:
            self._arrived.notify_all()
        if self._thread and wait:
            self._thread.join(timeout=5)
        self._camera.release("qr", wait=wait)

    def _hand_over(self, frame: np.ndarray) -> None:
        with self._arrived:
            self._frame = frame
            self._arrived.notify()

    def _decode_loop(self, stopped: threading.Event) -> None:
        decoder = QrDecoder()  # one per loop: a restarted scanner may overlap the one ending
        while not stopped.is_set():
            with self._arrived:
                while self._frame is None and not stopped.is_set():
                    self._arrived.wait(0.5)
                frame, self._frame = self._frame, None
            if frame is None:
                continue
            started = time.monotonic()
            try:
                payloads = decoder.decode(frame)
            except Exception:  # OpenCV on a corrupt frame: skip it, keep scanning
                log.exception("QR decoding failed on a frame")
                continue
            self.frames_decoded += 1
            for text in payloads:
                if not stopped.is_set():  # a scan finishing after stop() belongs to nobody
                    self._report(text)
            stopped.wait(max(0.0, self._gap - (time.monotonic() - started)))

    def _report(self, text: str) -> None:
        now = time.monotonic()
        if text == self._last[0] and now - self._last[1] < self._repeat_after:
            self._last = (text, now)
            return
        self._last = (text, now)
        result = parse_payload(text)
        if isinstance(result, QrProblem):
            log.warning("QR code not understood: %s (%s)", result.reason, result.detail)
        self._listener(result)
