"""The sounding board's submission policy, without streamlit: what happens when someone presses Send.

`submit` validates the form's values (`validate_submission`), and then, in this order:

* a second tap that reaches the server after the first was stored and the form cleared (an empty
  form, `form_is_cleared`) changes nothing: the first tap's acknowledgement stays;
* a filled honeypot (the decoy field, hidden from people) looks exactly like a stored comment, with
  a made-up reference, and stores nothing; it counts against the session and the address;
* invalid values: an error per field, nothing stored, nothing counted;
* the same comment again (a second click that arrived after the first was stored) is sent under the
  first one's submission key, so the store returns that row instead of adding another;
* otherwise the session's limit (`most` in `window` seconds) and then the shared limits (per client
  address and per process, `SharedLimits.reserve`, taken atomically before the comment is stored)
  may refuse it; a place taken is given back when the store fails or already had the comment.

The page (pages/sounding_board.py) keeps the session's `Memory` in its session state and lays the
outcome out; the tests and the command line call `submit` directly.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from lis_data.feedback.errors import FeedbackStoreUnavailable
from lis_data.feedback.store import reference_for
from lis_data.feedback.validation import Submission, is_spam, new_submission_key, validate_submission

#: The form's fields and what a cleared form holds in each (the priority: the one preselected, if any).
FIELDS = ("priority", "places", "respondent_type", "organisation", "comment", "evidence_url",
          "name", "email", "consent")
CLEARED = {"places": [], "respondent_type": None, "organisation": "", "comment": "", "evidence_url": "",
           "name": "", "email": "", "consent": False}


@dataclass(frozen=True)
class Memory:
    """What one person's session remembers between sends."""
    sent_at: tuple[float, ...] = ()  # when its comments were counted (time.time())
    last: tuple[str, str, str] | None = None  # (fingerprint, submission key, reference) of the last one stored
    status: tuple[str, Any] | None = None  # the last outcome's status


@dataclass(frozen=True)
class SharedLimits:
    """The limits shared by every session of the process (web.throttle windows, given by the page).
    reserve(): take a place for this comment in every shared window, or return (scope, minutes to
    wait) for the one that is full, scope "address" or "process"; release(): give the places back;
    record_decoy(): count a decoy against the address."""
    reserve: Callable[[], tuple[str, int] | None] = lambda: None
    release: Callable[[], None] = lambda: None
    record_decoy: Callable[[], None] = lambda: None


@dataclass(frozen=True)
class Outcome:
    """status: ("saved" | "duplicate", reference), ("invalid", number of fields), ("rate", (most,
    window, minutes to wait)), ("busy", (scope, minutes to wait)) or ("unavailable", the error);
    None when nothing changes (a second tap on a cleared form)."""
    status: tuple[str, Any] | None
    memory: Memory
    errors: dict[str, str] = field(default_factory=dict)
    clear_form: bool = False
    error: FeedbackStoreUnavailable | None = None


def fingerprint(sub: Submission) -> str:
    values = {k: v for k, v in asdict(sub).items() if k != "submission_key"}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def is_cleared(raw: Mapping[str, Any], preselected: str | None) -> bool:
    """True when the form holds exactly what a cleared form holds: nothing typed since."""
    if raw.get("priority") not in (None, preselected) or raw.get("honeypot"):
        return False
    for name, default in CLEARED.items():
        value = raw.get(name)
        if isinstance(default, list):
            if list(value or []) != default:
                return False
        elif isinstance(default, str):
            if (value or "") != default:
                return False
        elif value not in (default, None):
            return False
    return True


def submit(raw: Mapping[str, Any], *, priorities: Collection[str], places: Collection[str],
           store: Callable[[], Any], memory: Memory, most: int, window: float,
           shared: SharedLimits = SharedLimits(), preselected: str | None = None,
           now: float | None = None) -> Outcome:
    """One press of Send with the form's values `raw` (FIELDS, honeypot, workshop_code,
    submission_key). `store()` returns the feedback store (it may raise FeedbackStoreUnavailable)."""
    status = memory.status
    if status and status[0] in ("saved", "duplicate") and is_cleared(raw, preselected):
        return Outcome(None, memory)
    result = validate_submission(raw, priorities=priorities, places=places)
    now = time.time() if now is None else now
    recent = tuple(t for t in memory.sent_at if now - t < window)
    if is_spam(result):
        shared.record_decoy()
        status = ("saved", reference_for(new_submission_key()))
        return Outcome(status, Memory(recent + (now,), memory.last, status), clear_form=True)
    if isinstance(result, dict):
        status = ("invalid", len(result))
        return Outcome(status, replace(memory, status=status), errors=result)
    print_ = fingerprint(result)
    reserved = False
    if memory.last and memory.last[0] == print_:
        result = validate_submission({**raw, "submission_key": memory.last[1]}, priorities=priorities, places=places)
    elif len(recent) >= most:
        wait = max(1, math.ceil((min(recent) + window - now) / 60))
        status = ("rate", (most, window, wait))
        return Outcome(status, replace(memory, status=status))
    else:
        refused = shared.reserve()
        if refused is not None:
            status = ("busy", refused)
            return Outcome(status, replace(memory, status=status))
        reserved = True
    try:
        receipt = store().append(result)
    except FeedbackStoreUnavailable as exc:
        if reserved:
            shared.release()
        status = ("unavailable", exc)
        return Outcome(status, replace(memory, status=status), error=exc)
    if receipt.duplicate and reserved:
        shared.release()  # stored before: nothing new counts
    sent_at = memory.sent_at if receipt.duplicate else recent + (now,)
    status = ("duplicate" if receipt.duplicate else "saved", receipt.reference)
    return Outcome(status, Memory(sent_at, (print_, result.submission_key, receipt.reference), status),
                   clear_form=True)
