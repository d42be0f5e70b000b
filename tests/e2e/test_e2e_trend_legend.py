"""The employment trend with Woking and its statistical neighbours, drawn in a real browser: the legend
sits below the plot and never squeezes it (the plot at least 200 px tall), and no two named series (the
legend's entries) share a colour; the neighbours are drawn in one grey, named on hover and in the table.
The ranked chart beside it keeps its plot too, and names the indicator in its title."""

from __future__ import annotations

from conftest import assert_no_exception, screenshot, wait_for_app

PATH = "/workforce?d=E07000217&cmp=england,region,neighbours&ind=employment-rate"

# Streamlit draws these charts as SVG: the root frame's background is the plot area; the legend's
# symbols carry each named series' colour.
MEASURE = """
(el) => {
  const plot = el.querySelector('g.role-frame.root > g > g > path.background, g.mark-group.role-frame path.background');
  const box = plot ? plot.getBoundingClientRect() : null;
  const labels = [...el.querySelectorAll('g.role-legend-label text')].map(t => t.textContent);
  const symbols = [...el.querySelectorAll('g.role-legend-symbol path')]
    .map(p => p.getAttribute('stroke') || p.getAttribute('fill'));
  const entries = labels.map((l, i) => [l, symbols[i]]);
  const title = [...el.querySelectorAll('g.role-title-text text')].map(t => t.textContent).join(' ');
  return {plot: box ? box.height : 0, plotWidth: box ? box.width : 0, entries, title};
}
"""


def test_trend_with_neighbours_keeps_its_plot_and_distinct_colours(page, warm_server):
    page.set_viewport_size({"width": 1366, "height": 2400})
    page.goto(warm_server["url"] + PATH)
    wait_for_app(page)
    assert_no_exception(page)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.first.wait_for(state="visible")
    screenshot(page, "trend-neighbours", full_page=False)
    trend = charts.nth(0).evaluate(MEASURE)
    assert trend["title"].startswith("Employment rate, aged 16 to 64"), trend["title"]
    assert trend["plot"] >= 200, trend
    names = dict(trend["entries"])
    assert len(names) == len(trend["entries"]) and {"Woking", "England", "South East"} <= set(names), trend["entries"]
    assert not any("neighbour" in n for n in names), "the neighbours are grey context, not legend entries"
    assert len(set(names.values())) == len(names), f"named series sharing a colour: {trend['entries']}"
    ranked = charts.nth(1).evaluate(MEASURE)
    assert "Employment rate, aged 16 to 64" in ranked["title"], ranked["title"]
    assert ranked["plot"] >= 200, ranked
