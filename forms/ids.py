"""Check characters of the resident ID number (GB 11643-1999) and the unified social
credit code (GB 32100-2015), and the parts those numbers carry."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_PATTERN = re.compile(rf"^[{CREDIT_ALPHABET}]{{18}}$")


def resident_id_check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits of an ID number."""
    if not re.fullmatch(r"\d{17}", first17):
        raise ValueError("need exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


@dataclass(frozen=True)
class ResidentIdParts:
    """What an 18-character resident ID number says about its holder."""

    division_code: str
    birth_date: dt.date
    sequence: int
    is_male: bool


def normalise_resident_id(text: str) -> str:
    """Upper-case the check character and fold full-width digits, so '…x' and '…Ｘ' match."""
    folded = text.strip().translate(str.maketrans("０１２３４５６７８９ｘＸx", "0123456789XXX"))
    return folded


def parse_resident_id(number: str) -> ResidentIdParts | None:
    """Split a resident ID number into its parts; None if its form, date or check fail."""
    number = normalise_resident_id(number)
    if not _ID_PATTERN.match(number):
        return None
    if resident_id_check_char(number[:17]) != number[17]:
        return None
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    sequence = int(number[14:17])
    return ResidentIdParts(number[:6], birth, sequence, sequence % 2 == 1)


def is_valid_resident_id(number: str) -> bool:
    """True when the number has 18 characters, a real birth date and a correct check."""
    return parse_resident_id(number) is not None


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years of age on `day` (someone born on 29 February turns a year older on 1 March)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def credit_code_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a credit code."""
    if not re.fullmatch(rf"[{CREDIT_ALPHABET}]{{17}}", first17):
        raise ValueError("need 17 characters from the credit-code alphabet")
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True when the code uses the GB 32100 alphabet and its check character is right."""
    code = code.strip().upper()
    return bool(_CREDIT_PATTERN.match(code)) and credit_code_check_char(code[:17]) == code[17]


def individual_business_credit_code(division_code: str, serial: int) -> str:
    """Make the credit code of an individual business (个体工商户, `92…`).

    The 9-character entity part is `MA` plus the serial in base 31 over the code alphabet,
    so every serial from a licence-number block maps to exactly one code.
    """
    if not re.fullmatch(r"\d{6}", division_code):
        raise ValueError("division code must be 6 digits")
    if not 0 <= serial < 31**7:
        raise ValueError("serial out of range")
    digits = []
    for _ in range(7):
        serial, rest = divmod(serial, 31)
        digits.append(CREDIT_ALPHABET[rest])
    first17 = "92" + division_code + "MA" + "".join(reversed(digits))
    return first17 + credit_code_check_char(first17)
