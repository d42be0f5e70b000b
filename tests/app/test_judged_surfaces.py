"""Every surface shows the judged table's row (issue 19): a priority page's tile, the profile CSV, the
data API, the evidence pack's text and What's new; and with bm=region or bm=county no surface labels a
figure judged against England as judged against the South East or a county."""

from __future__ import annotations

import csv
import io

import pytest

from lis_data.runtime import judged_table as jt
from lis_data.domain import judgement as jm
from lis_data.config import load_area, load_catalogue
from lis_data.pack.content import pack_content, pack_request
from lis_data.runtime.release_log import IndicatorChange, ReleaseEntry
from lis_data.views import judged as jd
from lis_data.views.exports import profile_csv
from lis_data.views.source import StoreSource
from lis_data.views.whats_new import whats_new, worded_rows

from page_helpers import assert_clean, run_page

AREA, CAT = load_area(), load_catalogue()
WOKING = "E07000217"
# One indicator of each method, all headline tiles of their priority.
CASES = [("housing", "affordability-ratio"), ("workforce", "employment-rate"), ("places", "active-businesses")]


@pytest.fixture(scope="module")
def store():
    from ui import data

    return data.store()


def _row(store, ind: str, code: str, benchmark: str) -> jt.Judged:
    (row,) = jt.read(store, areas=[code], indicators=[ind], benchmark=benchmark, latest=True)
    return row


def _entries(ids) -> list[ReleaseEntry]:
    return [ReleaseEntry("2099-01-01", False, tuple(IndicatorChange(i, ("new",), ()) for i in ids), (), ())]


@pytest.mark.parametrize("bm", jm.BENCHMARKS)
@pytest.mark.parametrize("pid,ind", CASES)
def test_tile_shows_the_tables_row(store, pid, ind, bm):
    benchmark = bm
    row = _row(store, ind, WOKING, benchmark)
    at = run_page(pid, {"d": WOKING, "bm": benchmark})
    assert_clean(at)
    text = " ".join(c.value for c in at.caption)
    assert jd.words(row.judgement, row.benchmark_name) in text or (
        row.kind == "count" and "not judged" in text), (ind, benchmark)
    if row.kind == "count":
        (tile,) = [c.value for c in at.caption if f"of {row.benchmark_name}'s total (a count: not judged)" in c.value]
        assert " vs " not in tile and "England" not in tile.replace("England's total", "")
    elif row.method == "quintiles":
        assert f"({row.rank}" in text.replace("th of", " of").replace("st of", " of").replace("nd of", " of").replace(
            "rd of", " of") or str(row.rank) in text


@pytest.mark.parametrize("bm", jm.BENCHMARKS)
def test_profile_csv_api_pack_and_whats_new_show_the_tables_rows(store, bm, monkeypatch):
    benchmark = bm
    from web import api as server_api

    table = {r.indicator_id: r for r in jt.read(store, areas=[WOKING], benchmark=benchmark, latest=True)}
    text = profile_csv(store, WOKING, benchmark)
    got = {r["indicator"]: r for r in csv.DictReader(io.StringIO(text))}
    for ind, row in table.items():
        r = got[ind]
        assert (r["period"], r["period_label"], r["judgement"], r["method"], r["benchmark_area"]) == \
            (row.period, row.period_label, row.judgement, row.method, row.benchmark_name), ind
        assert r["benchmark_value"] == ("" if row.benchmark_value is None else str(row.benchmark_value))
        assert r["quintile"] == ("" if row.quintile is None else str(row.quintile))
    monkeypatch.setattr(server_api, "_store", [store])
    assert server_api._profile({"area": [WOKING], "benchmark": [benchmark]}) == text  # noqa: SLF001

    ids = [i for _pid, i in CASES] + ["exports", "business-rd"]
    news = whats_new(store, [WOKING], "2099-01-01", benchmark, entries=_entries(ids), area=AREA, catalogue=CAT)
    for item in news.items:
        for a, words in zip(item.areas, worded_rows(item, news.benchmark_name)):
            row = _row(store, item.indicator_id, a.code, benchmark)
            assert words["Judgement"].startswith(jm.phrase(row.judgement, row.benchmark_name)), (item.indicator_id, a)
            assert a.period == row.period_label and a.direction == row.direction


@pytest.mark.parametrize("bm", ("region", "county"))
def test_pack_text_shows_the_tables_rows_and_names_the_benchmark_used(store, bm):
    benchmark = bm
    req = pack_request(AREA, CAT, WOKING, ("exports",), None, benchmark)
    pack = pack_content(store, req, AREA, CAT, feedback_url="sqlite:////nonexistent/none.sqlite", workers=1)
    (section,) = pack.sections
    seen = 0
    for r in section.rows:
        ind = CAT.indicator(r.indicator)
        code = next((c for c, n in jt.shown_areas(AREA, ind.level).items() if n in r.area), WOKING)
        row = _row(store, ind.id, code, benchmark)
        assert (r.judgement, r.benchmark, r.period) == (row.judgement, row.benchmark_name, row.period_label), r
        seen += 1
    assert seen >= 3


def test_with_bm_region_nothing_judged_against_england_is_labelled_the_south_east(store):
    """The region's own figures and a county's with bm=county are judged against England, and every
    surface says England."""
    src = StoreSource(store, AREA, CAT)
    region = AREA.comparators["region"]
    for benchmark in ("region", "county"):
        rows = jt.read(store, benchmark=benchmark, shown=True, latest=True)
        against_england = [r for r in rows if r.benchmark_code == AREA.comparators["england"].code]
        assert against_england, benchmark
        for r in against_england:
            assert r.benchmark_name == "England"
        # the trend table's Benchmark column and What's new's words
        for ind in ("business-rd", "healthy-life-expectancy-female"):
            i = CAT.indicator(ind)
            subjects = jt.shown_areas(AREA, i.level)
            table = jd.judged(src, ind, tuple(subjects), benchmark)
            expected = {r.areacd: r.benchmark_name for r in rows if r.indicator_id == ind}
            assert dict(zip(table["areacd"], table["benchmark_name"])) | expected == \
                dict(zip(table["areacd"], table["benchmark_name"]))
            news = whats_new(store, [WOKING], "2099-01-01", benchmark, entries=_entries([ind]), area=AREA,
                             catalogue=CAT)
            for item in news.items:
                for a, words in zip(item.areas, worded_rows(item, news.benchmark_name)):
                    if expected[a.code] == "England" and a.judgement not in jm.QUINTILE_JUDGEMENTS + (jm.NOT_JUDGED,):
                        assert region.name not in words["Judgement"], (ind, a.code, words["Judgement"])
                        assert "England" in words["Judgement"]


def test_overview_opens_with_the_answer_in_words(store):
    from lis_data.domain.profile import group_profile
    from lis_data.views.answer import group_answer

    at = run_page("overview")
    assert_clean(at)
    expected = " ".join(group_answer(group_profile(store, AREA.district_codes, "england", AREA, CAT),
                                     len(AREA.districts), AREA.short_name))
    assert at.markdown[0].value == expected
    assert "worst fifth of English districts" in expected


def test_counts_have_no_spine(store):
    from lis_data.domain.profile import district_profile

    for r in district_profile(store, WOKING, "england", AREA, CAT):
        if r.kind == "count":
            assert r.spine is None and r.benchmark_value is None and r.rank is None, r.indicator
