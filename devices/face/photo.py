"""The ID card's photo: 1024 bytes in a proprietary wavelet format (WLT), decoded to a picture.

Only the card readers' vendors decode WLT, in closed libraries that the terminal never bundles:
a technician installs the one that came with the reader and names it in the configuration
(wlt.py loads it through ctypes). Without one, the answer is a clear "no decoder" value and
the journey offers the hand check at the window instead of a face comparison.

The simulated cards of the demo and the tests carry a JPEG or PNG instead of WLT bytes
(assets/demo/faces/); the simulator's decoder reads those, and hands anything else to the
vendor decoder when there is one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

import numpy as np

WLT_SIZE = 1024  # bytes of photo on a second-generation ID card
CARD_PHOTO_SIZE = (102, 126)  # width, height of the decoded card photo
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class PhotoStatus(enum.Enum):
    """Every way decoding can end."""

    OK = "ok"
    EMPTY = "empty"  # the card gave no photo bytes
    NO_DECODER = "no_decoder"  # WLT bytes, and no vendor library configured on this terminal
    FAILED = "failed"  # the decoder ran and gave no picture (damaged bytes, wrong library)


@dataclass(frozen=True)
class DecodedPhoto:
    """The card photo as a BGR picture, or the status saying why there is none."""

    status: PhotoStatus
    image: np.ndarray | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True when there is a picture."""
        return self.image is not None


class PhotoDecoder(Protocol):
    """Turns the card's photo bytes into a picture; expected failures are values, not raised."""

    def decode(self, photo: bytes) -> DecodedPhoto:
        """The picture in `photo`, or why there is none."""


class NoPhotoDecoder:
    """The terminal has no vendor library: every WLT photo is NO_DECODER."""

    def decode(self, photo: bytes) -> DecodedPhoto:
        """NO_DECODER (EMPTY for no bytes at all)."""
        if not photo:
            return DecodedPhoto(PhotoStatus.EMPTY, detail="the card gave no photo")
        return DecodedPhoto(
            PhotoStatus.NO_DECODER,
            detail="no WLT decoder configured (devices.id_photo_decoder names the reader vendor's library)",
        )


def is_picture_file(photo: bytes) -> bool:
    """True for JPEG or PNG bytes (what simulated cards carry), False for WLT."""
    return photo.startswith(JPEG_MAGIC) or photo.startswith(PNG_MAGIC)


def decode_picture_file(photo: bytes) -> DecodedPhoto:
    """A JPEG, PNG or BMP file's bytes as a BGR picture."""
    import cv2

    image = cv2.imdecode(np.frombuffer(photo, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        return DecodedPhoto(PhotoStatus.FAILED, detail="the picture's bytes do not decode")
    return DecodedPhoto(PhotoStatus.OK, image)


class SimulatedPhotoDecoder:
    """For simulated cards: JPEG or PNG bytes decode as they are; WLT goes to `fallback`."""

    def __init__(self, fallback: PhotoDecoder | None = None) -> None:
        self.fallback = fallback or NoPhotoDecoder()

    def decode(self, photo: bytes) -> DecodedPhoto:
        """The simulated card's picture, or the fallback's answer for real WLT bytes."""
        if is_picture_file(photo):
            return decode_picture_file(photo)
        return self.fallback.decode(photo)


def card_photo(image: np.ndarray, quality: int = 90) -> bytes:
    """`image` as a simulated card carries it: scaled to the card's 102×126 and JPEG-encoded."""
    import cv2

    small = cv2.resize(image, CARD_PHOTO_SIZE, interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:  # pragma: no cover - OpenCV always encodes an 8-bit picture
        raise ValueError("cannot encode the photo")
    return encoded.tobytes()


def build_photo_decoder(library: str, call: str, simulated: bool) -> PhotoDecoder:
    """The decoder a terminal uses: the vendor's library when `library` names one (else none);
    with a simulated card reader, JPEG/PNG photos first."""
    decoder: PhotoDecoder = NoPhotoDecoder()
    if library:
        from devices.face.wlt import WltLibraryDecoder

        decoder = WltLibraryDecoder(library, call)
    return SimulatedPhotoDecoder(decoder) if simulated else decoder
