"""The acceptance receipt (受理回执) as a device-neutral model of lines and a QR code.

The receipt printer driver turns it into ESC/POS; the preview renders the bytes it sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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
) -> Receipt:
    """The receipt a resident takes away after a decision (`line_chars`: half-width columns)."""
    lines = [
        ReceiptLine(hall_name, align="center", bold=True),
        ReceiptLine("受理回执", align="center", bold=True, large=True),
        ReceiptLine("-" * line_chars),
        ReceiptLine(f"事项：{item_name}"),
        ReceiptLine(f"办件编号：{case_number}"),
        ReceiptLine(f"申请人：{mask_name(applicant_name)}"),
        ReceiptLine(f"办理结果：{outcome_label}", bold=True),
    ]
    if credit_code:
        lines.append(ReceiptLine(f"统一社会信用代码：{credit_code}"))
    if documents:
        lines.append(ReceiptLine(f"已出具：{'、'.join(documents)}"))
    lines += [
        ReceiptLine(f"办理时间：{decided_at:%Y-%m-%d %H:%M}"),
        ReceiptLine(f"终端：{terminal_id}"),
        ReceiptLine("-" * line_chars),
    ]
    footer = (
        ReceiptLine("扫码查询办件进度", align="center"),
        ReceiptLine("请妥善保管本回执。", align="center"),
    )
    return Receipt(tuple(lines), qr_payload=case_number, footer=footer)
