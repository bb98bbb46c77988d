"""Decode QR codes from image files and PDFs (for `kiosk verify`), with the camera's decoder."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def decode_qr_image(path: Path) -> list[str]:
    """The QR payloads in an image file (PNG, JPEG…): the camera's decoder first, which tries
    both of OpenCV's detectors (the classic one alone misses about one code in fifteen of our
    licences at 300 dpi), then a search for several codes on one page."""
    import cv2

    from devices.camera.qr_decoder import decode_image

    image = cv2.imread(str(path))
    if image is None:
        raise ValueError(f"{path} is not an image OpenCV can read")
    found = decode_image(image)
    if found:
        return found
    several, payloads, _, _ = cv2.QRCodeDetector().detectAndDecodeMulti(image)
    return [p for p in payloads if p] if several else []


def decode_qr_pdf(path: Path, resolutions: tuple[int, ...] = (300, 200, 400)) -> list[str]:
    """Every QR payload in a PDF, page by page, rasterised with poppler's pdftoppm. A page
    showing nothing at the first resolution is tried at the next: a module that falls on a
    fractional number of pixels can defeat OpenCV at one resolution and read at another."""
    first, *others = resolutions
    payloads: list[str] = []
    for number, found in enumerate(_decode_pages(path, first), start=1):
        for dpi in others:
            if found:
                break
            [found] = _decode_pages(path, dpi, page=number)
        payloads += found
    return payloads


def _decode_pages(path: Path, dpi: int, page: int | None = None) -> list[list[str]]:
    """The payloads of each page (or of one page) at one resolution."""
    only = ["-f", str(page), "-l", str(page)] if page else []
    with tempfile.TemporaryDirectory(prefix="kiosk-qr-") as folder:
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), *only, str(path), f"{folder}/page"], check=True
        )
        return [decode_qr_image(image) for image in sorted(Path(folder).glob("page*.png"))]
