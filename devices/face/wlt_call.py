"""How to call a card reader vendor's WLT decoding function: one line of configuration.

    FUNCTION(ARG, ARG, ...) == SUCCESS -> FORMAT

(the arguments and formats are documented in wlt.py). Parsed when the configuration is
loaded, so a wrong line stops the start with a message rather than the first resident's check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_CALL = "unpack(wlt, out[38862], 1) == 1 -> bmp"
DEFAULT_OUT_SIZE = 38862
_CALL = re.compile(r"^\s*([A-Za-z_]\w*)\s*\((.*)\)\s*==\s*(-?\d+)\s*->\s*(bmp|bgr|rgb)\s*$")
_ARG = re.compile(r"^(wlt|wlt_len|out(?:\[(\d+)\])?|out_len|&out_len|wlt_file|out_file|-?\d+)$")


@dataclass(frozen=True)
class CallSpec:
    """How to call the vendor's decoding function (the line's parts are documented in wlt.py)."""

    function: str
    args: tuple[str, ...]
    success: int
    output: str
    out_size: int = DEFAULT_OUT_SIZE

    @classmethod
    def parse(cls, text: str) -> CallSpec:
        """Read a call line; ValueError names what is wrong with it."""
        match = _CALL.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not FUNCTION(ARG, ...) == SUCCESS -> bmp|bgr|rgb")
        function, arguments, success, output = match.groups()
        args, out_size = [], DEFAULT_OUT_SIZE
        for raw in (a.strip() for a in arguments.split(",") if a.strip()):
            arg = _ARG.match(raw)
            if arg is None:
                raise ValueError(
                    f"argument {raw!r}: allowed are wlt, wlt_len, out[N], out_len, &out_len, "
                    "wlt_file, out_file and whole numbers"
                )
            if arg.group(2):
                out_size = int(arg.group(2))
            args.append("out" if raw.startswith("out[") else raw)
        if "wlt" not in args and "wlt_file" not in args:
            raise ValueError(f"{text!r} passes the photo neither as wlt nor as wlt_file")
        if output != "bmp" and "out" not in args:
            raise ValueError(f"{text!r}: bare {output} pixels need an out buffer")
        pixels = 102 * 126 * 3  # the card photo's size
        if output != "bmp" and out_size < pixels:
            raise ValueError(f"{text!r}: out[{out_size}] is smaller than 102×126×3 = {pixels} bytes")
        return cls(function, tuple(args), int(success), output, out_size)
