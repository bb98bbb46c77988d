"""A signature drawn on the screen, as the picture kept with the case.

The pad sends its strokes as lists of points in the pad's own coordinates; they are drawn
here, black on white, into a PNG the size of a signature box on paper. A scribble too small to
be a signature is refused with a word to the resident, never silently kept.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

# Enough ink to be a name: strokes this long in total, in pad widths.
MIN_INK = 0.6
OUTPUT_SIZE = (600, 240)  # a 50 × 20 mm box at 300 dpi
TOO_LITTLE = "签名太短了。请在方框里用手指写下您的完整姓名，再点“确认签名”。"

Stroke = Sequence[Sequence[float]]


def ink_length(strokes: Sequence[Stroke], width: float) -> float:
    """How much was drawn, in pad widths."""
    total = 0.0
    for stroke in strokes:
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
            total += math.hypot(x1 - x0, y1 - y0)
    return total / width if width > 0 else 0.0


def clean_strokes(raw: object) -> list[list[tuple[float, float]]]:
    """Strokes from QML as float pairs; anything else is dropped (a pad never sends it)."""
    strokes: list[list[tuple[float, float]]] = []
    for stroke in raw if isinstance(raw, list) else []:
        points = []
        for point in stroke if isinstance(stroke, list) else []:
            if isinstance(point, list | tuple) and len(point) == 2:
                x, y = point
                if isinstance(x, int | float) and isinstance(y, int | float):
                    if math.isfinite(x) and math.isfinite(y):
                        points.append((float(x), float(y)))
        if points:
            strokes.append(points)
    return strokes


def render_signature(strokes: Sequence[Stroke], width: float, height: float) -> bytes | None:
    """The signature as PNG bytes, or None when there is too little ink to be one."""
    if width <= 0 or height <= 0 or ink_length(strokes, width) < MIN_INK:
        return None
    xs = [x for s in strokes for x, _ in s]
    ys = [y for s in strokes for _, y in s]
    left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
    # Fit what was drawn (not the whole pad) into the box with a margin, keeping its shape.
    out_w, out_h = OUTPUT_SIZE
    margin = 16
    scale = min((out_w - 2 * margin) / max(right - left, 1.0), (out_h - 2 * margin) / max(bottom - top, 1.0))
    dx = (out_w - (right - left) * scale) / 2 - left * scale
    dy = (out_h - (bottom - top) * scale) / 2 - top * scale
    image = Image.new("L", OUTPUT_SIZE, 255)
    pen = ImageDraw.Draw(image)
    line = max(3, round(4 * scale * width / 900))
    for stroke in strokes:
        points = [(x * scale + dx, y * scale + dy) for x, y in stroke]
        if len(points) == 1:
            (x, y) = points[0]
            pen.ellipse((x - line / 2, y - line / 2, x + line / 2, y + line / 2), fill=0)
        else:
            pen.line(points, fill=0, width=line, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
