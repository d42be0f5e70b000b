"""Pre-flagging of abusive words in the facilitator's queue (no streamlit).

The word list is the one the `better-profanity` package ships (``profanity_wordlist.txt``, with its
own leetspeak variants: "sh1t" is found as well as "shit"), not a list typed here. A flag is a hint
for the facilitator, never a decision: nothing is rejected automatically, and a comment without a
flag still waits for approval.
"""

from __future__ import annotations

import re
import threading

_lock = threading.Lock()
_filter = None
_CENSOR = "\u2588"  # a character no comment word is made of


def _profanity():
    global _filter
    with _lock:
        if _filter is None:
            from better_profanity import Profanity

            _filter = Profanity()  # loads the package's word list
        return _filter


def flagged_words(text: object) -> list[str]:
    """The words of `text` that the package's list marks as abusive, in order, each once."""
    if not isinstance(text, str) or not text.strip():
        return []
    censored = _profanity().censor(text, censor_char=_CENSOR)
    if censored == text:
        return []
    original, masked = text.split(), censored.split()
    if len(original) != len(masked):  # the filter changed the spacing: say only that there is one
        return ["(abusive wording)"]
    found = [o for o, m in zip(original, masked) if o != m]
    return list(dict.fromkeys(re.sub(r"^\W+|\W+$", "", w) or w for w in found))


def is_flagged(text: object) -> bool:
    return bool(flagged_words(text))
