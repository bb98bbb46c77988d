"""Camera frames made from one real face photo: a blink, a head turn, a photo held up.

For the tests and the camera simulator. The eyes are closed and the head turned by warping the
photo where its own 68 landmarks say the eyes and the face are, so the landmark predictor
reading the result really sees the eyelids meet and the nose move:

- closing an eye: the eye opening is filled from the skin around it (OpenCV's inpainting) and
  a lash line is drawn along the lower lid, blended in by `amount` (0 open, 1 shut);
- turning the head: the face is treated as a cylinder between the ends of the jaw outline and
  turned about its vertical axis by `degrees` (the middle of the face moves sideways, the
  outline stays), the nose, which stands out of the cylinder, a little more.

A "printed photo" is the same picture moved, turned and scaled by a few pixels between frames,
as a hand holding a print would; a "still" is one frame repeated. Every frame gets a little
sensor noise so that consecutive frames differ as a camera's do.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from devices.face.engine import FaceEngine, default_engine
from devices.face.liveness import Challenge, yaw_estimate

BLINK_STEPS = (0.5, 1.0, 1.0, 0.5)  # eyelid closure over the frames of one blink
TURN_STEPS = (10.0, 20.0, 30.0, 30.0, 20.0, 10.0)  # degrees over the frames of one turn
REST_FRAMES = 3
FRONTAL_YAW = 0.15  # a photo whose yaw estimate is further off than this is not frontal


def face_landmarks(image: np.ndarray, engine: FaceEngine | None = None) -> np.ndarray:
    """The 68 landmarks of the one face in `image` (ValueError when there is not exactly one)."""
    engine = engine or default_engine()
    faces = engine.detect(image)
    if len(faces) != 1:
        raise ValueError(f"the photo must show one face; found {len(faces)}")
    return engine.landmarks(image, faces[0], 68)


def id_photo(photo: np.ndarray, engine: FaceEngine | None = None) -> np.ndarray:
    """The head and shoulders of the one face in `photo`, framed as an ID card photo (102:126,
    the face half the width, a little above the middle): what `photo.card_photo` then shrinks."""
    engine = engine or default_engine()
    faces = engine.detect(photo)
    if len(faces) != 1:
        raise ValueError(f"the photo must show one face; found {len(faces)}")
    face = faces[0]
    width = face.width / 0.5
    height = width * 126 / 102
    centre_x, centre_y = face.centre
    left, top = max(0, int(round(centre_x - width / 2))), max(0, int(round(centre_y - height * 0.47)))
    return photo[top : int(top + height), left : int(left + width)].copy()


def close_eyes(image: np.ndarray, points: np.ndarray, amount: float) -> np.ndarray:
    """`image` with both eyes closed by `amount` (0 open … 1 shut)."""
    out = image.copy()
    for eye in (points[36:42], points[42:48]):
        width = float(eye[:, 0].max() - eye[:, 0].min())
        pad = int(width) + 4
        x0, y0 = (max(0, int(v) - pad) for v in eye.min(axis=0))
        x1 = min(image.shape[1], int(eye[:, 0].max()) + pad)
        y1 = min(image.shape[0], int(eye[:, 1].max()) + pad)
        region = out[y0:y1, x0:x1]
        local = eye - (x0, y0)
        centre = local.mean(axis=0)
        mask = np.zeros(region.shape[:2], np.uint8)
        cv2.fillPoly(mask, [((local - centre) * (1.35, 2.2) + centre).astype(np.int32)], 255)
        shut = cv2.inpaint(region, mask, max(3, int(width / 6)), cv2.INPAINT_TELEA)
        lower = local[4:6, 1].mean() * 0.8 + local[1:3, 1].mean() * 0.2
        lid = np.array([local[0], (local[5, 0], lower), (local[4, 0], lower), local[3]], np.int32)
        cv2.polylines(shut, [lid], False, (35, 30, 35), max(1, int(round(width / 14))), cv2.LINE_AA)
        grown = cv2.dilate(mask, np.ones((3, 3), np.uint8), iterations=2)  # OpenCV's default 3×3 kernel
        soft = cv2.GaussianBlur(grown, (0, 0), max(width / 20, 0.5))
        weight = soft.astype(np.float32) / 255 * amount
        weight = weight[..., None] if region.ndim == 3 else weight
        blended = region.astype(np.float32) * (1 - weight) + shut.astype(np.float32) * weight
        out[y0:y1, x0:x1] = np.clip(blended, 0, 255).astype(np.uint8)
    return out


def turn_head(image: np.ndarray, points: np.ndarray, degrees: float) -> np.ndarray:
    """`image` with the face turned about its vertical axis by `degrees` (positive: the nose
    moves to the picture's right)."""
    phi = np.radians(degrees)
    left, right = points[0, 0], points[16, 0]
    radius = (right - left) / 2 * 1.05
    middle = (left + right) / 2
    chin, brow = points[8, 1], points[19, 1]
    top, bottom = brow - (chin - brow) * 0.45, chin + 0.1 * radius
    height, width = image.shape[:2]
    x0, x1 = max(0, int(middle - radius)), min(width, int(middle + radius))
    y0, y1 = max(0, int(top)), min(height, int(bottom))
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    across = np.clip((xs - middle) / radius, -0.999, 0.999)
    source = middle + radius * np.sin(np.clip(np.arcsin(across) - phi, -np.pi / 2, np.pi / 2))
    nose_x = points[30, 0]
    nose_length = np.linalg.norm(points[27] - points[30])
    bump = np.exp(
        -(
            ((xs - nose_x) / (0.35 * radius)) ** 2
            + ((ys - (points[27, 1] + points[33, 1]) / 2) / (0.9 * nose_length)) ** 2
        )
    )
    source = source - bump * 0.25 * radius * np.sin(phi)
    # Blend back to the untouched picture at the edges of the warped region.
    fade = np.clip(np.minimum(ys - y0, y1 - ys) / (0.15 * (y1 - y0)), 0, 1) * np.clip(
        (1 - np.abs(across)) / 0.08, 0, 1
    )
    source = xs + (source - xs) * fade
    out = image.copy()
    out[y0:y1, x0:x1] = cv2.remap(
        image, source.astype(np.float32), ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
    )
    return out


def in_frame(
    photo: np.ndarray, size: tuple[int, int], height_share: float = 0.7, shade: int = 96
) -> np.ndarray:
    """`photo` scaled to `height_share` of a camera frame's height and centred on a grey wall,
    as the camera would show the resident; `size` is the frame's (width, height)."""
    width, height = size
    scale = height_share * height / photo.shape[0]
    scaled = cv2.resize(
        photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    )
    frame = np.full((height, width, 3), shade, np.uint8)
    h, w = scaled.shape[:2]
    w = min(w, width)
    top, left = (height - h) // 2, (width - w) // 2
    frame[top : top + h, left : left + w] = scaled[:, :w] if scaled.ndim == 3 else scaled[:, :w, None]
    return frame


def _noisy(frame: np.ndarray, rng: np.random.Generator, spread: int = 3) -> np.ndarray:
    """`frame` with uniform sensor noise of ±`spread` grey levels (cheap on big frames)."""
    noise = rng.integers(-spread, spread + 1, frame.shape, dtype=np.int16)
    return cv2.add(frame, noise, dtype=cv2.CV_8U)


def blink_and_turn(
    photo: np.ndarray,
    order: Sequence[Challenge] = (Challenge.BLINK, Challenge.TURN),
    engine: FaceEngine | None = None,
    size: tuple[int, int] | None = None,
    direction: int = 1,
    seed: int = 0,
) -> list[np.ndarray]:
    """Frames of the person in `photo` doing the challenges in `order`: at rest, each action,
    at rest again. `size` (width, height) puts the photo in a camera frame of that size;
    `direction` -1 turns the other way."""
    base = in_frame(photo, size) if size else photo
    points = face_landmarks(base, engine)
    if abs(yaw_estimate(points)) > FRONTAL_YAW:
        raise ValueError("the photo must face the camera: the head is already turned in it")
    rng = np.random.default_rng(seed)
    frames = [base] * REST_FRAMES
    for challenge in order:
        if challenge is Challenge.BLINK:
            frames += [close_eyes(base, points, amount) for amount in BLINK_STEPS]
        else:
            frames += [turn_head(base, points, direction * degrees) for degrees in TURN_STEPS]
        frames += [base] * REST_FRAMES
    return [_noisy(frame, rng) for frame in frames]


def printed_photo(
    photo: np.ndarray, count: int = 20, seed: int = 0, shift_px: float = 6.0
) -> list[np.ndarray]:
    """A print of `photo` held up to the camera: moved, turned (±2°) and scaled (±2 %) a little."""
    rng = np.random.default_rng(seed)
    height, width = photo.shape[:2]
    frames = []
    for _ in range(count):
        angle, scale = rng.uniform(-2, 2), 1 + rng.uniform(-0.02, 0.02)
        matrix = np.asarray(cv2.getRotationMatrix2D((width / 2, height / 2), angle, scale), np.float64)
        matrix[:, 2] += rng.uniform(-shift_px, shift_px, 2)
        moved = cv2.warpAffine(photo, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
        frames.append(_noisy(moved, rng))
    return frames


def still(photo: np.ndarray, count: int = 20) -> list[np.ndarray]:
    """The same frame `count` times (a frozen feed, or one picture sent as many)."""
    return [photo] * count
