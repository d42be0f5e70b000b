"""The real server in headless Chromium: every page from the sidebar, charts drawn, deep links applied."""

from __future__ import annotations

import re

from conftest import assert_no_exception, new_page, screenshot, wait_for_app

from lis_data.config import load_catalogue

CATALOGUE = load_catalogue()


_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(c => { const g = c.querySelector('canvas, svg'); if (!g) return false;
                   const r = g.getBoundingClientRect(); return r.width > 50 && r.height > 50; }).length"""


def _charts_drawn(page, minimum: int = 1) -> int:
    """Vega charts that rendered a canvas or SVG with a non-zero size (scrolled into view, and given
    time to draw on a busy machine)."""
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
                           timeout=30_000)
    for chart in page.locator('[data-testid="stVegaLiteChart"]').all()[:minimum + 1]:
        chart.scroll_into_view_if_needed()
    try:
        page.wait_for_function(f"() => ({_DRAWN_JS})() >= {minimum}", timeout=30_000)
    except Exception:  # report the count below
        pass
    drawn = page.evaluate(_DRAWN_JS)
    assert drawn >= minimum, f"only {drawn} charts drawn"
    return drawn


def _open_more(page) -> None:
    """The groups after the first fold under "View N more" (pages/site.py: shown_first): open them,
    as a reader does."""
    more = page.locator('[data-testid="stSidebarNav"]').get_by_text(re.compile(r"^View (\d+ )?more$"))
    if more.count() and more.first.is_visible():
        more.first.click()
        page.wait_for_timeout(400)


def test_every_page_from_the_sidebar(page, warm_server):
    page.goto(warm_server["url"] + "/")
    wait_for_app(page)
    nav = page.locator('[data-testid="stSidebarNav"]')
    _open_more(page)
    # A link's text starts with its icon's name ("dashboard"); the label is the last line.
    labels = [a.inner_text().strip().splitlines()[-1].strip() for a in nav.locator("a").all()]
    # The navigation shows the catalogue's titles, not file names.
    for p in CATALOGUE.priorities:
        assert f"{p.number}. {p.title}" in " ".join(labels)
    assert not any(re.search(r"priority|scorecard|data_sources|\.py", label) for label in labels), labels
    for i, label in enumerate(labels):
        expand = page.locator('[data-testid="stExpandSidebarButton"]')
        if expand.count() and expand.first.is_visible():  # workshop mode starts with the sidebar collapsed
            expand.first.click()
            page.wait_for_timeout(400)
        _open_more(page)
        nav.locator("a").nth(i).click()
        wait_for_app(page)
        assert_no_exception(page)
        heading = page.locator("h1").first.inner_text()
        assert heading, label
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        if label == "Workshop mode":
            assert page.locator('[data-testid="stExpandSidebarButton"]').first.is_visible(), \
                "workshop mode presents with the sidebar collapsed"
        if re.match(r"\d\.", label):
            assert heading == label, (heading, label)
            assert _charts_drawn(page, 1) >= 1
            # The tiles and the statement are there too.
            assert page.locator('[data-testid="stMetric"]').count() >= 3
        screenshot(page, f"nav-{slug}")


def test_deep_link_reopens_the_same_view(page, warm_server):
    url = warm_server["url"] + "/workforce?d=E07000089&cmp=england,county&ind=claimant-count&from=2010"
    page.goto(url)
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text().startswith("2. Workforce")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "Focus districts: Hart" in sidebar.inner_text()
    assert page.get_by_role("heading", name="Claimant count (% of residents aged 16 to 64)").count() == 1
    # The headline tiles are Hart's own figures (waiting, as a busy machine may still be drawing them).
    page.locator('[data-testid="stMetric"]').filter(has_text="Hart,").first.wait_for(timeout=30_000)
    _charts_drawn(page, 2)
    # The URL keeps the filters, so the link can be copied again.
    assert "d=E07000089" in page.url and "ind=claimant-count" in page.url and "from=2010" in page.url
    screenshot(page, "deep-link-workforce-hart")


def test_invalid_parameter_shows_a_note(page, warm_server):
    page.goto(warm_server["url"] + "/housing?d=NOWHERE&from=abc")
    wait_for_app(page)
    assert_no_exception(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "NOWHERE" in text and "from=abc" in text
    screenshot(page, "invalid-parameter")


def test_phone_width_is_usable(browser, warm_server):
    page = new_page(browser, 390, 844)
    page.goto(warm_server["url"] + "/digital?d=E07000210")
    wait_for_app(page)
    assert_no_exception(page)
    _charts_drawn(page, 1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page scrolls sideways on a phone: {width}px"
    screenshot(page, "phone-digital-mole-valley")
    page.context.close()
