"""Decode QR codes from images (OpenCV), for verification and, later, the camera."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def decode_qr_image(path: Path) -> list[str]:
    """Every QR payload OpenCV finds in an image file (PNG, JPEG…)."""
    import cv2

    image = cv2.imread(str(path))
    if image is None:
        raise ValueError(f"{path} is not an image OpenCV can read")
    detector = cv2.QRCodeDetector()
    found, payloads, _, _ = detector.detectAndDecodeMulti(image)
    if found:
        return [p for p in payloads if p]
    single, _, _ = detector.detectAndDecode(image)
    return [single] if single else []


def decode_qr_pdf(path: Path, dpi: int = 300) -> list[str]:
    """Every QR payload on every page of a PDF, rasterised with poppler's pdftoppm."""
    with tempfile.TemporaryDirectory(prefix="kiosk-qr-") as folder:
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), f"{folder}/page"], check=True)
        payloads: list[str] = []
        for page in sorted(Path(folder).glob("page*.png")):
            payloads += decode_qr_image(page)
        return payloads
