"""Questions the facilitator types (no streamlit): a rating (1 to N), a choice between options they
type, or one word (shown on the projector as a word cloud of approved words only).

Everything typed here is hostile input: the facilitator's question and options and the room's words
are checked for length, control and bidirectional characters and (options) their number, and every
refusal is a `QuestionError` whose message names the field and the reason. The store keeps the
questions and answers (`own_question_store`); `tally` turns the answers that count (the latest of
each device) into results, and `word_counts` the approved words into counts.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from lis_data.feedback.polls import OpenedInTheRoom, answer_identity, device_hash
from lis_data.feedback.text import BIDI_CONTROLS, is_visible, visible_length
from lis_data.feedback.errors import NotFound

RATING, CHOICE, WORDS = "rating", "choice", "words"
KINDS: tuple[str, ...] = (RATING, CHOICE, WORDS)
KIND_NAMES: dict[str, str] = {RATING: "Rating", CHOICE: "Choice", WORDS: "One word (word cloud)"}
PROMPT_MIN, PROMPT_MAX = 3, 160
OPTION_MAX = 60
OPTIONS_MIN, OPTIONS_MAX = 2, 8
SCALE_MIN, SCALE_MAX = 3, 10  # a rating runs 1 to N, N in this range
LABEL_MAX = 40  # the words under the two ends of a rating scale
WORD_MAX = 30
WORD_STATES: tuple[str, ...] = ("held", "approved", "rejected")

#: A word: letters and digits of any script, with hyphens or apostrophes inside (no spaces).
_WORD = re.compile(r"[^\W_](?:[^\W_]|['’-](?=[^\W_]))*")


class QuestionError(ValueError):
    """A question or an answer that cannot be taken; the message names the field and why."""


class QuestionClosed(QuestionError):
    """The question is closed: answers are no longer taken."""


class QuestionNotFound(QuestionError, NotFound):
    missing = "question not found"


def _clean_text(value: object, field: str, *, minimum: int, maximum: int) -> str:
    """One line of text a person typed, or QuestionError naming `field` and the reason."""
    if not isinstance(value, str):
        raise QuestionError(f"{field}: text expected")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise QuestionError(f"{field}: contains a character that cannot be stored") from None
    text = unicodedata.normalize("NFC", value.strip())
    for c in text:
        if ord(c) in BIDI_CONTROLS:
            raise QuestionError(f"{field}: contains a right-to-left control character (U+{ord(c):04X})")
        if unicodedata.category(c) in ("Cc", "Zl", "Zp"):
            raise QuestionError(f"{field}: contains a control character or a line break (U+{ord(c):04X})")
    length = visible_length(text)
    if length < minimum or not any(is_visible(c) for c in text):
        raise QuestionError(f"{field}: at least {minimum} visible character{'s' if minimum != 1 else ''}")
    if len(text) > maximum:
        raise QuestionError(f"{field}: at most {maximum} characters ({len(text) - maximum} too many)")
    return text


@dataclass(frozen=True)
class OwnQuestion(OpenedInTheRoom):
    id: str
    workshop_code: str
    kind: str
    prompt: str
    options: tuple[str, ...]  # a choice's options; a rating's two end labels (may be empty)
    scale: int | None  # a rating's top point (1 to scale)
    opened_at: datetime
    revealed_at: datetime | None = None
    closed_at: datetime | None = None

    def points(self) -> list[str]:
        """What the room picks from: a choice's options; a rating's 1..N, the ends labelled."""
        if self.kind == CHOICE:
            return list(self.options)
        if self.kind == RATING and self.scale:
            low, high = (self.options + ("", ""))[:2]
            out = [str(k) for k in range(1, self.scale + 1)]
            if low:
                out[0] = f"1 {low}"
            if high:
                out[-1] = f"{self.scale} {high}"
            return out
        return []


@dataclass(frozen=True)
class QuestionSpec:
    """A valid question, ready for `store.ask_question`."""

    kind: str
    prompt: str
    options: tuple[str, ...]
    scale: int | None


def validate_question(kind: object, prompt: object, options: object = (), scale: object = None,
                      low_label: object = "", high_label: object = "") -> QuestionSpec:
    """A QuestionSpec, or QuestionError naming the field at fault."""
    if kind not in KINDS:
        raise QuestionError(f"kind: one of {', '.join(KINDS)}")
    text = _clean_text(prompt, "question", minimum=PROMPT_MIN, maximum=PROMPT_MAX)
    if kind == RATING:
        if isinstance(scale, bool) or not isinstance(scale, int) or not SCALE_MIN <= scale <= SCALE_MAX:
            raise QuestionError(f"scale: a whole number from {SCALE_MIN} to {SCALE_MAX} (the top of 1 to N)")
        ends = tuple(_clean_text(v, f"{name} label", minimum=0, maximum=LABEL_MAX) if str(v or "").strip() else ""
                     for v, name in ((low_label, "lowest"), (high_label, "highest")))
        return QuestionSpec(RATING, text, ends if any(ends) else (), int(scale))
    if kind == WORDS:
        return QuestionSpec(WORDS, text, (), None)
    if isinstance(options, str):
        options = options.splitlines()
    if not isinstance(options, Iterable):
        raise QuestionError("options: a list of options")
    raw = [o for o in options if not (isinstance(o, str) and not o.strip())]
    if len(raw) > OPTIONS_MAX:
        raise QuestionError(f"options: at most {OPTIONS_MAX} ({len(raw)} given)")
    cleaned = [_clean_text(o, f"option {i}", minimum=1, maximum=OPTION_MAX) for i, o in enumerate(raw, start=1)]
    if len(cleaned) < OPTIONS_MIN:
        raise QuestionError(f"options: at least {OPTIONS_MIN}, one a line ({len(cleaned)} given)")
    seen: dict[str, int] = {}
    for i, o in enumerate(cleaned, start=1):
        folded = o.casefold()
        if folded in seen:
            raise QuestionError(f"option {i}: the same as option {seen[folded]}")
        seen[folded] = i
    return QuestionSpec(CHOICE, text, tuple(cleaned), None)


def normalise_word(value: object) -> str:
    """One word as counted (lower case, NFC), or QuestionError: letters and digits, hyphens or
    apostrophes inside, no spaces, at most WORD_MAX characters."""
    text = _clean_text(value, "word", minimum=1, maximum=WORD_MAX)
    if any(ch.isspace() for ch in text):
        raise QuestionError("word: one word, no spaces")
    if not _WORD.fullmatch(text):
        raise QuestionError("word: letters and digits only (a hyphen or apostrophe inside a word is fine)")
    return text.casefold().replace("’", "'")


@dataclass(frozen=True)
class OwnAnswer:
    """A valid answer, ready for `store.answer_question`; `device` is the SHA-256 of the device key."""

    question_id: str
    device: str
    answer_key: str
    rating: int | None
    choice: str | None
    word: str | None


@dataclass(frozen=True)
class OwnReceipt:
    question_id: str
    replaced: bool
    duplicate: bool = False


def new_answer_key() -> str:
    return uuid.uuid4().hex


def validate_own_answer(q: OwnQuestion, *, device_key: object, answer_key: object, rating: object = None,
                        choice: object = None, word: object = None) -> OwnAnswer:
    device, key = answer_identity(device_key, answer_key, QuestionError)
    if q.kind == RATING:
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= (q.scale or 0):
            raise QuestionError(f"rating: a whole number from 1 to {q.scale}")
        return OwnAnswer(q.id, device_hash(device), key, int(rating), None, None)
    if q.kind == CHOICE:
        if choice not in q.options:
            raise QuestionError("choice: one of the question's options")
        return OwnAnswer(q.id, device_hash(device), key, None, str(choice), None)
    return OwnAnswer(q.id, device_hash(device), key, None, None, normalise_word(word))


@dataclass(frozen=True)
class OwnTally:
    question: OwnQuestion
    count: int
    distribution: tuple[tuple[str, int], ...]  # (option, answers), every option kept, in order
    mean: float | None  # ratings only


def tally(q: OwnQuestion, answers: Iterable[Mapping]) -> OwnTally:
    """Count the answers that count (the latest of each device) over every point of the question."""
    rows = list(answers)
    if q.kind == RATING:
        values = [int(r["rating"]) for r in rows if r.get("rating") is not None]
        labels = q.points()
        dist = tuple((labels[k - 1], sum(1 for v in values if v == k)) for k in range(1, (q.scale or 0) + 1))
        return OwnTally(q, len(values), dist, sum(values) / len(values) if values else None)
    if q.kind == CHOICE:
        picked = [r.get("choice") for r in rows if r.get("choice") is not None]
        return OwnTally(q, len(picked), tuple((o, picked.count(o)) for o in q.options), None)
    words = [r.get("word") for r in rows if r.get("word")]
    return OwnTally(q, len(words), (), None)


def word_counts(answers: Iterable[Mapping], states: Mapping[str, str], state: str = "approved"
                ) -> list[tuple[str, int]]:
    """The words of the answers that count in one moderation state (approved by default: the
    projector's), each with how many devices sent it, most first, then alphabetically."""
    counts: dict[str, int] = {}
    for r in answers:
        w = r.get("word")
        if w and states.get(w, "held") == state:
            counts[w] = counts.get(w, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
