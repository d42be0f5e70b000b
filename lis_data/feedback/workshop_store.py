"""Workshops, moderation before the projector, and polls: what both feedback backends add to the
store (a mixin of `store._SqlStore`; no streamlit).

Workshops (table ``workshops``): a code, the salted hash of the facilitator's PIN, and the setting
"hold comments for approval" (on by default). A workshop code that was never opened counts as
holding comments.

Moderation: a comment's state is read from its latest ``feedback_moderation`` row (the table is
append-only): ``approved`` (shown), ``rejected`` (hidden, as the staff page's "hide" always did),
``hidden``/``shown`` (the staff page's hide/show), and ``held`` when there is no row yet. While a
workshop holds comments, its projector shows only approved (or shown) comments; otherwise every
comment not hidden.

What the public may see of a comment (the projector, the evidence pack) is one rule, `PUBLIC_SQL`:
approved or shown; or, with no moderation row yet, a comment sent without a workshop code, or one
whose workshop is open and does not hold comments. Held, rejected and hidden comments never are.
`change_counter()` changes with every write that can change what that rule selects (a comment
stored or erased, a moderation, a workshop opened or its setting changed), so a cache keyed by it
(the pages' evidence packs) never serves a comment that has since been rejected or erased.

Polls (``polls``, ``poll_answers``): a poll is a question (`polls.KINDS`) about a subject, in
numbered rounds; opening a poll closes the workshop's other open polls; "reset" opens the next
round of the same question, and earlier rounds are kept. Answers are append-only rows; the answer
that counts is the latest of each device in a poll (`latest_answers`), so a second answer replaces
the first and every device is counted exactly once. An answer's ``answer_key`` makes a retry of the
same answer a no-op.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from lis_data.feedback.errors import FeedbackNotFound
from lis_data.feedback.hooks import BackendHooks, Runner
from lis_data.feedback.times import now as _now, utc as _utc
from lis_data.feedback.polls import (
    ALL_PRIORITIES,
    KINDS,
    RATING_KINDS,
    AnswerReceipt,
    Poll,
    PollAnswer,
    PollClosed,
    PollError,
    PollNotFound,
)
from lis_data.feedback.validation import normalise_workshop_code
from lis_data.feedback.workshop_pin import hash_pin, verify_pin


REVIEW_STATES: tuple[str, ...] = ("held", "approved", "rejected", "hidden", "shown")
DECISIONS: tuple[str, ...] = ("approved", "rejected")


@dataclass(frozen=True)
class Workshop:
    code: str
    hold_comments: bool
    has_pin: bool
    opened_at: datetime
    pin_hash: str | None = None
    # what the projector shows now (written by the workshop page when it changes)
    screen_priority: str | None = None
    screen_indicators: tuple[str, ...] = ()
    screen_vintage: str | None = None
    # the projector the facilitator drives (lis_data/feedback/projector_store.py)
    slide: str | None = None
    state_seq: int = 0
    public_url: str | None = None
    has_projector_key: bool = False
    projector_origin: str | None = None
    opened_by: str | None = None

    def __repr__(self) -> str:  # never the hash
        return f"Workshop({self.code!r}, hold_comments={self.hold_comments}, has_pin={self.has_pin})"


def _code(code: object) -> str:
    norm = normalise_workshop_code(code)
    if norm is None:
        raise PollError("workshop code: 3 to 40 letters, digits and hyphens")
    return norm


# The latest moderation row of each comment, with its state.
_REVIEW = """
LEFT JOIN (
    SELECT feedback_id, hidden, state, note FROM (
        SELECT feedback_id, hidden, state, note,
               row_number() OVER (PARTITION BY feedback_id ORDER BY seq DESC) AS rn
        FROM feedback_moderation
    ) ranked WHERE rn = 1
) r ON r.feedback_id = f.id
"""
_STATE_SQL = ("CASE WHEN r.feedback_id IS NULL THEN 'held' "
              "WHEN r.state IS NOT NULL THEN r.state "
              "WHEN r.hidden THEN 'hidden' ELSE 'shown' END")
#: The one rule for what the public may see (needs `_REVIEW` as r and `_WORKSHOP` as w joined).
_WORKSHOP = " LEFT JOIN workshops w ON w.code = f.workshop_code "
PUBLIC_SQL = (f"(({_STATE_SQL}) IN ('approved', 'shown') OR (({_STATE_SQL}) = 'held' AND "
              "(f.workshop_code IS NULL OR NOT COALESCE(w.hold_comments, TRUE))))")
_POLL_COLUMNS = "id, workshop_code, kind, subject, round, opened_at, revealed_at, closed_at"
_ANSWER_COLUMNS = ("seq", "answer_key", "poll_id", "workshop_code", "poll_round", "priority", "device",
                   "respondent_type", "rating", "choices", "indicators", "data_vintage", "answered_at",
                   "app_version")


def _poll(row) -> Poll:
    return Poll(str(row[0]), row[1], row[2], row[3], int(row[4]), _utc(row[5]), _utc(row[6]), _utc(row[7]))


class WorkshopStoreMixin(BackendHooks):
    """Workshop, moderation and poll methods of the feedback store (see module docstring)."""

    #: Backends whose transactions do not serialise writers (PostgreSQL) take this lock first.
    workshop_lock_sql: str | None = None

    def _lock_workshop(self, run: Runner, code: str) -> None:
        if self.workshop_lock_sql:
            run(self.workshop_lock_sql, [code])

    # -- workshops -----------------------------------------------------------------------------
    def open_workshop(self, code: str, pin: str | None = None, hold_comments: bool = True,
                      opened_by: str = "staff") -> tuple[Workshop, bool]:
        """Open a workshop (once): (workshop, True) when created now with this PIN and setting;
        (existing workshop, False) when it was already open, unchanged (its PIN is not replaced).
        The pages call it only for a signed-in staff member (issue 18: nobody else may claim a
        code); `opened_by` records who."""
        code = _code(code)
        pin_hash = hash_pin(pin) if pin is not None else None
        now = self._ts_param(_now())
        with self._write() as run:
            self._lock_workshop(run, code)
            created = bool(run(
                "INSERT INTO workshops (code, pin_hash, hold_comments, opened_at, updated_at, opened_by) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING RETURNING code",
                [code, pin_hash, bool(hold_comments), now, now, str(opened_by)[:20]]))
        found = self.workshop(code)
        assert found is not None
        return found, created

    def workshop(self, code: str) -> Workshop | None:
        code = normalise_workshop_code(code)
        if code is None:
            return None
        with self._read() as run:
            rows = run("SELECT code, hold_comments, pin_hash, opened_at, screen_priority, screen_indicators, "
                       "screen_vintage, slide, state_seq, public_url, projector_key_hash, projector_origin, "
                       "opened_by FROM workshops WHERE code = ?", [code])
        if not rows:
            return None
        c, hold, pin_hash, opened, sp, si, sv, slide, seq, url, key_hash, origin, by = rows[0]
        return Workshop(c, bool(hold), bool(pin_hash), _utc(opened), pin_hash, sp,
                        tuple(json.loads(si)) if si else (), sv, slide, int(seq or 0), url, bool(key_hash),
                        origin, by)

    def set_screen(self, code: str, priority: str, indicators: list[str] | tuple[str, ...], vintage: str) -> bool:
        """Record what the projector shows (the priority, its indicators, the data vintage), so a
        poll opened and answered elsewhere is stored with it. False when the workshop is not open."""
        code = _code(code)
        with self._write() as run:
            return bool(run("UPDATE workshops SET screen_priority = ?, screen_indicators = ?, screen_vintage = ? "
                            "WHERE code = ? RETURNING code",
                            [str(priority)[:100], json.dumps([str(i)[:100] for i in indicators][:50]),
                             str(vintage)[:80], code]))

    def check_workshop_pin(self, code: str, pin: str) -> bool:
        """True when the workshop exists, has a PIN, and `pin` is it (constant-time)."""
        found = self.workshop(code)
        return bool(found and verify_pin(pin, found.pin_hash))

    def set_hold_comments(self, code: str, hold: bool) -> None:
        """Turn "hold comments for approval" on or off. Off: comments waiting go up too."""
        code = _code(code)
        with self._write() as run:
            if not run("UPDATE workshops SET hold_comments = ?, updated_at = ? WHERE code = ? RETURNING code",
                       [bool(hold), self._ts_param(_now()), code]):
                raise PollNotFound(f"No workshop {code}")

    def holds_comments(self, code: str) -> bool:
        found = self.workshop(code)
        return True if found is None else found.hold_comments

    # -- moderation ------------------------------------------------------------------------------
    def review_comment(self, feedback_id: uuid.UUID | str, decision: str, note: str = "") -> None:
        """Approve (shown on the projector) or reject (hidden, kept) a comment: a moderation row."""
        if decision not in DECISIONS:
            raise ValueError(f"decision must be 'approved' or 'rejected', not {decision!r}")
        try:
            fid = uuid.UUID(str(feedback_id))
        except ValueError:
            raise FeedbackNotFound(f"No feedback with id {str(feedback_id)[:40]!r}") from None
        with self._write() as run:
            if not run("SELECT 1 FROM feedback WHERE id = ?", [fid]):
                raise FeedbackNotFound(f"No feedback with id {fid}")
            run("INSERT INTO feedback_moderation (feedback_id, hidden, moderated_at, note, state) "
                "VALUES (?, ?, ?, ?, ?)",
                [fid, decision == "rejected", self._ts_param(_now()), (note or "")[:500], decision])

    def workshop_comments(self, code: str, states: tuple[str, ...] | None = None,
                          limit: int | None = None, public: bool = False) -> pd.DataFrame:
        """The workshop's comments, newest first, without personal fields: id, reference,
        created_at, priority, respondent_type, organisation, comment, state, note. With
        `public`, only those the public may see (`PUBLIC_SQL`)."""
        code = _code(code)
        sql = (f"SELECT f.id, f.reference, f.created_at, f.priority, f.respondent_type, f.organisation, f.comment, "
               f"{_STATE_SQL} AS state, r.note FROM feedback f {_REVIEW}{_WORKSHOP} WHERE f.workshop_code = ?")
        params: list = [code]
        if public:
            sql += f" AND {PUBLIC_SQL}"
        if states:
            sql += f" AND {_STATE_SQL} IN ({', '.join('?' for _ in states)})"
            params += list(states)
        return self._newest_first(sql, params, limit, ("id", "reference", "created_at", "priority", "respondent_type",
                                                        "organisation", "comment", "state", "note"))

    def _newest_first(self, sql: str, params: list, limit: int | None, cols: tuple[str, ...]) -> pd.DataFrame:
        """Run a comments query (`f` the feedback table) newest first, at most `limit` rows, as a frame
        with string ids and UTC times."""
        sql += " ORDER BY f.created_at DESC, f.id"
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, max(0, int(limit))]
        with self._read() as run:
            rows = run(sql, params)
        df = pd.DataFrame([list(r) for r in rows], columns=list(cols))
        df["id"] = df["id"].map(str).astype("str")
        df["created_at"] = pd.Series([_utc(v) for v in df["created_at"]], dtype="datetime64[us, UTC]")
        return df

    def projector_comments(self, code: str, limit: int = 5) -> pd.DataFrame:
        """What the projector may show (`PUBLIC_SQL`): approved (or shown) comments while the
        workshop holds comments, else every comment not hidden or rejected. Newest first."""
        return self.workshop_comments(code, limit=limit, public=True)

    def public_comments(self, priority: str | None = None, places: tuple[str, ...] | list[str] | None = None,
                        limit: int | None = None) -> pd.DataFrame:
        """Every comment the public may see (`PUBLIC_SQL`, the projector's rule), of every workshop
        and none, newest first, without personal fields: id, created_at, priority, places,
        respondent_type, comment. `places`: those naming any of them."""
        sql = (f"SELECT f.id, f.created_at, f.priority, f.places, f.respondent_type, f.comment "
               f"FROM feedback f {_REVIEW}{_WORKSHOP} WHERE {PUBLIC_SQL}")
        params: list = []
        if priority:
            sql += " AND f.priority = ?"
            params.append(priority)
        if places:
            sql += f" AND {self.places_any_sql}"  # type: ignore[attr-defined] -- the store's dialect
            params.append(self._places_param(list(places)))  # type: ignore[attr-defined]
        df = self._newest_first(sql, params, limit, ("id", "created_at", "priority", "places", "respondent_type",
                                                     "comment"))
        df["places"] = pd.Series([list(json.loads(v) if isinstance(v, str) else v or []) for v in df["places"]],
                                 dtype=object)
        return df

    def change_counter(self) -> str:
        """A value that changes with every write that can change `public_comments`, the projector
        or a workshop's record: rows stored or erased, moderation rows, erasures, workshops opened or
        changed, polls opened, revealed or closed, poll answers, records published or withdrawn.
        The key of every cache of what is computed from the store (README: Caching).
        Counts rather than the largest sequence number: on PostgreSQL a transaction may commit a
        smaller number after a larger one."""
        with self._read() as run:
            row = run("SELECT (SELECT COUNT(*) FROM feedback), (SELECT COUNT(*) FROM feedback_moderation), "
                      "(SELECT COUNT(*) FROM feedback_erasures), (SELECT COUNT(*) FROM workshops), "
                      "(SELECT MAX(updated_at) FROM workshops), (SELECT COUNT(*) FROM poll_answers), "
                      "(SELECT COUNT(*) FROM polls), (SELECT COUNT(revealed_at) + COUNT(closed_at) FROM polls), "
                      "(SELECT COUNT(withdrawn_at) FROM workshop_records), (SELECT MAX(published_at) FROM workshop_records)")[0]
        return ":".join("" if v is None else str(v) for v in row)

    def comment_states(self, code: str) -> dict[str, int]:
        """How many of the workshop's comments are in each state (zeros kept)."""
        code = _code(code)
        with self._read() as run:
            rows = run(f"SELECT {_STATE_SQL} AS state, COUNT(*) FROM feedback f {_REVIEW} "
                       f"WHERE f.workshop_code = ? GROUP BY {_STATE_SQL}", [code])
        out = {s: 0 for s in REVIEW_STATES}
        out.update({s: int(n) for s, n in rows})
        return out

    # -- polls -----------------------------------------------------------------------------------
    def open_poll(self, code: str, kind: str, subject: str) -> Poll:
        """Open a poll: the next round of this question about this subject (round 1 the first
        time); every other open poll of the workshop is closed. Earlier rounds are kept."""
        code = _code(code)
        if kind not in KINDS:
            raise PollError(f"poll kind: one of {', '.join(KINDS)}")
        if kind in RATING_KINDS and (not subject or subject == ALL_PRIORITIES):
            raise PollError("a rating poll is about one priority")
        if kind not in RATING_KINDS:
            subject = ALL_PRIORITIES
        now = self._ts_param(_now())
        pid = str(uuid.uuid4())
        with self._write() as run:
            self._lock_workshop(run, code)
            run("UPDATE polls SET closed_at = ? WHERE workshop_code = ? AND closed_at IS NULL", [now, code])
            last = run("SELECT COALESCE(MAX(round), 0) FROM polls WHERE workshop_code = ? AND kind = ? "
                       "AND subject = ?", [code, kind, subject])[0][0]
            run(f"INSERT INTO polls ({_POLL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                [pid, code, kind, subject, int(last) + 1, now])
        return self.poll(pid)

    def poll(self, poll_id: str) -> Poll:
        with self._read() as run:
            rows = run(f"SELECT {_POLL_COLUMNS} FROM polls WHERE id = ?", [str(poll_id)])
        if not rows:
            raise PollNotFound(f"No poll {str(poll_id)[:40]!r}")
        return _poll(rows[0])

    def current_poll(self, code: str) -> Poll | None:
        """The workshop's open poll, or None."""
        return self._last_opened_poll(code, open_only=True)

    def latest_poll(self, code: str) -> Poll | None:
        """The workshop's most recently opened poll, open or not (what the projector shows)."""
        return self._last_opened_poll(code, open_only=False)

    def _last_opened_poll(self, code: str, *, open_only: bool) -> Poll | None:
        code = normalise_workshop_code(code)
        if code is None:
            return None
        still_open = "AND closed_at IS NULL " if open_only else ""
        with self._read() as run:
            rows = run(f"SELECT {_POLL_COLUMNS} FROM polls WHERE workshop_code = ? {still_open}"
                       "ORDER BY opened_at DESC, round DESC LIMIT 1", [code])
        return _poll(rows[0]) if rows else None

    def polls(self, code: str | None = None) -> list[Poll]:
        """Every poll round of the workshop (of every workshop: code None), oldest first."""
        where, params = ("WHERE workshop_code = ? ", [_code(code)]) if code is not None else ("", [])
        with self._read() as run:
            rows = run(f"SELECT {_POLL_COLUMNS} FROM polls {where}ORDER BY opened_at, round", params)
        return [_poll(r) for r in rows]

    def _set_poll_time(self, poll_id: str, column: str) -> Poll:
        with self._write() as run:
            if not run(f"UPDATE polls SET {column} = COALESCE({column}, ?) WHERE id = ? RETURNING id",
                       [self._ts_param(_now()), str(poll_id)]):
                raise PollNotFound(f"No poll {str(poll_id)[:40]!r}")
        return self.poll(poll_id)

    def reveal_poll(self, poll_id: str) -> Poll:
        """Show the results on the projector (answers are still taken until the poll closes)."""
        return self._set_poll_time(poll_id, "revealed_at")

    def close_poll(self, poll_id: str) -> Poll:
        return self._set_poll_time(poll_id, "closed_at")

    def answer_poll(self, answer: PollAnswer) -> AnswerReceipt:
        """Store an answer (append-only). Raises PollNotFound, or PollClosed when the poll no longer
        takes answers. The same answer_key again writes nothing (duplicate=True)."""
        if not isinstance(answer, PollAnswer):
            raise TypeError("answer_poll takes a PollAnswer from polls.validate_answer")
        from lis_data import __version__

        with self._write() as run:
            # one device's answers to one poll one at a time, so "replaced" is exact on every backend
            self._lock_workshop(run, f"answer:{answer.poll_id}:{answer.device}")
            rows = run("SELECT workshop_code, round, closed_at FROM polls WHERE id = ?", [answer.poll_id])
            if not rows:
                raise PollNotFound(f"No poll {answer.poll_id[:40]!r}")
            code, rnd, closed = rows[0]
            before = run("SELECT poll_id, answer_key FROM poll_answers WHERE answer_key = ?", [answer.answer_key])
            if before:
                return AnswerReceipt(answer.poll_id, int(rnd), replaced=False, duplicate=True)
            if closed is not None:
                raise PollClosed("This poll has closed: answers are no longer taken.")
            earlier = run("SELECT 1 FROM poll_answers WHERE poll_id = ? AND device = ? LIMIT 1",
                          [answer.poll_id, answer.device])
            inserted = run(
                f"INSERT INTO poll_answers ({', '.join(_ANSWER_COLUMNS[1:])}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (answer_key) DO NOTHING RETURNING seq",
                [answer.answer_key, answer.poll_id, code, int(rnd), answer.priority, answer.device,
                 answer.respondent_type, answer.rating,
                 None if answer.choices is None else json.dumps(list(answer.choices)),
                 json.dumps(list(answer.indicators)), answer.data_vintage, self._ts_param(_now()), __version__])
        return AnswerReceipt(answer.poll_id, int(rnd), replaced=bool(earlier) and bool(inserted),
                             duplicate=not inserted)

    def _answers(self, where: str, params: list, latest_only: bool) -> pd.DataFrame:
        cols = ", ".join(f"a.{c}" for c in _ANSWER_COLUMNS)
        if latest_only:
            sql = (f"SELECT {cols} FROM poll_answers a JOIN (SELECT poll_id, device, MAX(seq) AS seq "
                   f"FROM poll_answers GROUP BY poll_id, device) l ON l.seq = a.seq WHERE {where} ORDER BY a.seq")
        else:
            sql = f"SELECT {cols} FROM poll_answers a WHERE {where} ORDER BY a.seq"
        with self._read() as run:
            rows = run(sql, params)
        col = {c: [r[i] for r in rows] for i, c in enumerate(_ANSWER_COLUMNS)}
        col["seq"] = pd.array([int(v) for v in col["seq"]], dtype="int64")
        col["poll_round"] = pd.array([int(v) for v in col["poll_round"]], dtype="int64")
        col["rating"] = pd.array([None if v is None else int(v) for v in col["rating"]], dtype="Int64")
        col["choices"] = pd.Series([None if v is None else json.loads(v) for v in col["choices"]], dtype=object)
        col["indicators"] = pd.Series([json.loads(v) for v in col["indicators"]], dtype=object)
        col["answered_at"] = pd.Series([_utc(v) for v in col["answered_at"]], dtype="datetime64[us, UTC]")
        for c in ("answer_key", "poll_id", "workshop_code", "priority", "device", "data_vintage", "app_version"):
            col[c] = pd.Series([str(v) for v in col[c]], dtype="str")
        col["respondent_type"] = pd.Series(col["respondent_type"], dtype=object)
        return pd.DataFrame(col, columns=list(_ANSWER_COLUMNS))

    def latest_answers(self, poll_id: str) -> pd.DataFrame:
        """The answers that count in a poll: the latest of each device."""
        return self._answers("a.poll_id = ?", [str(poll_id)], latest_only=True)

    def poll_answers(self, code: str | None = None, latest_only: bool = False) -> pd.DataFrame:
        """Every answer of the workshop's polls (of every workshop: code None), append-only rows,
        oldest first; with latest_only, only the ones that count."""
        if code is None:
            return self._answers("1 = 1", [], latest_only=latest_only)
        return self._answers("a.workshop_code = ?", [_code(code)], latest_only=latest_only)

    def answer_count(self, poll_id: str) -> int:
        """Devices that have answered the poll (each counted once)."""
        with self._read() as run:
            return int(run("SELECT COUNT(DISTINCT device) FROM poll_answers WHERE poll_id = ?",
                           [str(poll_id)])[0][0])
