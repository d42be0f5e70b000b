"""The workshop PIN: chosen by the facilitator when the workshop is opened, kept only as a salted
scrypt hash, checked in constant time (no streamlit).

A PIN is 6 to 40 characters (letters, digits, spaces, punctuation; no control characters), so
that with the facilitator view's throttle (5 wrong PINs per address per 15 minutes, 50 per
process) guessing even a six-digit PIN would take years.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PIN_MIN, PIN_MAX = 6, 40
_N, _R, _P = 2 ** 14, 8, 1
_SCHEME = "scrypt"


class PinError(ValueError):
    """A PIN that cannot be used (the message says why, never the PIN)."""


def check_pin_rules(pin: object) -> str:
    if not isinstance(pin, str):
        raise PinError("the PIN must be text")
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        raise PinError(f"the PIN has {PIN_MIN} to {PIN_MAX} characters")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in pin):
        raise PinError("the PIN may not hold control characters")
    return pin


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def hash_pin(pin: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex), from a PIN that passes `check_pin_rules`."""
    check_pin_rules(pin)
    salt = secrets.token_bytes(16)
    return f"{_SCHEME}${_N}${_R}${_P}${salt.hex()}${_derive(pin, salt, _N, _R, _P).hex()}"


def verify_pin(pin: object, stored: str | None) -> bool:
    """True when `pin` matches the stored hash (constant-time comparison); False for anything else,
    including no stored hash or a malformed one."""
    if not stored or not isinstance(pin, str) or len(pin) > PIN_MAX:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = bytes.fromhex(digest)
        got = _derive(pin, bytes.fromhex(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)
