"""The staff page's erasure section: remove a submission's personal details, or the whole
submission, by its reference, when someone asks (the privacy notice of the form says how).

Two steps: the form checks the reference (SB- and six Crockford base-32 characters, as
`lis_data.feedback.reference_for` makes them) and the scope, then a confirmation names what will
go; only "Yes, erase" calls the store's
``erase(reference, *, scope="personal" | "all", actor=..., reason=...) -> ErasureResult``.
The store removes the data from the table and every export and writes an audit row without it.
"""

from __future__ import annotations

import logging
import re

import streamlit as st

from lis_data import feedback
from lis_data.errors import LisDataError

log = logging.getLogger(__name__)

_REF = "staff_erase_reference"
_SCOPE = "staff_erase_scope"
_REASON = "staff_erase_reason"
_PENDING = "staff_erase_pending"
REFERENCE_RE = re.compile(r"SB-[0-9A-HJKMNP-TV-Z]{6}")
SCOPES = {
    "personal": "Personal details only (name and email; the comment stays)",
    "all": "The whole submission (comment, places, organisation, link, name and email)",
}
_WHAT = {"personal": "the name and email of", "all": "the whole of"}


def normalise_reference(text: object) -> str | None:
    """A reference as stored (upper case, e.g. SB-7F3K2Q), or None when `text` is not one."""
    if not isinstance(text, str):
        return None
    value = text.strip().upper().replace("–", "-").replace("—", "-")
    if value and not value.startswith("SB-"):
        value = "SB-" + value.removeprefix("SB")
    return value if REFERENCE_RE.fullmatch(value) else None


def _ask(message_key: str) -> None:
    ss = st.session_state
    reference = normalise_reference(ss.get(_REF))
    scope = ss.get(_SCOPE)
    if reference is None:
        ss[message_key] = ("error", "Nothing erased: a reference is SB- followed by six letters and digits, "
                                    "for example SB-7F3K2Q, as quoted to the person when they sent the comment.")
        return
    if scope not in SCOPES:
        ss[message_key] = ("error", "Nothing erased: choose what to erase.")
        return
    ss[_PENDING] = (reference, scope, (ss.get(_REASON) or "").strip())


def _cancel(message_key: str) -> None:
    st.session_state.pop(_PENDING, None)
    st.session_state[message_key] = ("success", "Nothing erased.")


def _erase(store, actor: str, message_key: str) -> None:
    ss = st.session_state
    pending = ss.pop(_PENDING, None)
    if pending is None:
        return
    reference, scope, reason = pending
    try:
        result = store.erase(reference, scope=scope, actor=actor, reason=reason)
    except feedback.FeedbackNotFound:
        ss[message_key] = ("error", f"Nothing erased: no submission has the reference {reference}.")
        return
    except feedback.FeedbackStoreUnavailable as exc:
        log.warning("Erasure of %s not done: %s", reference, exc)
        ss[message_key] = ("error", f"Nothing erased: the feedback store cannot be reached just now. Try "
                                    f"{reference} again in a few minutes.")
        return
    except (LisDataError, ValueError) as exc:
        log.warning("Erasure of %s refused: %s", reference, exc)
        ss[message_key] = ("error", f"Nothing erased for {reference}: {exc}")
        return
    when = getattr(result, "erased_at", None)
    at = f" at {when:%Y-%m-%d %H:%M} UTC" if when is not None else ""
    log.info("Erased %s of %s by %s", scope, reference, actor)
    ss[_REF] = ""
    ss[_REASON] = ""
    ss[message_key] = ("success", f"Erased {_WHAT[scope]} {reference}{at}. It is gone from the list and from "
                                  "every export; the audit log records the erasure without the erased data.")


def erasure_section(store, *, actor: str, message_key: str) -> None:
    """Draw the section. `actor` names who is signed in (kept in the audit row)."""
    st.header("Erase personal details or a submission", anchor=False)
    st.caption("When someone asks for removal (the form's privacy notice tells them to email, quoting their "
               "reference): erasing personal details removes the name and email from the store and every "
               "export and keeps the comment; erasing the whole submission removes all of it. Both are final. "
               "Hiding, above, keeps everything.")
    if not callable(getattr(store, "erase", None)):
        st.info("This feedback store cannot erase submissions yet.", icon=":material/info:")
        return
    pending = st.session_state.get(_PENDING)
    if pending is None:
        with st.form("staff_erase_form", enter_to_submit=False):
            st.text_input("Reference", key=_REF, placeholder="SB-7F3K2Q", max_chars=20)
            st.radio("What to erase", list(SCOPES), format_func=SCOPES.get, key=_SCOPE)
            st.text_input("Reason (kept in the audit log)", key=_REASON, max_chars=500,
                          placeholder="e.g. removal requested by email on 3 December")
            st.form_submit_button("Erase…", icon=":material/delete:", on_click=_ask, args=(message_key,))
        return
    reference, scope, _ = pending
    st.warning(f"Erase {_WHAT[scope]} submission {reference}? This cannot be undone.",
               icon=":material/warning:")
    yes, no = st.columns(2)
    yes.button("Yes, erase", type="primary", icon=":material/delete_forever:", key="staff_erase_confirm",
               on_click=_erase, args=(store, actor, message_key))
    no.button("Cancel", key="staff_erase_cancel", on_click=_cancel, args=(message_key,))
