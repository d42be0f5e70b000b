"""What a public page says when something behind it fails: that the part is temporarily unavailable,
with a short reference. The details (exception, traceback) go to the server log under that reference,
with every credential in them redacted, and never to the page: no path, host, user or lock message.

    try:
        ...
    except feedback.FeedbackStoreUnavailable as exc:
        public_errors.show_unavailable("The live tally", exc)
"""

from __future__ import annotations

import logging
import secrets
import traceback

import streamlit as st

from lis_data.feedback.redaction import redact

log = logging.getLogger("lis.public_errors")


def new_reference() -> str:
    """Eight hex digits: short enough to read out, enough to find one line in a day's log."""
    return secrets.token_hex(4)


def report(what: str, exc: BaseException, *, level: int = logging.ERROR) -> str:
    """Log `exc` (message and traceback, redacted) under a new reference, and return the reference."""
    reference = new_reference()
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
    log.log(level, "%s failed (reference %s): %s", what, reference, redact(detail))
    return reference


def message(what: str, reference: str) -> str:
    """The public wording: no detail of the failure, only the reference to quote."""
    return f"{what} is temporarily unavailable. Please try again in a few minutes (reference {reference})."


def show_unavailable(what: str, exc: BaseException, *, icon: str = ":material/cloud_off:") -> str:
    """Log `exc` under a new reference and draw the public message; return the reference."""
    reference = report(what, exc)
    st.warning(message(what, reference), icon=icon)
    return reference
