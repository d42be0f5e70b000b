"""The comparison table (/compare) on a phone: at 390 CSS px the page does not scroll sideways; the
table scrolls inside its own box, with the indicator column pinned."""

from __future__ import annotations

from conftest import assert_no_exception, new_page, screenshot, wait_for_app


def test_comparison_table_fits_a_phone(browser, warm_server):
    page = new_page(browser, 390, 1400)
    try:
        page.goto(warm_server["url"] + "/compare?d=E07000217,E07000209,E07000084")
        wait_for_app(page)
        assert_no_exception(page)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=60_000)
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        box = grid.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390.5, box
        screenshot(page, "compare-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
        main = page.evaluate("(() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                             " return [m.scrollWidth, m.clientWidth]; })()")
        assert main[0] <= main[1] + 1, f"the main area scrolls sideways: {main}"
        # the grid itself is wider than its box: it scrolls inside it
        inner = page.evaluate("(() => { const s = document.querySelector('[data-testid=\"stDataFrame\"] "
                              ".dvn-scroller'); return s ? [s.scrollWidth, s.clientWidth] : null; })()")
        assert inner is None or inner[0] > inner[1], inner
    finally:
        page.close()
