"""The page tests' questions over another release: every page opened against an extract built from a
fixture release (tests/synthetic_source.py: made-up figures, a period added, one figure revised),
not the committed extract. A page test that holds only for today's figures fails here; the monthly
refresh must never break a page test for a changed figure (issue 24)."""

from __future__ import annotations

import pytest
import streamlit as st

from lis_data.config import load_area, load_catalogue
from page_helpers import ALL_PATHS, PRIORITY_PATHS, assert_clean, run_page
from synthetic_source import WOKING, build_changed_release

MORE_PATHS = ["profile", "compare", "whats-new", "towns"]


@pytest.fixture(scope="module")
def changed_release(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("changed-release")
    extract, ind, old, new = build_changed_release(tmp, load_area(), load_catalogue())
    st.cache_data.clear()
    st.cache_resource.clear()  # the store opens anew, and with it the memos empty (ui/data.py)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIS_EXTRACT_DIR", str(extract))
        mp.setenv("LIS_STORE_PATH", str(tmp / "store.duckdb"))
        yield ind, old, new
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("path", ALL_PATHS + MORE_PATHS)
@pytest.mark.parametrize("query", [{}, {"d": WOKING}], ids=["defaults", "woking"])
def test_every_page_renders_over_a_changed_release(changed_release, path, query):
    at = run_page(path, query)
    assert_clean(at)
    assert [t.value for t in at.title], "every page has a title"


@pytest.mark.parametrize("pid", PRIORITY_PATHS)
def test_priority_pages_show_the_changed_figures(changed_release, pid):
    """Statement, tiles and charts as on the committed extract; the figures are the fixture's own
    (its latest period, 2023)."""
    cat = load_catalogue()
    at = run_page(pid, {"d": WOKING})
    assert_clean(at)
    p = cat.priority(pid)
    assert any(p.statement in m.value for m in at.markdown)
    assert len(at.metric) >= 1 and at.get("vega_lite_chart")
    assert any("2023" in str(m.label) for m in at.metric), [m.label for m in at.metric]


def test_the_revised_figure_is_what_the_store_reads(changed_release):
    from lis_data.runtime import queries
    from ui import data

    ind, old, new = changed_release
    rows = queries.series(data.store(), ind.id, (WOKING,), None, None)
    values = dict(zip(rows["period"].astype(str), rows["value"]))
    assert any(abs(v - float(new)) < 1e-9 for v in values.values()), values
    assert not any(abs(v - float(old)) < 1e-9 for p, v in values.items() if p.startswith("2022")), values
