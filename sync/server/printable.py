"""Terminal-supplied text made safe to print on a clerk's console or in a log line: control
characters (C0, DEL, C1: escape sequences that clear the screen, move the cursor, fake a new
line) and the invisible direction overrides (which reorder what a clerk reads) are shown as
``\\xNN`` / ``\\uNNNN`` escapes; everything else, Chinese included, stays as it is."""

from __future__ import annotations

import unicodedata
from typing import Any

# Bidirectional embeddings, overrides and isolates, and the line/paragraph separators.
_INVISIBLE = {0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(value: Any, limit: int | None = None) -> str:
    """`value` as text with every control, format-override or lone-surrogate character escaped;
    cut to `limit` characters (with an ellipsis) when given."""
    text = value if isinstance(value, str) else str(value)
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    out = []
    for char in text:
        code = ord(char)
        if code < 0x20 or 0x7F <= code <= 0x9F or code in _INVISIBLE or 0xD800 <= code <= 0xDFFF:
            out.append(_escape(char))
        elif unicodedata.category(char) == "Cf" and code not in (0x200B, 0x200C, 0x200D):
            out.append(_escape(char))
        else:
            out.append(char)
    return "".join(out)
