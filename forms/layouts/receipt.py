"""The acceptance receipt (受理回执) as a device-neutral model of lines and a QR code.

The receipt printer driver turns it into ESC/POS; the preview renders the bytes it sent.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from forms.layouts.content import permit_lines
from forms.privacy import mask_name


@dataclass(frozen=True)
class ReceiptLine:
    """One line of a receipt."""

    text: str
    align: str = "left"
    bold: bool = False
    large: bool = False


@dataclass(frozen=True)
class Receipt:
    """A receipt: lines in order, then an optional QR code, then a cut."""

    lines: tuple[ReceiptLine, ...]
    qr_payload: str | None = None
    footer: tuple[ReceiptLine, ...] = field(default_factory=tuple)


def _width(text: str) -> int:
    """Half-width columns a line takes on the printer (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def field_lines(label: str, value: str, line_chars: int, bold: bool = False) -> list[ReceiptLine]:
    """`label：value` on one line, or the label then the value when it would not fit the paper."""
    if _width(f"{label}：{value}") <= line_chars:
        return [ReceiptLine(f"{label}：{value}", bold=bold)]
    return [ReceiptLine(f"{label}：", bold=bold), ReceiptLine(f"  {value}", bold=bold)]


def wrapped_lines(text: str, line_chars: int, first: str = "", rest: str = "  ") -> list[ReceiptLine]:
    """`text` broken into lines of the paper's width, after `first` on the first line and `rest`
    on the others (a hanging indent), never splitting a character."""
    lines, current = [], first
    for char in text:
        if _width(current + char) > line_chars and current.strip():
            lines.append(ReceiptLine(current))
            current = rest
        current += char
    if current.strip():
        lines.append(ReceiptLine(current))
    return lines


def acceptance_receipt(
    *,
    hall_name: str,
    item_name: str,
    case_number: str,
    outcome_label: str,
    applicant_name: str,
    documents: list[str],
    decided_at: dt.datetime,
    credit_code: str | None,
    terminal_id: str,
    line_chars: int = 48,
    permits: Sequence[Mapping[str, Any]] = (),
) -> Receipt:
    """The receipt a resident takes away after a decision (`line_chars`: half-width columns).

    `permits` ({scope_name, permit, kind} each, from the case summary) are what the chosen
    business scope still needs: each is printed as one sentence under 还需办理.
    """
    lines = [
        ReceiptLine(hall_name, align="center", bold=True),
        ReceiptLine("受理回执", align="center", bold=True, large=True),
        ReceiptLine("-" * line_chars),
        *field_lines("事项", item_name, line_chars),
        *field_lines("办件编号", case_number, line_chars),
        *field_lines("申请人", mask_name(applicant_name), line_chars),
        *field_lines("办理结果", outcome_label, line_chars, bold=True),
    ]
    if credit_code:
        lines += field_lines("统一社会信用代码", credit_code, line_chars)
    if documents:
        lines += field_lines("已出具", "、".join(documents), line_chars)
    needed = permit_lines(permits)
    if needed:
        lines.append(ReceiptLine("还需办理：", bold=True))
        for sentence in needed:
            lines += wrapped_lines(sentence, line_chars, first="· ")
    lines += [
        *field_lines("办理时间", f"{decided_at:%Y-%m-%d %H:%M}", line_chars),
        *field_lines("终端", terminal_id, line_chars),
        ReceiptLine("-" * line_chars),
    ]
    footer = (
        ReceiptLine("扫码查询办件进度", align="center"),
        ReceiptLine("请妥善保管本回执。", align="center"),
    )
    return Receipt(tuple(lines), qr_payload=case_number, footer=footer)
