"""The maps draw in a real browser with the internet disconnected: no base-map tiles are needed."""

from __future__ import annotations

import io

import pytest
from conftest import ARTIFACTS, assert_no_exception, screenshot, wait_for_app
from PIL import Image

TILE_HOSTS = ("carto", "mapbox", "maptiler", "tile", "basemaps", "openstreetmap")


def _map_drawn(page, name: str) -> None:
    """A deck.gl canvas of real size whose pixels are not all one colour."""
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    canvas = chart.locator("canvas").first
    canvas.wait_for(state="visible", timeout=60_000)
    # A canvas starts at the browser's default 300 x 150 until deck.gl sizes it to its box: wait for that.
    box = canvas.bounding_box()
    for _ in range(30):
        if box and box["width"] > 200 and box["height"] > 200:
            break
        page.wait_for_timeout(1000)
        box = canvas.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200, box
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    colours = None
    for _ in range(10):  # deck.gl draws asynchronously; give a busy machine up to ~20 s
        page.wait_for_timeout(2000)
        png = chart.screenshot(path=str(ARTIFACTS / f"{name}-map.png"), timeout=90_000)
        colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 20)
        if colours is not None and len(colours) > 20:
            break
    assert colours is not None and len(colours) > 20, "the map canvas is blank"


@pytest.mark.parametrize("path", ["/towns", "/innovation", "/workforce?d=E07000089&ind=claimant-count"])
def test_map_draws_offline(page, warm_server, path):
    page.goto(warm_server["url"] + path)
    wait_for_app(page)
    assert_no_exception(page)
    _map_drawn(page, path.strip("/").split("?")[0])
    tiles = [u for u in page.blocked if any(h in u for h in TILE_HOSTS)]
    assert not tiles, f"the map asked for base-map tiles: {tiles[:3]}"
    screenshot(page, f"map-{path.strip('/').split('?')[0]}", full_page=False)
