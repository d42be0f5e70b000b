"""Speed: a warm rerun of a page issues no query to the indicator store (everything is behind
st.cache_data / st.cache_resource), so a rerun never reads a file again."""

from __future__ import annotations

import pytest
from page_helpers import PRIORITY_PATHS, run_page

from lis_data.runtime.store import Store


@pytest.fixture
def query_counter(monkeypatch):
    calls = []
    real_df, real_rows = Store.df, Store.rows

    def df(self, sql, params=()):
        calls.append(sql)
        return real_df(self, sql, params)

    def rows(self, sql, params=()):
        calls.append(sql)
        return real_rows(self, sql, params)

    monkeypatch.setattr(Store, "df", df)
    monkeypatch.setattr(Store, "rows", rows)
    return calls


@pytest.mark.parametrize("path", ["overview", PRIORITY_PATHS[0], PRIORITY_PATHS[3], "sources"])
def test_warm_rerun_issues_no_store_query(path, query_counter):
    at = run_page(path)
    assert not at.exception
    query_counter.clear()
    at.run()
    assert not at.exception
    assert query_counter == [], f"{len(query_counter)} queries on a warm rerun of {path}"


def test_warm_rerun_of_the_towns_page_builds_no_map(monkeypatch):
    """The towns map (140 kB of JSON, some 50 ms to build) is built once per focus, indicator and layers."""
    from ui import maps

    at = run_page("towns")
    assert not at.exception
    built = []
    real = maps.towns_deck
    monkeypatch.setattr(maps, "towns_deck", lambda *a, **k: built.append(1) or real(*a, **k))
    at.run()
    assert not at.exception
    assert built == [], "a warm rerun rebuilt the towns map"


def test_warm_rerun_reaches_the_figures_without_streamlits_argument_hashing():
    """The tiles, charts, map and indicator metadata of a priority page come from the process-wide
    memo (ui/memo.py) on a warm rerun: every call is a memo hit, so Streamlit's cache behind it, which
    hashes every argument and unpickles a copy of the result on each call, is not reached for them."""
    from ui import data, views

    at = run_page(PRIORITY_PATHS[0])
    assert not at.exception
    builders = {"tile_content": views.tile_content, "trend_figure": views.trend_figure,
                "ranked_figure": views.ranked_figure, "choropleth_figure": views.choropleth_figure,
                "meta": data.meta}
    before = {name: b.cache_info() for name, b in builders.items()}
    at.run()
    assert not at.exception
    after = {name: b.cache_info() for name, b in builders.items()}
    missed = sorted(n for n in builders if after[n].misses != before[n].misses)
    assert not missed, f"a warm rerun went past the memo for {missed}"
    assert all(after[n].hits > before[n].hits for n in builders), (before, after)


def test_memo_shares_one_result_and_clears():
    from ui import memo

    calls = []

    @memo.shared(8)
    def build(a, b=()):
        calls.append((a, b))
        return {"a": a}

    assert build("x", ("d1", "d2")) is build("x", ("d1", "d2")) and len(calls) == 1
    build.clear()
    build("x", ("d1", "d2"))
    assert len(calls) == 2


def test_views_warmed_at_start_are_what_the_pages_then_draw():
    """warmup.warm_views builds exactly the cached views a priority page and the overview ask for:
    opened afterwards for a district on its own, the page builds nothing."""
    from lis_data.config import load_area
    from ui import views, warmup

    code = load_area().district_codes[5]
    page_builders = (views.tile_content, views.trend_figure, views.ranked_figure, views.choropleth_figure)
    for builder in (*page_builders, views.scorecard_table):
        builder.clear()  # nothing left from other tests
    cold = [b.cache_info().misses for b in page_builders]
    assert warmup.warm_views(priorities=("housing",), districts=(code,)) == 2  # all districts, then code
    misses = [b.cache_info().misses for b in page_builders]
    assert all(after > before for before, after in zip(cold, misses)), "the warm-up built each kind of view"
    cards = views.scorecard_table.cache_info().misses
    at = run_page("housing", {"d": code})
    assert not at.exception
    assert [b.cache_info().misses for b in page_builders] == misses, "the priority page found every view built"
    assert views.scorecard_table.cache_info().misses == cards, "the priority page builds no overview card"
    at = run_page("overview", {"d": code})
    assert not at.exception
    assert views.scorecard_table.cache_info().misses - cards == 8, "the overview built only the 8 cards not warmed"


@pytest.mark.parametrize(("value", "on", "warned"), [("1", True, False), ("off", False, False), ("No", False, False),
                                                    ("banana", True, True), ("", True, True)])
def test_the_warm_up_setting_is_read_strictly(monkeypatch, caplog, value, on, warned):
    from ui import warmup

    monkeypatch.setenv("LIS_WARM_VIEWS", value)
    assert warmup.warm_views_setting() is on
    assert ("LIS_WARM_VIEWS" in caplog.text) is warned
