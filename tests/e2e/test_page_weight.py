"""A priority page's first load is light: the bytes of every websocket message a fresh session
receives (serialized ForwardMsgs, before compression), measured on the real server with the
protocol client of scripts/page_weight.py.

Issue 13 asks for 80 kB. Before the work on it /innovation sent 235 kB, 156 kB of it the map; then
135 kB (map 93 kB). Now the map's coordinates go as whole steps of the display grid, only the map's
own properties are sent and chart data is trimmed per layer (README, "Page weight"): /innovation
77 kB, the nine priority pages 66-85 kB (housing's quarterly trend is the heaviest), every map
41-42 kB. The budgets leave a few kB of headroom for a longer label or one more period, so that a
regression fails."""

from __future__ import annotations

import pytest
from conftest import assert_no_exception, wait_for_app

from scripts.page_weight import first_load

#: Bytes a priority page's first load may send (before compression), in all; the same for every map.
FIRST_LOAD_BUDGET = {"/innovation": 80_000, "/workforce?ind=claimant-count": 86_000, "/housing": 88_000}
MAP_BUDGET = 44_000
PAGES = list(FIRST_LOAD_BUDGET)


@pytest.mark.parametrize("path", PAGES)
def test_priority_page_first_load_within_budget(warm_server, path):
    res = first_load(warm_server["url"], path)
    assert not res.exceptions, res.exceptions
    assert not res.page_not_found
    assert res.by_element["deck_gl_json_chart"] > 0, "the page drew its map"
    assert res.by_element["vega_lite_chart"] > 0, "the page drew its charts"
    assert res.by_element["deck_gl_json_chart"] <= MAP_BUDGET, res.summary()
    assert res.total_bytes <= FIRST_LOAD_BUDGET[path], res.summary()


def test_a_table_behind_a_chart_arrives_when_its_expander_opens(page, warm_server):
    page.goto(warm_server["url"] + "/innovation")
    wait_for_app(page)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0, "no table sent with the first load"
    page.get_by_text("Table of the figures on this map").click()
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
