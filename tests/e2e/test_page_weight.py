"""A priority page's first load is light: the bytes of every websocket message a fresh session
receives (serialized ForwardMsgs, before compression), measured on the real server with the
protocol client of scripts/page_weight.py.

Issue 13 asks for 80 kB; the budget here is what the lighter maps, charts and tables reach while
the maps look the same at screen size (README, "Page weight"), with a few kB of headroom for a
longer label or one more period, so that a regression fails. Before them /innovation sent 235 kB,
156 kB of it the map; measured now: /innovation 135 kB, /workforce?ind=claimant-count 142 kB (4 kB
of it the chart image download buttons), the map 93 kB."""

from __future__ import annotations

import pytest
from conftest import assert_no_exception, wait_for_app

from scripts.page_weight import first_load

#: Bytes a priority page's first load may send (before compression), in all and for its map.
FIRST_LOAD_BUDGET = 146_000
MAP_BUDGET = 96_000
PAGES = ["/innovation", "/workforce?ind=claimant-count"]


@pytest.mark.parametrize("path", PAGES)
def test_priority_page_first_load_within_budget(warm_server, path):
    res = first_load(warm_server["url"], path)
    assert not res.exceptions, res.exceptions
    assert not res.page_not_found
    assert res.by_element["deck_gl_json_chart"] > 0, "the page drew its map"
    assert res.by_element["vega_lite_chart"] > 0, "the page drew its charts"
    assert res.by_element["deck_gl_json_chart"] <= MAP_BUDGET, res.summary()
    assert res.total_bytes <= FIRST_LOAD_BUDGET, res.summary()


def test_a_table_behind_a_chart_arrives_when_its_expander_opens(page, warm_server):
    page.goto(warm_server["url"] + "/innovation")
    wait_for_app(page)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0, "no table sent with the first load"
    page.get_by_text("Table of the figures on this map").click()
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
