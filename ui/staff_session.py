"""Whether this browser session has signed in on the staff page, for pages that let staff in
without their own password (the facilitator view). Reads, never draws.

It reads what pages/staff_review.py leaves in the session: the SHA-256 of the staff password the
session signed in with, under STAFF_AUTHORISED_KEY (compared in constant time with the configured
password's), or an identity-provider sign-in whose email is on ``staff_emails``. The facilitator
test that signs in on the staff page and then opens /facilitate keeps the two in step.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

import streamlit as st

from . import feedback_access

STAFF_AUTHORISED_KEY = "staff_authorised"  # the key pages/staff_review.py signs a session in under
PASSWORD_MIN_CHARS = 12  # as pages/staff_review.py: a shorter staff_password is not in force


def _user_value(name: str):
    try:
        return st.user.get(name)
    except Exception:  # noqa: BLE001 - st.user outside a session
        return None


def staff_signed_in() -> bool:
    password = feedback_access.secret("staff_password")
    if isinstance(password, str) and len(password) >= PASSWORD_MIN_CHARS:
        digest = hashlib.sha256(password.encode("utf-8")).hexdigest()
        if hmac.compare_digest(str(st.session_state.get(STAFF_AUTHORISED_KEY, "")), digest):
            return True
    auth = feedback_access.secret("auth")
    if isinstance(auth, Mapping) and auth and _user_value("is_logged_in"):
        emails = feedback_access.secret("staff_emails", [])
        if isinstance(emails, str):
            emails = emails.split(",")
        allowed = {str(e).strip().casefold() for e in emails if str(e).strip()}
        return str(_user_value("email") or "").casefold() in allowed
    return False
