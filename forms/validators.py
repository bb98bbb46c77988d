"""Field validators. Each returns None when the value is fine, or a message in Chinese that
tells the resident what to change."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from forms.ids import is_valid_credit_code, is_valid_resident_id

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Han ideographs in the BMP and the supplementary planes (rare characters, 生僻字).
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TRADE_NAME = re.compile(rf"^[{_HAN}]+$")
_PERSON_NAME = re.compile(rf"^[{_HAN}]+(?:·[{_HAN}]+)*$")
_MAX_ADDRESS = 70
_CREDIT_FORM = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
_CASE_NUMBER = re.compile(r"^[A-Z0-9-]{4,40}-\d{6}$")


def _clean(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def validate_mobile(value: str) -> str | None:
    """An 11-digit mainland mobile number starting 13–19."""
    if not _MOBILE.match(_clean(value)):
        return "手机号码应为11位数字，以1开头，请检查后重新输入。"
    return None


def validate_trade_name(value: str) -> str | None:
    """The 字号: Chinese characters only, 2 to 10 of them; empty means no name."""
    value = _clean(value)
    if not value:
        return None
    if not _TRADE_NAME.match(value):
        return "字号只能使用汉字，请去掉字母、数字和符号。"
    if len(value) < 2:
        return "字号至少需要2个汉字。"
    if len(value) > 10:
        return "字号最多10个汉字，请缩短。"
    return None


def validate_person_name(value: str) -> str | None:
    """A personal name: Chinese characters (rare ones included) and the middle dot ·."""
    value = _clean(value)
    if not value or len(value) > 30 or not _PERSON_NAME.match(value):
        return "姓名应为汉字，少数民族姓名可用“·”分隔。"
    return None


def validate_address(value: str) -> str | None:
    """A postal address: not empty, printable, at most 70 characters (the ID card's limit)."""
    value = _clean(value)
    if len(value) < 5:
        return "请填写完整的经营场所地址（区县、乡镇、村或街道、门牌号）。"
    if len(value) > _MAX_ADDRESS:
        return f"地址最多{_MAX_ADDRESS}个字，请缩短。"
    if any(unicodedata.category(c).startswith("C") for c in value):
        return "地址中有无法识别的字符，请重新输入。"
    return None


def validate_person_names(value: str) -> str | None:
    """Several personal names separated by 、 or a comma (family members of 家庭经营)."""
    names = [n for n in re.split(r"[、,，\s]+", _clean(value)) if n]
    if not names:
        return "请填写家庭成员姓名，多人用“、”分隔。"
    for name in names:
        if validate_person_name(name):
            return f"“{name}”不是有效的姓名；姓名应为汉字，多人用“、”分隔。"
    return None


def validate_resident_id(value: str) -> str | None:
    """An 18-character resident ID number with a correct check character and a real birth date."""
    if not is_valid_resident_id(_clean(value)):
        return "身份证号码应为18位，请核对后重新输入（最后一位可能是X）。"
    return None


def validate_credit_code(value: str) -> str | None:
    """An 18-character unified social credit code.

    Early pilot codes can fail the GB 32100 check yet be legal, so only the form is enforced;
    a wrong check character is a warning the rules can act on, never a refusal here.
    """
    if not _CREDIT_FORM.match(_clean(value).upper()):
        return "统一社会信用代码应为18位数字或大写字母，请对照营业执照重新输入。"
    return None


def validate_case_number(value: str) -> str | None:
    """A case number as printed on receipts (terminal id, dash, six digits)."""
    if not _CASE_NUMBER.match(_clean(value).upper()):
        return "办件编号在回执上，形如 ZC-370302-001-000123，请核对后输入。"
    return None


VALIDATORS: dict[str, Callable[[str], str | None]] = {
    "mobile": validate_mobile,
    "trade_name": validate_trade_name,
    "person_name": validate_person_name,
    "person_names": validate_person_names,
    "address": validate_address,
    "resident_id": validate_resident_id,
    "credit_code": validate_credit_code,
    "case_number": validate_case_number,
}


def warn_credit_code(value: str) -> str | None:
    """A gentle note when a well-formed code fails its GB 32100 check character.

    Some early pilot codes fail the check yet are legal, so this never blocks: the resident
    is asked to look again, and the lookup goes ahead.
    """
    code = _clean(value).upper()
    if _CREDIT_FORM.match(code) and not is_valid_credit_code(code):
        return "这个代码的校验位与国家标准不符，请再核对一遍；早期试点发放的代码可能如此，不影响办理。"
    return None


WARNINGS: dict[str, Callable[[str], str | None]] = {"credit_code": warn_credit_code}
