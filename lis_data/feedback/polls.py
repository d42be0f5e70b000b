"""Workshop polls: the three kinds, what an answer may hold, and typed results (no streamlit).

The store keeps polls and answers (`workshop_store`); this module says what a valid answer is
(`validate_answer`) and turns the answers that count (the latest of each device in a poll) into
results: `tally` (distribution, count, mean), `shift` (a rating question asked before and after
the evidence: two rounds), and the shift by respondent type where each group has at least
`MIN_GROUP` answers in both rounds. Pages and the command line only lay these out.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from lis_data.feedback.validation import RESPONDENT_TYPES, normalise_workshop_code
from lis_data.feedback.errors import NotFound

PERFORMANCE, IMPORTANCE, TOP3 = "performance", "importance", "top3"
KINDS: tuple[str, ...] = (PERFORMANCE, IMPORTANCE, TOP3)
RATING_KINDS: tuple[str, ...] = (PERFORMANCE, IMPORTANCE)
#: The subject of a poll over all nine priorities ("pick three"); a rating poll's subject is the
#: priority it asks about.
ALL_PRIORITIES = "all"
TOP_N = 3
#: The smallest group whose shift is shown by respondent type (fewer answers say nothing).
MIN_GROUP = 5

QUESTIONS: dict[str, str] = {
    PERFORMANCE: "How is the {area} area doing on this priority?",
    IMPORTANCE: "How important is this priority for the next five years?",
    TOP3: "Pick the three priorities that matter most",
}
#: The five points of each rating question, 1 to 5, in words (never a number alone).
SCALES: dict[str, tuple[str, ...]] = {
    PERFORMANCE: ("Much worse than England", "Worse than England", "About the same as England",
                  "Better than England", "Much better than England"),
    IMPORTANCE: ("Not important", "Slightly important", "Moderately important", "Very important",
                 "Extremely important"),
}
SHORT_KIND: dict[str, str] = {PERFORMANCE: "How the area is doing", IMPORTANCE: "Importance",
                              TOP3: "Top three priorities"}

_DEVICE = re.compile(r"[A-Za-z0-9_-]{16,128}")
_ANSWER_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


class PollError(ValueError):
    """An answer or a poll request that cannot be taken (the message names the input and why)."""


class PollClosed(PollError):
    """The poll is closed (or replaced by a newer one): answers are no longer taken."""


class PollNotFound(PollError, NotFound):
    missing = "poll not found"


def question(kind: str, area_name: str = "EM3") -> str:
    return QUESTIONS[kind].format(area=area_name)


class OpenedInTheRoom:
    """What a poll and a facilitator's own question share: taking answers until closed, results on the
    projector once revealed (each a frozen dataclass with `revealed_at` and `closed_at`)."""

    revealed_at: datetime | None
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None


@dataclass(frozen=True)
class Poll(OpenedInTheRoom):
    id: str
    workshop_code: str
    kind: str
    subject: str  # a priority id, or ALL_PRIORITIES for TOP3
    round: int
    opened_at: datetime
    revealed_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def is_rating(self) -> bool:
        return self.kind in RATING_KINDS


@dataclass(frozen=True)
class PollAnswer:
    """A valid answer, ready for `store.answer_poll`. `device` is the SHA-256 of the browser's
    device key (the key itself is never stored)."""

    poll_id: str
    device: str
    answer_key: str
    priority: str  # the priority on screen when the answer was given
    respondent_type: str | None
    rating: int | None
    choices: tuple[str, ...] | None
    indicators: tuple[str, ...]  # the indicators shown on the projector at that moment
    data_vintage: str  # the extract's fingerprint at that moment


@dataclass(frozen=True)
class AnswerReceipt:
    poll_id: str
    round: int
    replaced: bool  # this device had answered the poll before: the new answer counts instead
    duplicate: bool = False  # this answer_key was stored before: nothing new written


def new_answer_key() -> str:
    return uuid.uuid4().hex


def new_device_key() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex


def device_hash(device_key: str) -> str:
    return hashlib.sha256(("lis-device:" + device_key).encode("ascii")).hexdigest()


def valid_device_key(value: object) -> str | None:
    text = str(value or "").strip()
    return text if _DEVICE.fullmatch(text) else None


def answer_identity(device_key: object, answer_key: object, error: type[ValueError]) -> tuple[str, str]:
    """The answering device's key and the answer's own key, checked (a poll's answer and an own
    question's alike); `error` names the input at fault."""
    device = valid_device_key(device_key)
    if device is None:
        raise error("device key: 16 to 128 letters, digits, '-' or '_' expected")
    key = str(answer_key or "").strip()
    if not _ANSWER_KEY.fullmatch(key):
        raise error("answer key: 8 to 64 letters, digits, '-' or '_' expected")
    return device, key


def validate_answer(poll: Poll, *, device_key: object, answer_key: object, priority: object,
                    respondent_type: object = None, rating: object = None, choices: object = None,
                    indicators: Sequence[str] = (), data_vintage: str = "", priorities: Sequence[str]) -> PollAnswer:
    """A PollAnswer for `poll`, or PollError naming the input at fault."""
    device, key = answer_identity(device_key, answer_key, PollError)
    if priority not in priorities:
        raise PollError("priority: not one of the nine priorities")
    rtype = None
    if respondent_type not in (None, ""):
        if respondent_type not in RESPONDENT_TYPES:
            raise PollError(f"respondent type: one of {', '.join(RESPONDENT_TYPES)}")
        rtype = str(respondent_type)
    value: int | None = None
    picked: tuple[str, ...] | None = None
    if poll.is_rating:
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise PollError("rating: a whole number from 1 to 5")
        value = int(rating)
        if choices:
            raise PollError("choices: this poll asks for a rating")
    else:
        if rating is not None:
            raise PollError("rating: this poll asks for priorities")
        if isinstance(choices, str) or not isinstance(choices, Iterable):
            raise PollError("choices: a list of priorities")
        picked = tuple(dict.fromkeys(str(c) for c in choices))
        if not 1 <= len(picked) <= TOP_N:
            raise PollError(f"choices: pick one to {TOP_N} priorities")
        bad = [c for c in picked if c not in priorities]
        if bad:
            raise PollError("choices: not one of the nine priorities")
    shown = tuple(str(i)[:100] for i in indicators)[:50]
    return PollAnswer(poll.id, device_hash(device), key, str(priority), rtype, value, picked, shown,
                      str(data_vintage or "unknown")[:80])


# -- results ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    """The result of one poll round: the answers that count (one per device)."""

    poll: Poll
    count: int
    distribution: tuple[tuple[str, int], ...]  # (option, answers): 1..5 for a rating, priorities for TOP3
    mean: float | None  # ratings only; None when no answer
    by_type: tuple[tuple[str, int, float | None], ...] = ()  # (respondent type, answers, mean)

    def as_record(self) -> dict:
        return {"poll_id": self.poll.id, "kind": self.poll.kind, "subject": self.poll.subject,
                "round": self.poll.round, "opened_at": self.poll.opened_at.isoformat(),
                "revealed": self.poll.revealed, "count": self.count,
                "mean": None if self.mean is None else round(self.mean, 2),
                "distribution": dict(self.distribution)}


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def tally(poll: Poll, answers: Iterable[Mapping], priorities: Sequence[str] = ()) -> Tally:
    """Count the answers that count (one per device: pass `latest_answers`). For a rating poll the
    distribution runs over 1..5 (zeros kept); for TOP3 over `priorities` (zeros kept), then any other."""
    rows = list(answers)
    if poll.is_rating:
        ratings = [int(r["rating"]) for r in rows if r.get("rating") is not None]
        dist = tuple((str(k), sum(1 for v in ratings if v == k)) for k in range(1, 6))
        groups: dict[str, list[int]] = {}
        for r in rows:
            if r.get("rating") is not None and r.get("respondent_type"):
                groups.setdefault(str(r["respondent_type"]), []).append(int(r["rating"]))
        by_type = tuple((t, len(groups[t]), _mean(groups[t])) for t in RESPONDENT_TYPES if t in groups)
        return Tally(poll, len(ratings), dist, _mean(ratings), by_type)
    counts: dict[str, int] = {p: 0 for p in priorities}
    for r in rows:
        picked = r.get("choices") or []
        if isinstance(picked, str):
            picked = json.loads(picked)
        for c in picked:
            counts[c] = counts.get(c, 0) + 1
    ordered = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], list(counts).index(kv[0]))))
    return Tally(poll, len(rows), ordered, None)


@dataclass(frozen=True)
class GroupShift:
    respondent_type: str
    before_count: int
    before_mean: float
    after_count: int
    after_mean: float

    @property
    def change(self) -> float:
        return self.after_mean - self.before_mean


@dataclass(frozen=True)
class Shift:
    """A rating question asked twice about one priority: the first round (before the evidence)
    against the latest (after)."""

    kind: str
    subject: str
    before: Tally
    after: Tally
    by_type: tuple[GroupShift, ...] = field(default=())

    @property
    def change(self) -> float | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean

    def as_record(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "before_round": self.before.poll.round,
                "after_round": self.after.poll.round, "before_count": self.before.count,
                "after_count": self.after.count,
                "before_mean": None if self.before.mean is None else round(self.before.mean, 2),
                "after_mean": None if self.after.mean is None else round(self.after.mean, 2),
                "change": None if self.change is None else round(self.change, 2),
                "before_distribution": dict(self.before.distribution),
                "after_distribution": dict(self.after.distribution),
                "by_respondent_type": [
                    {"respondent_type": g.respondent_type, "before_count": g.before_count,
                     "before_mean": round(g.before_mean, 2), "after_count": g.after_count,
                     "after_mean": round(g.after_mean, 2), "change": round(g.change, 2)} for g in self.by_type]}


def shift(before: Tally, after: Tally) -> Shift:
    """Before -> after of one rating question; by respondent type only for groups with at least
    MIN_GROUP answers in both rounds."""
    if before.poll.kind != after.poll.kind or before.poll.subject != after.poll.subject:
        raise PollError("a shift compares two rounds of the same question about the same priority")
    b, a = {t: (n, m) for t, n, m in before.by_type}, {t: (n, m) for t, n, m in after.by_type}
    groups = tuple(GroupShift(t, b[t][0], b[t][1], a[t][0], a[t][1]) for t in RESPONDENT_TYPES
                   if t in b and t in a and b[t][0] >= MIN_GROUP and a[t][0] >= MIN_GROUP)
    return Shift(before.poll.kind, before.poll.subject, before, after, groups)


def shifts(tallies: Sequence[Tally]) -> list[Shift]:
    """For each rating question asked in two or more rounds about a priority: first round -> latest."""
    groups: dict[tuple[str, str], list[Tally]] = {}
    for t in tallies:
        if t.poll.is_rating:
            groups.setdefault((t.poll.kind, t.poll.subject), []).append(t)
    out = []
    for rounds in groups.values():
        rounds.sort(key=lambda t: t.poll.round)
        if len(rounds) >= 2:
            out.append(shift(rounds[0], rounds[-1]))
    return out


def fmt_mean(value: float | None) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.2f}"


def workshop_code(value: object) -> str | None:
    """A workshop code as stored (upper case), or None."""
    return normalise_workshop_code(value)
