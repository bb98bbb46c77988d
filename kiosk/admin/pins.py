"""Staff PINs: checked for strength when set, kept only as slow salted scrypt hashes."""

from __future__ import annotations

import hashlib
import hmac
import os

# scrypt at N=2^14, r=8, p=1: about 50 ms and 16 MiB a guess, so a stolen store cannot be
# searched through the million 6-digit PINs in minutes; the lockout bounds guesses at the screen.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_DIGITS, MAX_DIGITS = 6, 12


def pin_problem(pin: str) -> str | None:
    """Why a new PIN will not do, in Chinese, or None."""
    if not pin.isascii() or not pin.isdigit() or not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        return f"密码应为{MIN_DIGITS}到{MAX_DIGITS}位数字。"
    if len(set(pin)) == 1 or pin in "01234567890123" or pin in "98765432109876":
        return "密码太容易猜到（同一个数字或连续数字），请换一个。"
    return None


def hash_pin(pin: str, n: int = SCRYPT_N) -> str:
    """The stored form of a PIN: scrypt$N$r$p$salt$hash (hex)."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether `pin` is the one `stored` was made from (in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)
