"""Find and decode a QR code in a camera frame with OpenCV, fast enough for every other frame.

Detection runs on the frame scaled to at most 960 pixels wide: a 1080p frame costs a quarter
of the work, and a phone held up to the camera still shows modules of two or more pixels
there. When the code is found but too coarse to read at that size, it is decoded again from
the full frame at the corners found. A still image (a scan, a rendered PDF page) may ask for a
`thorough` search of the full-size frame as well. OpenCV has two detectors and each misses
codes the other finds at this scale (the Aruco-based one small codes turned by 45°, the
classic one large codes turned by 90°), so the faster Aruco one goes first and the classic
one second.
"""

from __future__ import annotations

import cv2
import numpy as np

DETECT_WIDTH = 960


class QrDecoder:
    """A reusable decoder (OpenCV's detector keeps buffers between frames)."""

    def __init__(self) -> None:
        self._detectors = (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector())

    def decode(self, frame: np.ndarray, thorough: bool = False) -> list[str]:
        """The payload readable in `frame` (BGR or grey) as a one-item list, or [] for none.

        `thorough` also searches the full-size frame when the scaled one shows nothing: for
        small codes in still images, at several times the cost.
        """
        grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        scale = min(1.0, DETECT_WIDTH / grey.shape[1])
        if scale < 1.0:
            small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        else:
            small = grey
        seen: list[np.ndarray] = []
        for detector in self._detectors:
            payload, corners = _detect_and_decode(detector, small)
            if payload:
                return [payload]
            if corners is not None:
                seen.append(corners / scale)
        if scale < 1.0:
            for corners in seen:  # found, but too coarse to read at the small size
                payload = _decode_at(self._detectors[1], grey, corners)
                if payload:
                    return [payload]
            if thorough and not seen:
                for detector in self._detectors:
                    payload, _ = _detect_and_decode(detector, grey)
                    if payload:
                        return [payload]
        return []


def _detect_and_decode(
    detector: cv2.GraphicalCodeDetector, grey: np.ndarray
) -> tuple[str, np.ndarray | None]:
    try:
        payload, corners, _ = detector.detectAndDecode(grey)
    except cv2.error:  # OpenCV rejects some degenerate corner sets outright
        return "", None
    return payload or "", corners


def _decode_at(detector: cv2.GraphicalCodeDetector, grey: np.ndarray, corners: np.ndarray) -> str:
    try:
        payload, _ = detector.decode(grey, corners.astype(np.float32).reshape(1, 4, 2))
    except cv2.error:
        return ""
    return payload or ""


def decode_image(image: np.ndarray) -> list[str]:
    """The payload in one still image, searched thoroughly (a one-off decoder)."""
    return QrDecoder().decode(image, thorough=True)
