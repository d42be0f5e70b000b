"""The LIS hub's settings, checked (no streamlit): the contact address on every page's foot."""

from __future__ import annotations

import logging
import re

DEFAULT_CONTACT = "LIS@enterprisem3.org.uk"
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
                    re.ASCII)
log = logging.getLogger(__name__)


def contact_email(value: object) -> str:
    """The configured contact address (`lis_contact_email`), or the LEP's own when it is not set or
    is not a plain email address (then a warning is logged naming the setting, never echoing it)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_CONTACT
    text = str(value).strip()
    if not _EMAIL.fullmatch(text):
        log.warning("setting lis_contact_email is not a plain email address; using %s", DEFAULT_CONTACT)
        return DEFAULT_CONTACT
    return text
