"""Generated camera scenes: a drawn face, a QR code held up, an A4 page photographed at an angle.

The simulator shows them in the demo; the tests and the benchmark feed them to the real
OpenCV code. Nothing here is a photograph of a person.
"""

from __future__ import annotations

import cv2
import numpy as np
import qrcode

FRAME_SIZE = (1920, 1080)  # width, height: a 1080p camera
BACKGROUND = 96  # a grey hall wall


def blank_frame(size: tuple[int, int] = FRAME_SIZE, seed: int = 0) -> np.ndarray:
    """A BGR frame of wall with a little sensor noise."""
    width, height = size
    noise = np.random.default_rng(seed).normal(0, 4, (height, width)).astype(np.int16)
    grey = np.clip(BACKGROUND + noise, 0, 255).astype(np.uint8)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


def qr_image(payload: str, module_px: int = 5) -> np.ndarray:
    """A QR code (medium error correction, quiet zone of 4) as a grey image."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=module_px, border=4)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return np.array(code.make_image().convert("L"), dtype=np.uint8)


def qr_frame(
    payload: str,
    module_px: int = 10,
    angle: float = 0.0,
    damage: float = 0.0,
    size: tuple[int, int] = FRAME_SIZE,
    seed: int = 0,
) -> np.ndarray:
    """A frame with a QR code held up, rotated by `angle` degrees, a `damage` share of it smudged.

    The modules shrink when the code would not fit the frame.
    """
    code = qr_image(payload, module_px)
    while module_px > 1 and (code.shape[0] + 40) * 1.5 > min(size):
        module_px -= 1
        code = qr_image(payload, module_px)
    if damage:
        code = _smudge(code, damage, seed)
    frame = blank_frame(size, seed)
    side = code.shape[0]
    # A phone screen is brighter than the wall around it.
    tile = np.full((side + 40, side + 40), 255, np.uint8)
    tile[20 : 20 + side, 20 : 20 + side] = code
    rotation = cv2.getRotationMatrix2D((tile.shape[1] / 2, tile.shape[0] / 2), angle, 1.0)
    width, height = size
    diagonal = int(np.ceil(tile.shape[0] * 1.5))
    rotation[:, 2] += (diagonal - tile.shape[0]) / 2
    turned = cv2.warpAffine(tile, rotation, (diagonal, diagonal), borderValue=0, flags=cv2.INTER_LINEAR)
    mask = cv2.warpAffine(np.full_like(tile, 255), rotation, (diagonal, diagonal), borderValue=0)
    top, left = (height - diagonal) // 2, (width - diagonal) // 2
    region = frame[top : top + diagonal, left : left + diagonal]
    turned_bgr = cv2.cvtColor(turned, cv2.COLOR_GRAY2BGR)
    region[mask > 0] = turned_bgr[mask > 0]
    return frame


def _smudge(code: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Blot out `share` of the code's area with grey squares (dirt, a glare, a crease)."""
    rng = np.random.default_rng(seed)
    out = code.copy()
    side = code.shape[0]
    blot = max(4, side // 12)
    wanted = share * side * side
    covered = 0
    while covered < wanted:
        y, x = rng.integers(side // 6, side - side // 6 - blot, size=2)  # spare the finder patterns
        out[y : y + blot, x : x + blot] = 128
        covered += blot * blot
    return out


def face_frame(
    size: tuple[int, int] = FRAME_SIZE,
    face_height: int = 420,
    faces: int = 1,
    brightness: float = 1.0,
    blur: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """A frame with `faces` drawn faces side by side, lit by `brightness`, blurred by `blur` px."""
    frame = cv2.cvtColor(blank_frame(size, seed), cv2.COLOR_BGR2GRAY)
    width, height = size
    for index in range(faces):
        centre_x = int(width * (index + 1) / (faces + 1))
        _draw_face(frame, (centre_x, height // 2), face_height)
    if blur:
        frame = cv2.GaussianBlur(frame, (0, 0), blur)
    frame = np.clip(frame.astype(np.float32) * brightness, 0, 255).astype(np.uint8)
    return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)


def _draw_face(grey: np.ndarray, centre: tuple[int, int], height: int) -> None:
    """Face, hair, brows, eyes, a bright nose bridge, nostrils and mouth: what a Haar cascade seeks."""
    s = height / 210
    cx, cy = centre

    def ellipse(
        dx: float, dy: float, ax: float, ay: float, shade: int, start: int = 0, end: int = 360
    ) -> None:
        axes = (int(ax * s), int(ay * s))
        cv2.ellipse(grey, (cx + int(dx * s), cy + int(dy * s)), axes, 0, start, end, shade, -1)

    ellipse(0, 0, 80, 105, 190)
    ellipse(0, -95, 85, 40, 40, 180, 360)
    for dx in (-35, 35):
        ellipse(dx, -30, 22, 5, 50)
        ellipse(dx, -12, 16, 8, 45)
    ellipse(0, 22, 10, 20, 205)
    ellipse(0, 40, 14, 5, 120)
    ellipse(0, 62, 30, 8, 80)
    face = grey[max(0, cy - height) : cy + height, max(0, cx - height) : cx + height]
    face[:] = cv2.GaussianBlur(face, (0, 0), 1.5 * s)
    # Skin, hair and eyelashes have fine detail: what a sharpness check measures.
    texture = np.random.default_rng(cx).normal(0, 9, face.shape)
    face[:] = np.clip(face + texture, 0, 255).astype(np.uint8)


A4_PORTRAIT = (1240, 1754)  # width, height at 150 dpi


def a4_page(lines: int = 18, seed: int = 0) -> np.ndarray:
    """A white A4 page at 150 dpi with a title bar and lines of 'text' (grey bars), BGR."""
    width, height = A4_PORTRAIT
    page = np.full((height, width, 3), 245, np.uint8)
    rng = np.random.default_rng(seed)
    cv2.rectangle(page, (160, 140), (width - 160, 220), (40, 40, 40), -1)
    for row in range(lines):
        y = 320 + row * 70
        length = int(rng.integers(500, width - 260))
        cv2.rectangle(page, (130, y), (130 + length, y + 24), (90, 90, 90), -1)
    cv2.circle(page, (width - 260, height - 260), 110, (40, 40, 200), 10)  # a seal
    return page


def photographed_page(
    page: np.ndarray,
    corners: np.ndarray,
    size: tuple[int, int] = FRAME_SIZE,
    seed: int = 0,
) -> np.ndarray:
    """`page` seen by the camera with its corners (TL, TR, BR, BL) at `corners` on a dark desk."""
    width, height = size
    height_px, width_px = page.shape[:2]
    source = np.array([[0, 0], [width_px, 0], [width_px, height_px], [0, height_px]], np.float32)
    warp = cv2.getPerspectiveTransform(source, np.asarray(corners, np.float32))
    desk = np.full((height, width, 3), 55, np.uint8)
    noise = np.random.default_rng(seed).normal(0, 3, desk.shape).astype(np.int16)
    desk = np.clip(desk + noise, 0, 255).astype(np.uint8)
    seen = cv2.warpPerspective(page, warp, (width, height), dst=desk, borderMode=cv2.BORDER_TRANSPARENT)
    return cv2.GaussianBlur(seen, (0, 0), 0.8)
