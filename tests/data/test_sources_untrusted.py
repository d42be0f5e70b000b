"""Upstream metadata is untrusted text (lis_data.views.sources): a Markdown image that calls an outside
server, links (also to javascript: addresses), raw HTML and text-reversing characters in it become
plain words; a link is kept only as a validated https address the project links to itself."""

from __future__ import annotations

import pytest

from lis_data.config import load_catalogue
from lis_data.ingest.extract import build_extract
from lis_data.runtime.queries import coverage
from lis_data.runtime.store import Store
from lis_data.views.source import StoreSource
from lis_data.views.sources import indicator_notes, plain_paragraphs, safe_link, source_rows
from synthetic_source import set_metadata, write_full_source

HOSTILE = {
    "caveats": "Read [the ONS note](https://www.ons.gov.uk/note) first.\n\n"
               "![](https://tracker.evil.example/pixel.png?u=1)[log in](https://evil.example/login) "
               "[run](javascript:alert(1)) <img src=https://tracker.evil.example/p.png> <a href='https://evil.example'>x</a>"
               "\n\n<script>alert(1)</script>\n\nsafe \u202eetxet desrever\u200b end",
    "longDescription": "**Bold** and <b>html</b> and ![a chart](http://tracker.evil.example/c.png) and <https://evil.example/auto>",
    "subtitle": "Sub [link](https://evil.example/s)",
    "sourceOrg": "[Evil Org](javascript:alert(1))",
    "sourceURL": "javascript:alert(document.cookie)",
}


def test_plain_paragraphs_keep_words_and_drop_every_active_part():
    paras = plain_paragraphs(HOSTILE["caveats"])
    text = "\n".join(paras)
    assert paras[0] == "Read the ONS note (https://www.ons.gov.uk/note) first."
    assert "pixel.png" not in text  # a Markdown image's address is never kept
    assert "<img src=https://tracker.evil.example/p.png>" in text  # HTML: literal text, escaped when shown
    assert "log in (https://evil.example/login)" in text  # a link is words, to be escaped
    assert "](" not in text.replace("[run](javascript:alert(1))", "")  # javascript: is left as literal text
    assert "<script>alert(1)</script>" in text  # HTML is literal text, escaped by whoever shows it
    assert "\u202e" not in text and "\u200b" not in text
    assert paras[-1] == "safe etxet desrever end"
    assert plain_paragraphs("- one\n- two") == ("– one", "– two")
    assert plain_paragraphs(None) == plain_paragraphs("") == ()


@pytest.mark.parametrize("url, ok", [
    ("https://www.ons.gov.uk/a/b?c=d#e", True),
    ("http://www.ons.gov.uk/", False),
    ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False),
    ("data:text/html,<b>x</b>", False),
    ("https://user:pw@www.ons.gov.uk/", False),
    ("https://www.ons.gov.uk/a)b", False),  # would end a Markdown link
    ("https://www.ons.gov.uk/a b", False),
    ("https://www.ons.gov.uk/\u202egnp", False),
    ("https://localhost/", False),
    ("https://127.0.0.1/", False),
    ("https://www.ons.gov.uk:notaport/", False),
    ("//www.ons.gov.uk/", False),
    ("https://" + "a" * 3000 + ".uk/", False),
    (None, False),
    (42, False),
])
def test_safe_link(url, ok):
    assert safe_link(url) == (url if ok else None)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory, area):
    tmp = tmp_path_factory.mktemp("hostile-meta")
    catalogue = load_catalogue()
    src = write_full_source(tmp / "src", catalogue, area)
    ind = set_metadata(src, catalogue, **HOSTILE)
    build_extract(src, tmp / "extract", area, catalogue)
    store = Store.open(tmp / "extract", tmp / "store.duckdb")
    yield store, ind
    store.close()


def test_sources_table_and_notes_the_pack_reads_are_plain(hostile_store, area):
    store, ind = hostile_store
    src = StoreSource(store, area)
    row = next(r for r in source_rows(src, coverage(store, area.district_codes)) if r.indicator_id == ind.id)
    assert row.link is None  # javascript: is never a link
    assert row.source == "[Evil Org](javascript:alert(1))"  # not a link: literal words, escaped when shown
    assert "pixel.png" not in row.caveats and "\u202e" not in row.caveats
    assert row.caveats.startswith("Read the ONS note (https://www.ons.gov.uk/note) first.")
    notes = indicator_notes(src.meta(ind.id), ind.id)
    assert notes.subtitle == "Sub link (https://evil.example/s)"
    assert notes.description == ("Bold and <b>html</b> and [image: a chart] and https://evil.example/auto",)
    good = indicator_notes({"source_url": "https://www.ons.gov.uk/x", "source_org": "ONS"})
    assert (good.link, good.source, good.released) == ("https://www.ons.gov.uk/x", "ONS", "not stated")


def test_a_source_address_listing_two_sources_links_the_first_safe_one():
    notes = indicator_notes({"source_url": "javascript:x()|https://www.gov.uk/a|https://www.nisra.gov.uk/b"})
    assert notes.link == "https://www.gov.uk/a"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]()!<>*_`#-:/ \n\tab.\u202e\u200b\x00\x1bhttps")), max_size=80))
def test_plain_paragraphs_never_fail_and_hold_no_invisible_characters(text):
    import unicodedata

    for para in plain_paragraphs(text):
        assert para and "\n" not in para
        assert not [c for c in para if unicodedata.category(c) in ("Cc", "Cf")], para
