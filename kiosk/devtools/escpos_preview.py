"""Render ESC/POS bytes as a PNG, so screens and tests see what the paper would show.

It interprets the commands our receipts use and refuses any other, so a preview that
renders is evidence that the bytes are well-formed and the text decodes as GB18030.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from forms.fonts import cjk_font_path

DOTS_PER_LINE = {58: 384, 80: 576}
BASE = 24  # font A: 12×24 dots half-width, 24×24 dots for a Chinese character


class UnknownCommandError(ValueError):
    """The bytes hold a command this preview does not know (and our receipts never send)."""


@dataclass
class _State:
    align: int = 0
    bold: bool = False
    width: int = 1
    height: int = 1
    qr_size: int = 3
    qr_data: bytes = b""
    rows: list[tuple[str, Image.Image | None, int, bool, int, int]] = field(default_factory=list)


# Commands with a fixed number of parameter bytes that do not change the rendering.
_ESC_IGNORED = {b"{": 1, b"-": 1, b"M": 1, b"t": 1, b"G": 1, b"2": 0, b"3": 1, b"V": 1}
_GS_IGNORED = {b"b": 1, b"B": 1}


def parse_escpos(data: bytes) -> _State:
    """Interpret the bytes into rows of text and images; UnknownCommandError for a command this
    preview does not know or one cut short."""
    try:
        return _parse(data)
    except IndexError:  # a command's parameters run past the end of the bytes
        raise UnknownCommandError("a command is cut short by the end of the data") from None


def _parse(data: bytes) -> _State:
    s, i, text = _State(), 0, bytearray()

    def flush() -> None:
        if text:
            # What a printer does with bytes that are no character: print a replacement mark.
            s.rows.append((text.decode("gb18030", "replace"), None, s.align, s.bold, s.width, s.height))
            text.clear()

    while i < len(data):
        b = data[i : i + 1]
        if b == b"\n":
            flush() if text else s.rows.append(("", None, s.align, s.bold, s.width, s.height))
            i += 1
        elif b == b"\x1b":
            cmd = data[i + 1 : i + 2]
            if cmd == b"@":
                s, i = _State(rows=s.rows), i + 2
            elif cmd == b"!":
                mode = data[i + 2]
                s.bold, s.height, s.width = (
                    bool(mode & 0x08),
                    2 if mode & 0x10 else 1,
                    2 if mode & 0x20 else 1,
                )
                i += 3
            elif cmd == b"E":
                s.bold, i = bool(data[i + 2]), i + 3
            elif cmd == b"a":
                s.align, i = data[i + 2] % 48 if data[i + 2] >= 48 else data[i + 2], i + 3
            elif cmd == b"d":
                s.rows.extend([("", None, 0, False, 1, 1)] * data[i + 2])
                i += 3
            elif cmd in _ESC_IGNORED:
                i += 2 + _ESC_IGNORED[cmd]
            else:
                raise UnknownCommandError(f"ESC {cmd!r} at byte {i}")
        elif b == b"\x1d":
            cmd = data[i + 1 : i + 2]
            if cmd == b"!":
                n = data[i + 2]
                s.width, s.height, i = (n >> 4) + 1, (n & 0x0F) + 1, i + 3
            elif cmd == b"(" and data[i + 2 : i + 3] == b"k":
                length = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5 : i + 5 + length]
                _qr_command(s, body)
                i += 5 + length
            elif cmd == b"V":
                i += 3 if data[i + 2] in (0, 1, 48, 49) else 4
                s.rows.append(("- - - - 切纸 - - - -", None, 1, False, 1, 1))
            elif cmd in _GS_IGNORED:
                i += 2 + _GS_IGNORED[cmd]
            else:
                raise UnknownCommandError(f"GS {cmd!r} at byte {i}")
        elif b == b"\x1c":
            if data[i + 1 : i + 2] not in (b"&", b"."):
                raise UnknownCommandError(f"FS {data[i + 1 : i + 2]!r} at byte {i}")
            i += 2
        else:
            text += b
            i += 1
    flush()
    return s


def _qr_command(s: _State, body: bytes) -> None:
    fn = body[1:2]
    if fn == b"C":
        s.qr_size = body[2]
    elif fn == b"P":
        s.qr_data = body[3:]
    elif fn == b"Q":
        qr = qrcode.QRCode(box_size=s.qr_size, border=2)
        qr.add_data(s.qr_data.decode("utf-8"))
        s.rows.append(("", qr.make_image().get_image().convert("L"), s.align, False, 1, 1))


def _char_dots(char: str) -> int:
    return BASE // 2 if ord(char) < 0x2E80 else BASE


def _wrapped(rows: list, width: int) -> list:
    """Break text rows the way the printer does when a line is longer than the paper."""
    out = []
    for row in rows:
        text, image, align, bold, w, h = row
        if image is not None or not text:
            out.append(row)
            continue
        chunk, used = "", 0
        for char in text:
            dots = _char_dots(char) * w
            if used + dots > width:
                out.append((chunk, None, align, bold, w, h))
                chunk, used = "", 0
            chunk, used = chunk + char, used + dots
        out.append((chunk, None, align, bold, w, h))
    return out


def _fallback_font_for(char: str, size: int) -> ImageFont.FreeTypeFont | None:
    """The fallback font (Hanazono, BabelStone Han) for a rare character the main font lacks: the
    same choice as the PDFs'."""
    from forms.fonts import font_file, fonts

    name = fonts().font_for(char)
    path = font_file(name) if name and name != fonts().main else None
    return ImageFont.truetype(str(path), size) if path is not None else None


def _text_row(text: str, align: int, bold: bool, w: int, h: int, width: int, font_file: str) -> Image.Image:
    """Draw one printed line character by character in the printer's fixed cells."""
    main = ImageFont.truetype(font_file, BASE * h, index=0)
    line = Image.new("L", (width, BASE * h + 6), 255)
    draw = ImageDraw.Draw(line)
    used = sum(_char_dots(c) * w for c in text)
    x = {0: 0, 1: (width - used) // 2, 2: width - used}[align]
    for char in text:
        cell = _char_dots(char) * w
        font = (_fallback_font_for(char, BASE * h) or main) if ord(char) > 0x2E80 else main
        glyph = draw.textlength(char, font=font)
        draw.text(
            (x + (cell - glyph) / 2, 0), char, font=font, fill=0, stroke_width=1 if bold else 0, stroke_fill=0
        )
        x += cell
    return line


def render_escpos_png(data: bytes, path: Path, paper_mm: int = 80) -> Path:
    """Write a PNG of what the printer would print from `data`."""
    state = parse_escpos(data)
    width = DOTS_PER_LINE[paper_mm]
    font_file = str(cjk_font_path())
    pieces: list[Image.Image] = []
    for text, image, align, bold, w, h in _wrapped(state.rows, width):
        if image is None:
            pieces.append(_text_row(text, align, bold, w, h, width, font_file))
        else:
            line = Image.new("L", (width, image.height), 255)
            x = {0: 0, 1: (width - image.width) // 2, 2: width - image.width}[align]
            line.paste(image, (x, 0))
            pieces.append(line)
    margin = 16
    out = Image.new("L", (width + 2 * margin, sum(p.height for p in pieces) + 2 * margin), 255)
    y = margin
    for piece in pieces:
        out.paste(piece, (margin, y))
        y += piece.height
    out.save(path)
    return path
