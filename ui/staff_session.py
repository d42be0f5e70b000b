"""Staff sign-in, the one implementation: what is configured (a password, an identity provider and
its staff addresses; ui/app_settings.py) and whether this browser session has signed in. The staff
page (pages/staff_review.py) draws the forms and calls `sign_in_with_password`; pages that let staff
in without their own password (the facilitator view, the hub's staff page) call `staff_signed_in`.

A session signed in with the password keeps the SHA-256 of that password under
STAFF_AUTHORISED_KEY (compared in constant time with the configured password's, so changing the
password signs everyone out); an identity-provider sign-in counts when its email is on
``staff_emails``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

import streamlit as st

from . import app_settings

STAFF_AUTHORISED_KEY = "staff_authorised"  # digest of the password this session signed in with
#: The shortest staff password that is in force.
PASSWORD_MIN_CHARS = 12


class Misconfigured(str):
    """A staff_password setting that is set but unusable (the reason, never the value)."""


def configured_password() -> str | Misconfigured | None:
    """The configured password; None when not set; a Misconfigured reason when set but unusable."""
    value = app_settings.current().staff_password
    if value is None:
        return None
    if not isinstance(value, str):
        kind = "a number" if isinstance(value, (int, float)) and not isinstance(value, bool) else \
            type(value).__name__
        return Misconfigured(f"it is {kind}, not text: write it in quotes, staff_password = \"...\"")
    if len(value) < PASSWORD_MIN_CHARS:
        return Misconfigured(f"it is shorter than {PASSWORD_MIN_CHARS} characters")
    return value


def providers() -> list[str | None] | None:
    """The identity providers of the [auth] section (None: the unnamed default), or None
    when no identity provider is configured."""
    auth = app_settings.current().auth
    if not auth:
        return None
    if "client_id" in auth:
        return [None]
    return [k for k, v in auth.items() if isinstance(v, Mapping)] or None


def is_staff_email(email: object) -> bool:
    return str(email or "").casefold() in app_settings.current().staff_emails


def digest(password: str) -> str:
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def password_matches(entered: str, configured: str) -> bool:
    return hmac.compare_digest(entered.encode("utf-8"), configured.encode("utf-8"))


def mark_signed_in(configured: str) -> None:
    st.session_state[STAFF_AUTHORISED_KEY] = digest(configured)


def signed_in_with_password(configured: object) -> bool:
    """Whether this session signed in with `configured` (a password in force)."""
    if not isinstance(configured, str) or isinstance(configured, Misconfigured):
        return False
    return hmac.compare_digest(str(st.session_state.get(STAFF_AUTHORISED_KEY, "")), digest(configured))


def user_value(name: str):
    try:
        return st.user.get(name)
    except Exception:  # noqa: BLE001 - st.user outside a session
        return None


def staff_signed_in() -> bool:
    if signed_in_with_password(configured_password()):
        return True
    if providers() and user_value("is_logged_in"):
        return is_staff_email(user_value("email"))
    return False
