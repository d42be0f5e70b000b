"""/sources and a priority page over an extract whose upstream metadata is hostile (a Markdown
image that calls an outside server, links, raw HTML, a javascript: address, text-reversing
characters): nothing from it renders as a link, an image or HTML."""

from __future__ import annotations

import pytest
import streamlit as st

from lis_data.config import load_area, load_catalogue
from lis_data.ingest.extract import build_extract
from markdown_safety import active_in
from page_helpers import assert_clean, run_page
from synthetic_source import set_metadata, write_full_source

HOSTILE = {
    "caveats": "![](https://tracker.evil.example/pixel.png) [log in](https://evil.example/login) "
               "<img src='https://tracker.evil.example/p.png'> [run](javascript:alert(1)) "
               "www.evil.example/x and \u202eevil",
    "longDescription": "<b>html</b> ![chart](http://tracker.evil.example/c.png) <https://evil.example/auto>",
    "subtitle": "[sub](https://evil.example/s)",
    "sourceOrg": "[Evil Org](https://evil.example/org)",
    "sourceURL": "javascript:alert(document.cookie)",
}


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-sources")
    area, catalogue = load_area(), load_catalogue()
    src = write_full_source(tmp / "src", catalogue, area)
    ind = set_metadata(src, catalogue, **HOSTILE)
    build_extract(src, tmp / "extract", area, catalogue)
    st.cache_data.clear()
    st.cache_resource.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIS_EXTRACT_DIR", str(tmp / "extract"))
        mp.setenv("LIS_STORE_PATH", str(tmp / "store.duckdb"))
        yield ind
    st.cache_data.clear()
    st.cache_resource.clear()


def _hostile(at) -> list:
    return [p for p in active_in(at) if "evil" in p[1] or "javascript" in p[1] or p[0].startswith("html")
            or p[0] == "image"]


@pytest.mark.parametrize("page", ["sources", "innovation"])
def test_hostile_metadata_renders_as_text(hostile_app, page):
    at = run_page(page)
    assert_clean(at)
    assert _hostile(at) == []
    shown = " ".join(m.value for m in [*at.markdown, *at.caption])
    assert "\u202e" not in shown
    assert "log in" in shown  # the words are there, as text
    if page == "sources":
        table = next(t.value for t in at.dataframe if "Link" in t.value.columns)
        row = table[table["Indicator"] == hostile_app.label].iloc[0]
        assert row["Link"] is None  # a javascript: address is never a link
        assert all(link is None or link.startswith("https://") for link in table["Link"])
