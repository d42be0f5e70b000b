"""Questions the facilitator types, their answers and the moderation of a word cloud's words: what
both feedback backends add to the store (a mixin of `store._SqlStore`; no streamlit).

Asking a question closes the workshop's other open questions and its open poll, so the room's
phones show one question at a time. Answers are append-only; the one that counts is the latest of
each device. A word reaches the projector only once approved (`own_word_reviews`, append-only: the
latest row of a word is its state; a word without a row is held).
"""

from __future__ import annotations

import json

from lis_data.feedback.own_questions import (
    WORDS,
    OwnAnswer,
    OwnQuestion,
    OwnReceipt,
    QuestionClosed,
    QuestionError,
    QuestionNotFound,
    QuestionSpec,
    WORD_MAX,
)
from lis_data.feedback.hooks import BackendHooks
from lis_data.feedback.times import now as _now, utc as _utc
from lis_data.feedback.workshop_store import _code

_COLUMNS = "id, workshop_code, kind, prompt, options, scale, opened_at, revealed_at, closed_at"
#: Most words one moderation action takes (a room's words; the page shows at most this many).
WORDS_BULK_MAX = 200


def _question(row) -> OwnQuestion:
    return OwnQuestion(str(row[0]), row[1], row[2], row[3], tuple(json.loads(row[4] or "[]")),
                       None if row[5] is None else int(row[5]), _utc(row[6]), _utc(row[7]), _utc(row[8]))


class OwnQuestionStoreMixin(BackendHooks):
    """The facilitator's own questions (see module docstring)."""

    def ask_question(self, code: str, spec: QuestionSpec) -> OwnQuestion:
        """Open a question the facilitator typed (validated: `own_questions.validate_question`);
        the workshop's other open questions and its open poll close."""
        if not isinstance(spec, QuestionSpec):
            raise TypeError("ask_question takes a QuestionSpec from own_questions.validate_question")
        import uuid

        code = _code(code)
        now = self._ts_param(_now())
        qid = str(uuid.uuid4())
        with self._write() as run:
            self._lock_workshop(run, code)  # type: ignore[attr-defined]
            run("UPDATE own_questions SET closed_at = ? WHERE workshop_code = ? AND closed_at IS NULL", [now, code])
            run("UPDATE polls SET closed_at = ? WHERE workshop_code = ? AND closed_at IS NULL", [now, code])
            run(f"INSERT INTO own_questions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                [qid, code, spec.kind, spec.prompt, json.dumps(list(spec.options)), spec.scale, now])
        return self.own_question(qid)

    def own_question(self, question_id: str) -> OwnQuestion:
        with self._read() as run:
            rows = run(f"SELECT {_COLUMNS} FROM own_questions WHERE id = ?", [str(question_id)[:64]])
        if not rows:
            raise QuestionNotFound(f"No question {str(question_id)[:40]!r}")
        return _question(rows[0])

    def latest_question(self, code: str, open_only: bool = False) -> OwnQuestion | None:
        """The workshop's most recently asked question (only an open one with `open_only`)."""
        code = _code(code)
        where = " AND closed_at IS NULL" if open_only else ""
        with self._read() as run:
            rows = run(f"SELECT {_COLUMNS} FROM own_questions WHERE workshop_code = ?{where} "
                       "ORDER BY opened_at DESC LIMIT 1", [code])
        return _question(rows[0]) if rows else None

    def own_questions(self, code: str) -> list[OwnQuestion]:
        with self._read() as run:
            rows = run(f"SELECT {_COLUMNS} FROM own_questions WHERE workshop_code = ? ORDER BY opened_at",
                       [_code(code)])
        return [_question(r) for r in rows]

    def close_questions(self, code: str) -> None:
        """Close the workshop's open questions (a poll is being opened instead)."""
        code = _code(code)
        with self._write() as run:
            run("UPDATE own_questions SET closed_at = ? WHERE workshop_code = ? AND closed_at IS NULL",
                [self._ts_param(_now()), code])  # type: ignore[attr-defined]

    def _set_question_time(self, question_id: str, column: str) -> OwnQuestion:
        with self._write() as run:
            if not run(f"UPDATE own_questions SET {column} = COALESCE({column}, ?) WHERE id = ? RETURNING id",
                       [self._ts_param(_now()), str(question_id)[:64]]):  # type: ignore[attr-defined]
                raise QuestionNotFound(f"No question {str(question_id)[:40]!r}")
        return self.own_question(question_id)

    def reveal_question(self, question_id: str) -> OwnQuestion:
        return self._set_question_time(question_id, "revealed_at")

    def close_question(self, question_id: str) -> OwnQuestion:
        return self._set_question_time(question_id, "closed_at")

    def answer_question(self, answer: OwnAnswer) -> OwnReceipt:
        """Store an answer (append-only); the same answer_key again writes nothing."""
        if not isinstance(answer, OwnAnswer):
            raise TypeError("answer_question takes an OwnAnswer from own_questions.validate_own_answer")
        with self._write() as run:
            self._lock_workshop(run, f"own:{answer.question_id}:{answer.device}")  # type: ignore[attr-defined]
            rows = run("SELECT workshop_code, closed_at FROM own_questions WHERE id = ?", [answer.question_id])
            if not rows:
                raise QuestionNotFound(f"No question {answer.question_id[:40]!r}")
            code, closed = rows[0]
            if run("SELECT 1 FROM own_answers WHERE answer_key = ?", [answer.answer_key]):
                return OwnReceipt(answer.question_id, replaced=False, duplicate=True)
            if closed is not None:
                raise QuestionClosed("This question has closed: answers are no longer taken.")
            earlier = run("SELECT 1 FROM own_answers WHERE question_id = ? AND device = ? LIMIT 1",
                          [answer.question_id, answer.device])
            inserted = run(
                "INSERT INTO own_answers (answer_key, question_id, workshop_code, device, rating, choice, word, "
                "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (answer_key) DO NOTHING RETURNING seq",
                [answer.answer_key, answer.question_id, code, answer.device, answer.rating, answer.choice,
                 answer.word, self._ts_param(_now())])  # type: ignore[attr-defined]
        return OwnReceipt(answer.question_id, replaced=bool(earlier) and bool(inserted), duplicate=not inserted)

    def question_answers(self, question_id: str) -> list[dict]:
        """The answers that count (the latest of each device), oldest first, without the device."""
        with self._read() as run:
            rows = run("SELECT a.seq, a.rating, a.choice, a.word, a.answered_at FROM own_answers a JOIN "
                       "(SELECT device, MAX(seq) AS seq FROM own_answers WHERE question_id = ? GROUP BY device) l "
                       "ON l.seq = a.seq ORDER BY a.seq", [str(question_id)[:64]])
        return [{"seq": int(s), "rating": None if r is None else int(r), "choice": c, "word": w,
                 "answered_at": _utc(t)} for s, r, c, w, t in rows]

    def question_answer_count(self, question_id: str) -> int:
        with self._read() as run:
            return int(run("SELECT COUNT(DISTINCT device) FROM own_answers WHERE question_id = ?",
                           [str(question_id)[:64]])[0][0])

    def word_states(self, question_id: str) -> dict[str, str]:
        """Each reviewed word of a question with its latest state (a word not here is held)."""
        with self._read() as run:
            rows = run("SELECT w.word, w.state FROM own_word_reviews w JOIN (SELECT word, MAX(seq) AS seq FROM "
                       "own_word_reviews WHERE question_id = ? GROUP BY word) l ON l.seq = w.seq",
                       [str(question_id)[:64]])
        return {str(w): str(s) for w, s in rows}

    def review_words(self, question_id: str, words, decision: str) -> int:
        """Approve or reject many words of a word question in one transaction (words as counted:
        `own_questions.normalise_word`). Returns how many were moderated."""
        if decision not in ("approved", "rejected"):
            raise ValueError(f"decision must be 'approved' or 'rejected', not {decision!r}")
        q = self.own_question(question_id)
        if q.kind != WORDS:
            raise QuestionError("words: this question does not ask for a word")
        wanted = list(dict.fromkeys(str(w)[:WORD_MAX] for w in words if isinstance(w, str) and w))[:WORDS_BULK_MAX]
        now = self._ts_param(_now())
        with self._write() as run:
            for w in wanted:
                run("INSERT INTO own_word_reviews (question_id, word, state, reviewed_at) VALUES (?, ?, ?, ?)",
                    [q.id, w, decision, now])
        return len(wanted)
