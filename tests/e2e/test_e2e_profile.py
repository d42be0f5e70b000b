"""The district profile in headless Chromium: spines drawn, the judgement filter, a row followed to
its priority page with the indicator open; on a phone, every spine chart fits its box."""

from __future__ import annotations

import pytest
from conftest import assert_no_exception, new_page, screenshot, wait_for_app
from test_e2e_navigation import _charts_drawn

from lis_data.config import load_catalogue

# One spine chart per priority leading a district indicator that is not a count (the profile lists an
# indicator once, under its first priority; a count is never placed on a spine).
SPINES = len({i.priorities[0] for i in load_catalogue().indicators if i.level == "district" and i.kind != "count"})

WORKFORCE = load_catalogue().priority("workforce")


def _show(page, label: str) -> None:
    group = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"]')
    group.locator("button").filter(has=page.get_by_text(label, exact=True)).first.click()
    wait_for_app(page)


def test_profile_spines_filter_and_row_link(page, warm_server):
    page.goto(warm_server["url"] + "/profile?d=E07000217")
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == "District profile: Woking"
    assert _charts_drawn(page, minimum=3) >= 3, "spine charts drawn"
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= SPINES, "a spine chart per priority"
    screenshot(page, "profile-woking")

    # Worse (issue 19): significantly worse, or in the worst fifth of English districts. Woking's housing
    # affordability, electricity and gas use have no published interval but rank in the worst fifth.
    answer = page.locator('[data-testid="stMarkdown"]').first.inner_text()
    assert "Woking is significantly better than England" in answer and "worst fifth" in answer
    _show(page, "Worse")
    assert_no_exception(page)
    assert page.get_by_text("No indicator is worse here.").count() == 0
    for label in ("Affordability ratio", "Electricity", "Gas"):
        link = page.locator('[data-testid="stPageLink-NavLink"]', has_text=label)
        assert link.count() == 1, label
        text = link.inner_text()
        assert "worst fifth" in text and "England" in text, text  # England's figure beside Woking's
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 2, "their spines drawn"
    screenshot(page, "profile-woking-worse")
    # Better: economic inactivity is (its interval lies wholly below England's rate).
    _show(page, "Better")
    link = page.locator('[data-testid="stPageLink-NavLink"]', has_text="Economic inactivity")
    assert link.count() == 1
    assert "▲ better" in link.inner_text()
    assert page.locator('[data-testid="stPageLink-NavLink"]', has_text="Employment rate").count() == 0, \
        "similar rows are filtered out"
    screenshot(page, "profile-woking-better")

    link.click()
    page.wait_for_url("**/workforce?**", timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == f"{WORKFORCE.number}. {WORKFORCE.title}"
    assert "ind=economic-inactivity" in page.url and "d=E07000217" in page.url
    page.get_by_role("heading", name="Economic inactivity rate, aged 16 to 64").first.wait_for(timeout=30_000)


# Each spine chart's drawn box (SVG or canvas) and its element's box, and for an SVG every text it
# shows (title, indicator labels, axis labels and note, legend): its box, relative to the drawn one.
_SPINE_BOXES_JS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].map(c => {
    const g = c.querySelector('svg.marks, canvas.marks');
    if (!g) return null;
    const box = g.getBoundingClientRect(), own = c.getBoundingClientRect();
    const shown = t => t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0'
                       && t.textContent.trim() !== '';
    const texts = g.tagName.toLowerCase() !== 'svg' ? [] : [...g.querySelectorAll('text')].filter(shown).map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left - box.left, right: r.right - box.left,
                top: r.top - box.top, bottom: r.bottom - box.top};
    });
    return {tag: g.tagName.toLowerCase(), width: box.width, height: box.height,
            element: own.width, right: box.right, texts};
})"""


@pytest.mark.parametrize("query", ["d=E07000217", ""], ids=["woking", "em3"])
def test_spine_charts_fit_a_phone(browser, warm_server, query):
    """At 390 CSS px every spine chart fits its box: the drawn chart is no wider than its element,
    nothing it writes runs off either side (the title's start, the labels, the axis note, the
    legend), "worst" and "best" stay apart, and the page does not scroll sideways."""
    page = new_page(browser, 390, 1600)
    try:
        page.goto(warm_server["url"] + "/profile" + (f"?{query}" if query else ""))
        wait_for_app(page)
        assert_no_exception(page)
        # The table comes after the last spine chart: once it is there, every chart is on the page
        # (given a moment where the first run is followed by a second, as on a busy machine).
        page.get_by_role("heading", name="The profile as a table").wait_for(timeout=60_000)
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        try:
            page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= %d" % SPINES,
                                   timeout=30_000)
        except Exception:  # reported below
            pass
        assert charts.count() >= SPINES, f"a spine chart per priority: {charts.count()}"
        for chart in charts.all():  # each drawn where it scrolls into view
            chart.scroll_into_view_if_needed()
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]')]"
                               ".every(c => { const g = c.querySelector('svg.marks, canvas.marks');"
                               " return g && g.getBoundingClientRect().height > 50; })", timeout=30_000)
        page.wait_for_timeout(500)
        boxes = page.evaluate(_SPINE_BOXES_JS)
        screenshot(page, f"profile-phone-{query.split('=')[-1] or 'em3'}")
        problems = []
        for i, b in enumerate(boxes):
            assert b is not None, f"spine chart {i + 1} not drawn"
            if b["width"] > b["element"] + 0.5 or b["right"] > 390.5:
                problems.append(f"chart {i + 1}: drawn {b['width']:.0f} px wide in a {b['element']:.0f} px box")
            assert b["tag"] == "svg", "the spine charts are drawn as SVG (their texts are checked)"
            for t in b["texts"]:
                inside = (t["left"] >= -0.5 and t["right"] <= b["width"] + 0.5
                          and t["top"] >= -0.5 and t["bottom"] <= b["height"] + 0.5)
                if not inside:
                    problems.append(f"chart {i + 1}: {t['text']!r} cut off ({t['left']:.0f} to {t['right']:.0f} px "
                                    f"in {b['width']:.0f})")
            ends = {t["text"]: t for t in b["texts"] if t["text"] in ("worst", "best")}
            assert len(ends) == 2, f"chart {i + 1}: 'worst' and 'best' under the spines: {ends}"
            worst, best = ends["worst"], ends["best"]
            if worst["right"] + 8 > best["left"]:
                problems.append(f"chart {i + 1}: 'worst' ({worst['left']:.0f} to {worst['right']:.0f} px) runs "
                                f"into 'best' ({best['left']:.0f} to {best['right']:.0f} px)")
        assert not problems, "\n".join(problems)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the profile scrolls sideways on a phone: {width}px"
        main = page.evaluate("(() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                             " return [m.scrollWidth, m.clientWidth]; })()")
        assert main[0] <= main[1], f"the page's main area scrolls sideways: {main}"
    finally:
        page.context.close()
