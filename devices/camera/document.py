"""Document capture: find the page in a photo and straighten it to an upright A4 image.

Edges (Canny on a blurred grey frame, closed so a broken border still joins), the largest
four-cornered outline covering enough of the frame, then a perspective warp of those corners
onto an A4 rectangle at 150 dpi. A landscape-looking page is turned upright.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

A4_SIZE = (1240, 1754)  # width, height in pixels at 150 dpi
MIN_AREA_SHARE = 0.08  # a page smaller than this in the frame is too far to read


@dataclass(frozen=True)
class DocumentCapture:
    """The straightened page, or why there is none (`problem`: no_page, too_small)."""

    problem: str
    image: np.ndarray | None = None
    corners: np.ndarray | None = None  # TL, TR, BR, BL in the frame

    @property
    def ok(self) -> bool:
        """True when a page was found and straightened."""
        return not self.problem


def find_page(frame: np.ndarray) -> tuple[np.ndarray | None, float]:
    """The page's corners (TL, TR, BR, BL) and its share of the frame, or (None, 0)."""
    grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    scale = min(1.0, 800 / max(grey.shape))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    edges = cv2.Canny(cv2.GaussianBlur(small, (5, 5), 0), 40, 120)
    edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    frame_area = small.shape[0] * small.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        outline = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
        if len(outline) == 4 and cv2.isContourConvex(outline):
            share = cv2.contourArea(outline) / frame_area
            return _order_corners(outline.reshape(4, 2).astype(np.float32) / scale), share
    return None, 0.0


def _order_corners(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    sums, diffs = points.sum(axis=1), np.diff(points, axis=1).ravel()
    order = [np.argmin(sums), np.argmin(diffs), np.argmax(sums), np.argmax(diffs)]
    return np.array([points[i] for i in order], np.float32)


def straighten(frame: np.ndarray, corners: np.ndarray, size: tuple[int, int] = A4_SIZE) -> np.ndarray:
    """The quadrilateral `corners` of `frame` warped onto an upright page of `size` (w, h)."""
    top = np.linalg.norm(corners[1] - corners[0])
    side = np.linalg.norm(corners[3] - corners[0])
    if top > side:  # the page lies on its side: turn it so it reads upright
        corners = np.roll(corners, -1, axis=0)
    width, height = size
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    warp = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(frame, warp, (width, height), flags=cv2.INTER_LINEAR)


def capture_document(frame: np.ndarray) -> DocumentCapture:
    """Find the page in `frame` and straighten it, or say why not."""
    corners, share = find_page(frame)
    if corners is None:
        return DocumentCapture("no_page")
    if share < MIN_AREA_SHARE:
        return DocumentCapture("too_small", None, corners)
    return DocumentCapture("", straighten(frame, corners), corners)
