"""The reader vendor's WLT decoding library, loaded through ctypes from a configured path.

Vendors ship the decoder as a shared library with the reader's SDK (names such as
libwlt.so or libWltRS.so); it is closed, licensed with the reader, and never bundled with the
kiosk. Its call differs between vendors, so the configuration describes it in one line:

    FUNCTION(ARG, ARG, ...) == SUCCESS -> FORMAT

ARG is one of
    wlt          pointer to the card's 1024 photo bytes
    wlt_len      the number 1024
    out[N]       pointer to an output buffer of N bytes (N defaults to 38862, the size of a
                 102×126 24-bit BMP file with its 54-byte header)
    out_len      the number N
    &out_len     pointer to an int holding N, which the library may set to the length written
    wlt_file     path (char *) of a temporary file holding the 1024 bytes
    out_file     path (char *) where the library writes the picture file
    123          a literal int (a flag, a port number, a picture type)
SUCCESS is the int the function returns when it worked, and FORMAT what it writes:
    bmp          a picture file (BMP, or JPEG/PNG: whatever OpenCV reads)
    bgr / rgb    bare 102×126 pixels, 3 bytes each, rows top to bottom

When the call names wlt_file but no output, the picture is read from the same path with the
extension .bmp (what the Windows-era GetBmp(path, type) does).

Examples (check them against the vendor's header file; none is verified here):
    unpack(wlt, out[38862], 1) == 1 -> bmp        the default: a Linux SDK's libwlt.so
    GetBmp(wlt_file, 2) == 1 -> bmp               writes <wlt_file>.bmp
    Wlt2Rgb(wlt, wlt_len, out[38556]) == 0 -> bgr

The library runs inside the kiosk's process and is called under a lock (vendor decoders are
seldom thread-safe); a library that crashes takes the kiosk with it, which the technician's
self-test shows before a resident does.
"""

from __future__ import annotations

import ctypes
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

from devices.face.photo import CARD_PHOTO_SIZE, WLT_SIZE, DecodedPhoto, PhotoStatus
from devices.face.wlt_call import DEFAULT_CALL, CallSpec


class WltLibraryDecoder:
    """A PhotoDecoder calling the vendor's library; the library is loaded at the first photo."""

    def __init__(self, library: str | Path, call: str | CallSpec = DEFAULT_CALL) -> None:
        self.library = Path(library)
        self.call = call if isinstance(call, CallSpec) else CallSpec.parse(call)
        self._function: Any = None
        self._lock = threading.Lock()

    def _load(self) -> str:
        """Load the library and find the function; '' when ready, else why not."""
        if self._function is not None:
            return ""
        try:
            handle = ctypes.CDLL(str(self.library))
        except OSError as exc:
            return f"cannot load the WLT decoder {self.library}: {exc}"
        try:
            function = getattr(handle, self.call.function)
        except AttributeError:
            return f"{self.library} has no function {self.call.function}"
        function.restype = ctypes.c_int
        self._function = function
        return ""

    def decode(self, photo: bytes) -> DecodedPhoto:
        """The card photo decoded by the vendor's library, or why not."""
        if not photo:
            return DecodedPhoto(PhotoStatus.EMPTY, detail="the card gave no photo")
        if len(photo) < WLT_SIZE:
            return DecodedPhoto(PhotoStatus.FAILED, detail=f"{len(photo)} photo bytes; WLT has {WLT_SIZE}")
        with self._lock:
            problem = self._load()
            if problem:
                return DecodedPhoto(PhotoStatus.NO_DECODER, detail=problem)
            with tempfile.TemporaryDirectory(prefix="wlt-") as folder:
                return self._call(photo[:WLT_SIZE], Path(folder))

    def _call(self, wlt: bytes, folder: Path) -> DecodedPhoto:
        spec = self.call
        source = ctypes.create_string_buffer(wlt, WLT_SIZE)
        out = ctypes.create_string_buffer(spec.out_size)
        out_len = ctypes.c_int(spec.out_size)
        wlt_file, out_file = folder / "photo.wlt", folder / "photo-out.bmp"
        wlt_file.write_bytes(wlt)
        values = {
            "wlt": source,
            "wlt_len": ctypes.c_int(WLT_SIZE),
            "out": out,
            "out_len": ctypes.c_int(spec.out_size),
            "&out_len": ctypes.byref(out_len),
            "wlt_file": ctypes.c_char_p(str(wlt_file).encode()),
            "out_file": ctypes.c_char_p(str(out_file).encode()),
        }
        args = [values[a] if a in values else ctypes.c_int(int(a)) for a in spec.args]
        returned = self._function(*args)
        if returned != spec.success:
            return DecodedPhoto(
                PhotoStatus.FAILED, detail=f"{spec.function} returned {returned}, not {spec.success}"
            )
        if "out" in spec.args:
            length = (
                out_len.value
                if "&out_len" in spec.args and 0 < out_len.value <= spec.out_size
                else spec.out_size
            )
            data = out.raw[:length]
        else:
            written = out_file if "out_file" in spec.args else wlt_file.with_suffix(".bmp")
            if not written.is_file():
                return DecodedPhoto(PhotoStatus.FAILED, detail=f"{spec.function} wrote no {written.name}")
            data = written.read_bytes()
        return _picture(data, spec.output)


def _picture(data: bytes, output: str) -> DecodedPhoto:
    import cv2

    if output == "bmp":
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            return DecodedPhoto(PhotoStatus.FAILED, detail="the decoder's output is not a picture file")
        return DecodedPhoto(PhotoStatus.OK, image)
    width, height = CARD_PHOTO_SIZE
    pixels = np.frombuffer(data[: width * height * 3], np.uint8).reshape(height, width, 3)
    image = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR) if output == "rgb" else pixels.copy()
    return DecodedPhoto(PhotoStatus.OK, image)
