"""A workshop's results, typed, for the projector, the staff page and the command line (no streamlit).

* `evidence_scores`: per priority, the share of its district-level indicator judgements (one per
  indicator and district in focus, against England, rows of the judged table `lis_data.runtime.judged_table`,
  each by its indicator's method) that are significantly better or in the best fifth of English
  districts, minus the share significantly worse or in the worst fifth. Other judgements ("similar",
  the middle fifths, "not tested", "not compared") count in the denominator as neither; districts with
  no figure, and counts (never judged), are left out. So +1: every judgement better; -1: every one
  worse; 0: as many better as worse, or none at either end.
* `matrix`: the nine priorities as points, x = that evidence score, y = the room's mean rating of
  "How is the area doing on this priority?" (1 much worse ... 5 much better than England) in the
  latest round with answers; each point's quadrant in words.
* `summary`: comment counts, every poll round with its distribution, the shifts (first round ->
  latest of the same rating question), the matrix and the approved comments; `summary_text` and
  `summary_tables` write it for people and for files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from lis_data.domain import judgement as jm
from lis_data.config import AreaConfig, Catalogue, load_area, load_catalogue
from lis_data.feedback import own_questions
from lis_data.feedback import polls
from lis_data.feedback.text import neutralise_for_display

MIDPOINT = 3.0  # "about the same as England" on the five-point scale

QUADRANTS = {
    (1, 1): "the room and the evidence agree: doing well",
    (-1, -1): "the room and the evidence agree: doing badly",
    (-1, 1): "the room is more positive than the evidence",
    (1, -1): "the room is more negative than the evidence",
}
EVIDENCE_BALANCED = ("the evidence is balanced: as many indicators better than England or in the best fifth "
                     "of English districts as worse or in the worst fifth")
ROOM_NEUTRAL = "the room is neutral: about the same as England"
NO_ROOM_VIEW = "no rating from the room yet"


@dataclass(frozen=True)
class EvidenceScore:
    priority: str
    better: int
    worse: int
    judged: int  # indicator-district judgements with a figure (the denominator)
    indicators: int

    @property
    def score(self) -> float | None:
        return None if self.judged == 0 else (self.better - self.worse) / self.judged


def evidence_scores(store, districts: Sequence[str], area: AreaConfig | None = None,
                    catalogue: Catalogue | None = None) -> dict[str, EvidenceScore]:
    """Per priority id, the evidence score of its district-level indicators for `districts`
    (EM3 district codes), each judged against England."""
    from lis_data.domain.profile import group_profile

    area, catalogue = area or load_area(), catalogue or load_catalogue()
    codes = [c for c in districts if c in area.district_codes] or list(area.district_codes)
    rows = group_profile(store, codes, jm.DEFAULT_BENCHMARK, area, catalogue)
    by_indicator = {r.indicator: r for r in rows}
    out = {}
    for p in catalogue.priorities:
        better = worse = judged = n = 0
        for ind in catalogue.indicators:
            if ind.level != "district" or p.id not in ind.priorities or ind.id not in by_indicator:
                continue
            n += 1
            r = by_indicator[ind.id]
            better += sum(r.count(j) for j in jm.BETTER_LIKE)
            worse += sum(r.count(j) for j in jm.WORSE_LIKE)
            judged += sum(r.count(j) for j in jm.JUDGEMENTS if j not in (jm.NO_FIGURE, jm.NOT_JUDGED))
        out[p.id] = EvidenceScore(p.id, better, worse, judged, n)
    return out


def data_vintage(store) -> str:
    """The extract the figures on screen come from: the first 12 characters of the indicator
    store's fingerprint (which covers every extract file and the configuration)."""
    try:
        rows = store.rows("SELECT value FROM meta WHERE key = 'fingerprint'")
    except Exception:  # noqa: BLE001 - an answer is still worth keeping without it
        return "unknown"
    return str(rows[0][0])[:12] if rows else "unknown"


@dataclass(frozen=True)
class MatrixPoint:
    priority: str
    title: str
    evidence: float | None  # x, -1..1
    room_mean: float | None  # y, 1..5
    room_count: int
    room_round: int | None
    quadrant: str

    def as_record(self) -> dict:
        return {"priority": self.priority, "title": self.title,
                "evidence": None if self.evidence is None else round(self.evidence, 3),
                "room_mean": None if self.room_mean is None else round(self.room_mean, 2),
                "room_answers": self.room_count, "room_round": self.room_round, "quadrant": self.quadrant}


def quadrant(evidence: float | None, room_mean: float | None) -> str:
    if room_mean is None:
        return NO_ROOM_VIEW
    if evidence is None:
        return "no evidence judged for this priority"
    sx = (evidence > 0) - (evidence < 0)
    sy = (room_mean > MIDPOINT) - (room_mean < MIDPOINT)
    if sx == 0:
        return EVIDENCE_BALANCED
    if sy == 0:
        return ROOM_NEUTRAL
    return QUADRANTS[(sx, sy)]


def matrix(evidence: dict[str, EvidenceScore], tallies: Sequence[polls.Tally], catalogue: Catalogue) -> list[MatrixPoint]:
    """The nine priorities: evidence score against the room's mean rating of how the area is doing
    (the latest round with answers of the performance question about that priority)."""
    latest: dict[str, polls.Tally] = {}
    for t in sorted(tallies, key=lambda t: t.poll.round):
        if t.poll.kind == polls.PERFORMANCE and t.count:
            latest[t.poll.subject] = t
    out = []
    for p in catalogue.priorities:
        e = evidence.get(p.id)
        x = None if e is None else e.score
        t = latest.get(p.id)
        y = None if t is None else t.mean
        out.append(MatrixPoint(p.id, f"{p.number}. {p.title}", x, y, 0 if t is None else t.count,
                               None if t is None else t.poll.round, quadrant(x, y)))
    return out


@dataclass(frozen=True)
class WorkshopSummary:
    code: str
    comment_states: dict[str, int]
    comments_by_priority: dict[str, int]
    tallies: tuple[polls.Tally, ...]
    shifts: tuple[polls.Shift, ...]
    matrix: tuple[MatrixPoint, ...]
    approved: pd.DataFrame  # reference, created_at, priority, respondent_type, comment
    answers: int  # answer rows stored (replaced ones included)
    #: The facilitator's own questions: (tally, approved words with counts) each, oldest first.
    own: tuple[tuple[own_questions.OwnTally, tuple[tuple[str, int], ...]], ...] = ()


def own_results(fstore, code: str) -> tuple[tuple[own_questions.OwnTally, tuple[tuple[str, int], ...]], ...]:
    """Each own question of the workshop with its tally and (a word question) its approved words."""
    out = []
    for q in fstore.own_questions(code):
        answers = fstore.question_answers(q.id)
        words = tuple(own_questions.word_counts(answers, fstore.word_states(q.id))) if q.kind == own_questions.WORDS else ()
        out.append((own_questions.tally(q, answers), words))
    return tuple(out)


def tallies_for(fstore, code: str, catalogue: Catalogue) -> list[polls.Tally]:
    ids = [p.id for p in catalogue.priorities]
    answers = fstore.poll_answers(code, latest_only=True)
    out = []
    for poll in fstore.polls(code):
        rows = answers[answers["poll_id"] == poll.id].to_dict("records")
        out.append(polls.tally(poll, rows, ids))
    return out


def summary(fstore, code: str, indicator_store, districts: Sequence[str] = (),
            area: AreaConfig | None = None, catalogue: Catalogue | None = None) -> WorkshopSummary:
    area, catalogue = area or load_area(), catalogue or load_catalogue()
    tallies = tallies_for(fstore, code, catalogue)
    comments = fstore.workshop_comments(code)
    approved = comments[comments["state"].isin(["approved", "shown"])]
    return WorkshopSummary(
        code=polls.workshop_code(code) or code,
        comment_states=fstore.comment_states(code),
        comments_by_priority={p.id: int((comments["priority"] == p.id).sum()) for p in catalogue.priorities},
        tallies=tuple(tallies),
        shifts=tuple(polls.shifts(tallies)),
        matrix=tuple(matrix(evidence_scores(indicator_store, districts, area, catalogue), tallies, catalogue)),
        approved=approved[["reference", "created_at", "priority", "respondent_type", "comment"]].reset_index(drop=True),
        answers=len(fstore.poll_answers(code)),
        own=own_results(fstore, code),
    )


def _label(kind: str, subject: str, titles: dict[str, str]) -> str:
    return f"{polls.SHORT_KIND[kind]}: {titles.get(subject, 'all nine priorities')}"


def summary_text(s: WorkshopSummary, catalogue: Catalogue | None = None) -> str:
    """The summary as plain text (Markdown headings), for the command line and a download."""
    catalogue = catalogue or load_catalogue()
    titles = {p.id: f"{p.number}. {p.title}" for p in catalogue.priorities}
    st_ = s.comment_states
    lines = [f"# Workshop {s.code}", "",
             f"Comments: {sum(st_.values())} ({st_['approved'] + st_['shown']} approved, {st_['held']} waiting, "
             f"{st_['rejected']} rejected, {st_['hidden']} hidden by staff). Poll rounds: {len(s.tallies)}; "
             f"answers stored: {s.answers} (each device's latest answer counts).", "",
             "## Comments per priority (every state)", ""]
    lines += [f"- {titles[p]}: {n}" for p, n in s.comments_by_priority.items()]
    lines += ["", "## Poll rounds", ""]
    for t in s.tallies:
        scale = polls.SCALES.get(t.poll.kind)
        dist = "; ".join(f"{scale[int(k) - 1] if scale else titles.get(k, k)}: {n}" for k, n in t.distribution)
        mean = f", mean {polls.fmt_mean(t.mean)}" if t.poll.is_rating else ""
        lines.append(f"- {_label(t.poll.kind, t.poll.subject, titles)}, round {t.poll.round} "
                     f"({t.poll.opened_at:%Y-%m-%d %H:%M} UTC): {t.count} answers{mean}. {dist}")
    if not s.tallies:
        lines.append("- No poll.")
    lines += ["", "## Before and after (first round -> latest)", ""]
    for sh in s.shifts:
        lines.append(f"- {_label(sh.kind, sh.subject, titles)}: mean {polls.fmt_mean(sh.before.mean)} "
                     f"({sh.before.count} answers) -> {polls.fmt_mean(sh.after.mean)} ({sh.after.count} answers)")
        for g in sh.by_type:
            lines.append(f"  - {g.respondent_type}: {g.before_mean:.2f} ({g.before_count}) -> "
                         f"{g.after_mean:.2f} ({g.after_count})")
    if not s.shifts:
        lines.append("- No rating question was asked twice.")
    lines += ["", "## The room against the evidence", "",
              "Evidence: share of the priority's district-level indicator judgements better than England "
              "(95% CI) or in the best fifth of English districts, minus the share worse or in the worst fifth "
              "(-1 to +1). Room: mean rating, 1 much worse to 5 much better than England.", ""]
    for m in s.matrix:
        ev = "–" if m.evidence is None else f"{m.evidence:+.2f}"
        lines.append(f"- {m.title}: evidence {ev}, room {polls.fmt_mean(m.room_mean)} ({m.room_count} answers): "
                     f"{m.quadrant}")
    lines += ["", "## The facilitator's own questions", ""]
    for t, words in s.own:
        q = t.question
        head = f"- {' '.join(neutralise_for_display(q.prompt).split())} ({own_questions.KIND_NAMES[q.kind]}, asked " \
               f"{q.opened_at:%Y-%m-%d %H:%M} UTC): {t.count} answers"
        if q.kind == own_questions.WORDS:
            cloud = "; ".join(f"{w}: {n}" for w, n in words) or "none approved"
            lines.append(f"{head}. Approved words: {cloud}")
        else:
            mean = f", mean {polls.fmt_mean(t.mean)} (1 to {q.scale})" if q.kind == own_questions.RATING else ""
            dist = "; ".join(f"{neutralise_for_display(k)}: {n}" for k, n in t.distribution)
            lines.append(f"{head}{mean}. {dist}")
    if not s.own:
        lines.append("- None.")
    lines += ["", "## Approved comments", ""]
    for r in s.approved.itertuples(index=False):
        text = " ".join(neutralise_for_display(r.comment).split())
        lines.append(f"- {r.reference} ({titles.get(r.priority, r.priority)}, {r.respondent_type}): {text}")
    if s.approved.empty:
        lines.append("- None.")
    return "\n".join(lines) + "\n"


def summary_tables(s: WorkshopSummary) -> dict[str, pd.DataFrame]:
    """The summary as tables: polls (one row per round and option), shifts, matrix, approved."""
    rounds = pd.DataFrame([
        {"workshop_code": s.code, "poll_id": t.poll.id, "kind": t.poll.kind, "subject": t.poll.subject,
         "round": t.poll.round, "opened_at": t.poll.opened_at, "revealed": t.poll.revealed,
         "answers": t.count, "mean": t.mean, "option": k, "option_answers": n}
        for t in s.tallies for k, n in t.distribution],
        columns=["workshop_code", "poll_id", "kind", "subject", "round", "opened_at", "revealed", "answers", "mean",
                 "option", "option_answers"])
    shifts = pd.DataFrame([{k: (json.dumps(v) if isinstance(v, (dict, list)) else v)
                            for k, v in sh.as_record().items()} for sh in s.shifts],
                          columns=["kind", "subject", "before_round", "after_round", "before_count", "after_count",
                                   "before_mean", "after_mean", "change", "before_distribution",
                                   "after_distribution", "by_respondent_type"])
    mat = pd.DataFrame([m.as_record() for m in s.matrix],
                       columns=["priority", "title", "evidence", "room_mean", "room_answers", "room_round",
                                "quadrant"])
    return {"polls": rounds, "shifts": shifts, "matrix": mat, "approved": s.approved.copy()}


def answers_table(fstore, code: str | None = None) -> pd.DataFrame:
    """Every poll answer row (append-only; replaced answers included), with `counts`: True for the
    answer of its device that counts (the latest), and the poll's kind and subject."""
    rows = fstore.poll_answers(code)
    latest = set(fstore.poll_answers(code, latest_only=True)["seq"])
    by_id = {p.id: p for p in fstore.polls(code)}
    out = rows.copy()
    out.insert(3, "kind", [by_id[i].kind if i in by_id else None for i in out["poll_id"]])
    out.insert(4, "subject", [by_id[i].subject if i in by_id else None for i in out["poll_id"]])
    out["counts"] = [s in latest for s in out["seq"]]
    out["choices"] = [None if c is None else json.dumps(list(c)) for c in out["choices"]]
    out["indicators"] = [json.dumps(list(c)) for c in out["indicators"]]
    return out


def table_bytes(df: pd.DataFrame, fmt: str, bom: bool = True) -> bytes:
    """A table as CSV (spreadsheet-safe cells, CRLF, UTF-8 with BOM unless bom=False) or Parquet."""
    import io

    from lis_data.feedback.cells import spreadsheet_safe

    buf = io.BytesIO()
    if fmt == "csv":
        out = df.copy()
        for c in out.columns:
            if str(out[c].dtype).startswith("datetime64"):
                out[c] = [None if pd.isna(v) else v.isoformat() for v in out[c]]
        out = out.astype(object).map(spreadsheet_safe)
        out.to_csv(buf, index=False, encoding="utf-8-sig" if bom else "utf-8", lineterminator="\r\n")
    elif fmt == "parquet":
        df.to_parquet(buf, index=False)
    else:
        raise ValueError(f"format must be 'csv' or 'parquet', not {fmt!r}")
    return buf.getvalue()
