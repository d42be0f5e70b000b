"""Every page on every screen: at 320x640, 390x844 and 1366x800, in Debian's Chromium.

- No element of the page is wider than the viewport outside a box that scrolls, and no text is cut
  off by its container (each text node's laid-out box inside the nearest ancestor that clips it;
  fit_check.js).
- Every map shows the fourteen districts inside its canvas: the map is drawn at its design size
  (its deck's CSS size equals the size its view was fitted for, maps.fit_view, which puts every
  district inside that box: checked here from the boundaries) and scaled as a whole to its box, which
  lies inside the viewport.
- On the overview at 390 px, a figure (a card's value) within the first 844 px.

Screenshots of every page at 390 and 1366 px go to artifacts/e2e/screens-<width>-<page>.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_audit import PAGES
from conftest import assert_no_exception, new_page, screenshot, wait_for_app

FIT_CHECK = (Path(__file__).parent / "fit_check.js").read_text()
SIZES = [(320, 640), (390, 844), (1366, 800)]

MAPS = """() => [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')].map(el => {
  const canvas = el.querySelector('canvas');
  const box = el.getBoundingClientRect();
  const main = document.querySelector('[data-testid="stMain"]').getBoundingClientRect();
  return {cssWidth: el.offsetWidth, cssHeight: el.offsetHeight, left: box.left, right: box.right,
          width: box.width, height: box.height, canvasWidth: canvas ? canvas.clientWidth : 0,
          canvasHeight: canvas ? canvas.clientHeight : 0, mainLeft: main.left, mainRight: main.right,
          vw: document.documentElement.clientWidth};
})"""


def _design_sizes() -> set[tuple[int, int]]:
    from pages import towns_map
    from ui import data

    return {tuple(data.CHOROPLETH_SIZE), tuple(towns_map.MAP_SIZE)}


def test_every_district_lies_inside_each_maps_design_view():
    """The views the maps are fitted to hold the fourteen districts inside their design box."""
    import pydeck as pdk

    from pages import towns_map
    from lis_data.views import map_geometry
    from ui import data, maps

    em3 = [f for f in data.display_boundaries()["features"] if f["properties"]["areacd"] in data.area().district_codes]
    assert len(em3) == 14
    x0, y0, x1, y1 = map_geometry.bbox(em3)
    towns_spec = maps.towns_deck(data.display_boundaries(), data.towns(), data.gateways(), data.nearest_gateways(2),
                                 data.corridors(), (), width=towns_map.MAP_SIZE[0], height=towns_map.MAP_SIZE[1])
    for (w, h), view in [(data.CHOROPLETH_SIZE, maps.fit_view((x0, y0, x1, y1), *data.CHOROPLETH_SIZE)),
                         (towns_map.MAP_SIZE, pdk.ViewState(**{k: v for k, v in towns_spec.initial_view_state.__dict__.items()
                                                                if k in ("longitude", "latitude", "zoom")}))]:
        for lon, lat in [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]:
            px, py = map_geometry.to_pixels(lon, lat, view, w, h)
            assert 0 <= px <= w and 0 <= py <= h, (w, h, lon, lat, px, py)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_page_fits_every_screen(browser, warm_server, size):
    width, height = size
    designs = _design_sizes()
    page = new_page(browser, width, height)
    problems = []
    try:
        for path in PAGES:
            page.goto(warm_server["url"] + path)
            wait_for_app(page, 1500)
            assert_no_exception(page)
            found = page.evaluate(FIT_CHECK)
            problems += [f"{path} at {width}px: wider than the screen: {w}" for w in found["wide"]]
            problems += [f"{path} at {width}px: text cut off: {c}" for c in found["clipped"]]
            for m in page.evaluate(MAPS):
                if (m["cssWidth"], m["cssHeight"]) not in designs:
                    problems.append(f"{path} at {width}px: a map drawn at {m['cssWidth']}x{m['cssHeight']}, "
                                    f"not at a size its view was fitted for {designs}")
                if m["left"] < max(m["mainLeft"], 0) - 1 or m["right"] > min(m["mainRight"], m["vw"]) + 1:
                    problems.append(f"{path} at {width}px: a map runs out of the page: {m}")
                if abs(m["width"] / m["height"] - m["cssWidth"] / m["cssHeight"]) > 0.02:
                    problems.append(f"{path} at {width}px: a map scaled unevenly: {m}")
            if width != 320:
                name = path.split("?")[0].strip("/") or "overview"
                _full_screenshot(page, f"screens-{width}-{name}", width, height)
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


def test_the_overview_on_a_phone_shows_a_figure_on_the_first_screen(browser, warm_server):
    page = new_page(browser, 390, 844)
    try:
        page.goto(warm_server["url"] + "/")
        wait_for_app(page, 1000)
        # the cards may come with a second run on a busy machine: wait for a figure, then measure where it is
        page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=60_000)
        top = page.evaluate("""() => { const v = document.querySelector('[data-testid="stMetricValue"]');
            return v ? v.getBoundingClientRect().bottom : null; }""")
        assert top is not None and top <= 844, f"the first figure ends at {top}px"
        cards = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPageLink"] a')]
            .map(a => a.innerText.trim().split('\\n').pop().trim()).filter(t => /^\\d\\./.test(t)).map(t => parseInt(t))"""
        # under load the nine cards may still be arriving (a second run redraws them): wait for all nine
        page.wait_for_function(f"() => ({cards})().length >= 9", timeout=60_000)
        wait_for_app(page)
        order = page.evaluate(cards)
        assert order == sorted(order) and len(order) >= 9, f"cards out of priority order on a phone: {order}"
    finally:
        page.context.close()


def _full_screenshot(page, name: str, width: int, height: int) -> None:
    """The whole page: Streamlit scrolls inside its own container, so the viewport is made as tall as the
    page for the picture, then put back."""
    full = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stAppViewContainer"]')].map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": width, "height": min(max(full, height), 12000)})
    page.wait_for_timeout(1200)
    screenshot(page, name, full_page=False)
    page.set_viewport_size({"width": width, "height": height})
