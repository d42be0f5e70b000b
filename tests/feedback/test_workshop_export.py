"""A workshop's results after the event: the typed summary (counts, every round with its
distribution, shifts, the room against the evidence, approved comments), the command line's
--format summary and --table, and the matrix's evidence score from the judgement rule."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lis_data.domain import judgement as jm
from lis_data.views import workshop_results
from lis_data.config import load_area, load_catalogue
from lis_data.feedback import open_store
from lis_data.feedback import polls
from lis_data.paths import extract_dir
from lis_data.domain.profile import group_profile
from lis_data.runtime.store import Store

from .conftest import PRIORITIES, submission

ROOT = Path(__file__).resolve().parents[2]
CODE = "EXPORT-1"


@pytest.fixture(scope="module")
def indicators(tmp_path_factory):
    db = tmp_path_factory.mktemp("indicators") / "indicators.duckdb"
    s = Store.open(extract_dir(), db)
    yield s, db
    s.close()


def _fill(store):
    store.open_workshop(CODE, "123456")
    ok = store.append(submission(1, workshop_code=CODE, comment="Approved: rents in Guildford = 12x wages"))
    store.review_comment(ok.id, "approved")
    bad = store.append(submission(3, workshop_code=CODE))
    store.review_comment(bad.id, "rejected")
    store.append(submission(5, workshop_code=CODE))  # waiting
    types = ("business", "resident")
    for rnd, base in ((1, 2), (2, 3)):
        poll = store.open_poll(CODE, "performance", "housing")
        for d in range(10):  # 5 business, 5 resident: both groups reach the minimum of 5
            store.answer_poll(polls.validate_answer(
                poll, device_key=f"device-{d:012d}", answer_key=f"r{rnd}-{d:06d}", priority="housing",
                respondent_type=types[d % 2], rating=base + d % 2, indicators=["x"], data_vintage="v",
                priorities=PRIORITIES))
    top = store.open_poll(CODE, "top3", "housing")
    store.answer_poll(polls.validate_answer(top, device_key="device-000000000000", answer_key="t-000001",
                                            priority="housing", choices=["energy", "digital"], priorities=PRIORITIES))


def test_summary_holds_every_round_the_shift_the_matrix_and_approved_comments(store, indicators):
    _fill(store)
    s = workshop_results.summary(store, CODE, indicators[0])
    assert s.comment_states["approved"] == 1 and s.comment_states["rejected"] == 1 and s.comment_states["held"] == 1
    assert [(t.poll.kind, t.poll.round, t.count) for t in s.tallies] == [
        ("performance", 1, 10), ("performance", 2, 10), ("top3", 1, 1)]
    assert dict(s.tallies[0].distribution) == {"1": 0, "2": 5, "3": 5, "4": 0, "5": 0}
    (sh,) = s.shifts
    assert (sh.before.mean, sh.after.mean) == (2.5, 3.5)
    assert [(g.respondent_type, g.before_mean, g.after_mean) for g in sh.by_type] == [
        ("business", 2.0, 3.0), ("resident", 3.0, 4.0)]
    housing = next(m for m in s.matrix if m.priority == "housing")
    assert (housing.room_mean, housing.room_count, housing.room_round) == (3.5, 10, 2)
    assert len(s.matrix) == 9
    assert list(s.approved["comment"]) == ["Approved: rents in Guildford = 12x wages"]
    text = workshop_results.summary_text(s)
    for part in ("Workshop EXPORT-1", "round 2", "mean 2.50 (10 answers) -> 3.50 (10 answers)",
                 "business: 2.00 (5) -> 3.00 (5)", "Approved: rents in Guildford"):
        assert part in text


def test_evidence_score_is_better_minus_worse_over_the_judgements(indicators):
    area, cat = load_area(), load_catalogue()
    codes = list(area.district_codes[:3])
    scores = workshop_results.evidence_scores(indicators[0], codes, area, cat)
    rows = {r.indicator: r for r in group_profile(indicators[0], codes, "england", area, cat)}
    ids = [i.id for i in cat.indicators if i.level == "district" and "workforce" in i.priorities]
    better = sum(rows[i].count(jm.BETTER) + rows[i].count(jm.BEST_FIFTH) for i in ids)
    worse = sum(rows[i].count(jm.WORSE) + rows[i].count(jm.WORST_FIFTH) for i in ids)
    judged = sum(rows[i].count(j) for i in ids for j in jm.JUDGEMENTS if j not in (jm.NO_FIGURE, jm.NOT_JUDGED))
    w = scores["workforce"]
    assert (w.better, w.worse, w.judged) == (better, worse, judged) and judged > 0
    assert w.score == pytest.approx((better - worse) / judged)


def test_housing_is_not_balanced_when_the_area_sits_in_the_worst_fifth(indicators):
    """Issue 19: housing affordability has no published interval, so the room was told housing was
    "balanced: no significant difference from England". The worst fifth now counts as worse: the
    score follows an independent count of the EM3 districts' fifths from the ranks."""
    store = indicators[0]
    area, cat = load_area(), load_catalogue()
    scores = workshop_results.evidence_scores(store, list(area.district_codes), area, cat)
    housing = [i for i in cat.indicators if i.level == "district" and "housing" in i.priorities]
    worst = best = n = 0
    for ind in housing:
        latest = store.rows(
            "SELECT max(period_start) FROM observations WHERE indicator_id = ? AND areacd IN "
            "(SELECT unnest(?::VARCHAR[])) AND value IS NOT NULL", [ind.id, list(area.district_codes)])[0][0]
        ranks = store.rows(
            "SELECT r.areacd, r.rank, r.n_districts FROM district_ranks r JOIN observations o "
            "ON o.indicator_id = r.indicator_id AND o.period = r.period AND o.areacd = r.areacd "
            "WHERE r.indicator_id = ? AND o.period_start = ?", [ind.id, latest])
        for code, rank, of in ranks:
            if code in area.district_codes:
                n += 1
                fifth = (rank - 1) * 5 // of + 1
                worst += fifth == 5
                best += fifth == 1
    h = scores["housing"]
    assert (h.worse, h.better, h.judged) == (worst, best, n)
    assert worst > best, "the EM3 districts' housing sits mostly in the worst fifth"
    point = next(m for m in workshop_results.matrix(scores, [], cat) if m.priority == "housing")
    assert point.evidence < 0
    assert "balanced" not in workshop_results.quadrant(point.evidence, 3.5)
    assert workshop_results.quadrant(point.evidence, 4.0) == "the room is more positive than the evidence"


@pytest.mark.parametrize("x, y, words", [
    (0.5, 4.2, "agree: doing well"), (-0.5, 1.5, "agree: doing badly"),
    (-0.2, 4.0, "more positive than the evidence"), (0.3, 2.0, "more negative than the evidence"),
    (0.0, 4.0, "balanced"), (0.4, 3.0, "neutral"), (0.4, None, "no rating"),
])
def test_quadrants_in_words(x, y, words):
    assert words in workshop_results.quadrant(x, y)


def test_command_line_summary_and_tables(tmp_path, indicators):
    store_url = f"sqlite://{tmp_path / 'feedback.sqlite'}"
    with open_store(store_url) as s:
        _fill(s)
    env = dict(os.environ, LIS_STORE_PATH=str(indicators[1]))

    def run(*argv):
        return subprocess.run([sys.executable, "-m", "lis_data", "feedback", "export", "--url", store_url, *argv],
                              cwd=ROOT, capture_output=True, timeout=120, env=env)

    out = run("--workshop", CODE.lower(), "--format", "summary")
    assert out.returncode == 0, out.stderr.decode()
    assert "mean 2.50 (10 answers) -> 3.50 (10 answers)" in out.stdout.decode()
    answers = pd.read_csv(io.BytesIO(run("--workshop", CODE, "--table", "answers").stdout), encoding="utf-8-sig")
    assert len(answers) == 21 and answers["counts"].all()
    rounds = pd.read_parquet(io.BytesIO(run("--workshop", CODE, "--table", "polls", "--format", "parquet").stdout))
    assert set(rounds["round"]) == {1, 2} and rounds["option_answers"].sum() == 10 + 10 + 2
    approved = pd.read_csv(io.BytesIO(run("--workshop", CODE, "--table", "approved").stdout), encoding="utf-8-sig")
    assert list(approved["comment"]) == ["Approved: rents in Guildford = 12x wages"]
    bad = run("--table", "matrix")
    assert bad.returncode == 2 and b"needs --workshop" in bad.stderr and b"Traceback" not in bad.stderr


def test_summary_holds_the_facilitators_own_questions(store, indicators):
    from lis_data.feedback import own_questions

    store.open_workshop(CODE, "123456")
    choice = store.ask_question(CODE, own_questions.validate_question("choice", "What first?", options="Skills\nRail"))
    for d, option in enumerate(("Rail", "Rail", "Skills")):
        store.answer_question(own_questions.validate_own_answer(choice, device_key=f"device-{d:012d}", answer_key=f"c-{d:06d}",
                                                                choice=option))
    words = store.ask_question(CODE, own_questions.validate_question("words", "One word?"))
    for d, word in enumerate(("green", "Green", "held")):
        store.answer_question(own_questions.validate_own_answer(words, device_key=f"device-{d:012d}", answer_key=f"w-{d:06d}",
                                                                word=word))
    store.review_words(words.id, ["green"], "approved")
    s = workshop_results.summary(store, CODE, indicators[0])
    assert [(t.question.kind, t.count) for t, _ in s.own] == [("choice", 3), ("words", 3)]
    assert s.own[1][1] == (("green", 2),), "approved words only"
    text = workshop_results.summary_text(s)
    assert "What first? (Choice, asked" in text and "3 answers. Skills: 1; Rail: 2" in text
    assert "Approved words: green: 2" in text and "held" not in text.split("own questions")[1].split("##")[0]
