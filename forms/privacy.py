"""Masking of personal data for logs and staff screens: one place, used everywhere."""

from __future__ import annotations

import re

_ID_NUMBER = re.compile(r"(?<![0-9A-Z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_id_number(number: str) -> str:
    """Keep the first four and last four characters: 3717**********1234."""
    number = number.strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """Keep the family name only: 张** (a one-character name becomes *)."""
    chars = list(name.strip())
    if len(chars) <= 1:
        return "*" * len(chars)
    return chars[0] + "*" * (len(chars) - 1)


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number found in free text (log messages, errors)."""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
