"""The board pack, as an officer puts it into a board paper: built for all fourteen districts and EM3 and
read back with pdftotext and pypdf. At most twelve pages; no figure with more decimals than the catalogue
allows; no word of the catalogue's titles or of a judgement split across a line inside a table cell; the
contents page's links land on pages of the pack; every chart's smallest text at 8 pt or more as printed."""

from __future__ import annotations

import re
import subprocess

import pytest

from lis_data.domain import judgement as jm
from lis_data.config import load_area, load_catalogue
from lis_data.pack import EM3, build_pack
from lis_data.pack.board import CHART_WIDTH_MM, PT_PER_MM, board_content, default_since
from lis_data.pack.content import pack_request
from lis_data.views.board_figures import board_figures
from lis_data.views.images import chart_svg

AREA, CAT = load_area(), load_catalogue()
AREAS = [*AREA.district_codes, EM3]
MAX_DECIMALS = max(i.decimals for i in CAT.indicators)


def _words(text: str) -> set[str]:
    return {w for w in (re.sub(r"[^\w/£%×.,+-]", "", t).strip(".,").lower() for t in text.split()) if len(w) > 2}


#: Words that must never be broken: every word of the catalogue's titles and labels, the judgements.
VOCABULARY = set().union(
    *(_words(f"{i.label} {i.short_label} {i.unit}") for i in CAT.indicators),
    *(_words(p.title) for p in CAT.priorities),
    _words(" ".join(jm.JUDGEMENTS) + " England South East improving worsening compared"),
)


def _text(path, layout=False) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, check=True, timeout=60).stdout.decode("utf-8")


def split_words(text: str) -> list[str]:
    """Pairs of neighbouring tokens that join into a vocabulary word that is not itself made of two
    vocabulary words: "Englan" + "d", "worse" + "ning", "compare" + "d"."""
    tokens = [re.sub(r"[^\w/£%×.,+-]", "", t).strip(".,").lower() for t in text.split()]
    found = []
    for a, b in zip(tokens, tokens[1:]):
        if not a or not b:
            continue
        joined = a[:-1] + b if a.endswith("-") else a + b
        if joined in VOCABULARY and not (a in VOCABULARY and b in VOCABULARY):
            found.append(f"{a} {b}")
    return found


def too_many_decimals(text: str, allowed: int) -> list[str]:
    return [m.group(0) for m in re.finditer(r"(?<![\w.])\d[\d,]*\.(\d+)(?![\w.])", text) if len(m.group(1)) > allowed]


@pytest.fixture(scope="module")
def packs(tmp_path_factory, store, poppler):
    folder = tmp_path_factory.mktemp("board")
    out = {}
    for code in AREAS:
        path = folder / f"{code}.pdf"
        path.write_bytes(build_pack(store, code))
        out[code] = path
    return out


def test_the_checks_find_what_the_old_pack_printed():
    """The two checks below catch the faults an officer found in the previous pack's tables."""
    old = "Englan d 6.122448979591836 worse ning ▸ not compare d impro ving 49.370000000000005 per 100,0 00"
    assert {"englan d", "worse ning", "compare d", "impro ving"} <= set(split_words(old))
    assert too_many_decimals(old, MAX_DECIMALS) == ["6.122448979591836", "49.370000000000005"]
    assert not split_words("England worsening not compared improving per 100,000 people")


@pytest.mark.parametrize("code", AREAS)
def test_board_pack_reads_as_a_board_paper(packs, store, code):
    from pypdf import PdfReader

    path = packs[code]
    text = _text(path)
    reader = PdfReader(path)
    assert len(reader.pages) <= 12
    assert not too_many_decimals(text, MAX_DECIMALS)
    assert not split_words(text)
    # Each indicator's row on the profile page: no more decimals than the catalogue gives that indicator.
    layout = _text(path, layout=True)
    profile_page = layout.split("\f")[1]
    for f in board_figures(store, code):
        line = next((ln for ln in profile_page.splitlines() if ln.strip().startswith(f.short_label + " ")), None)
        if line is not None:
            assert not too_many_decimals(line[len(f.short_label) + 2:], f.decimals), (f.indicator, line)
    # The contents page's links resolve to pages of the pack.
    named = reader.named_destinations
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and "/Dest" in a]
    assert len(internal) >= 2 + 9 + 1
    page_ids = {p.indirect_reference.idnum for p in reader.pages}
    for a in internal:
        dest = named[str(a["/Dest"])]
        assert dest.page.idnum in page_ids if hasattr(dest.page, "idnum") else dest.page is not None


@pytest.mark.parametrize("code", ["E07000217", EM3])
def test_every_chart_prints_its_smallest_text_at_8_pt(store, code):
    req = pack_request(AREA, CAT, code, (), None, "england")
    content = board_content(store, req, AREA, CAT)
    assert content.charts
    for chart in content.charts:
        svg = chart_svg(chart.spec, chart.source)
        width_px = float(re.search(r'<svg[^>]*\bwidth="([0-9.]+)"', svg).group(1))
        sizes = [float(s) for s in re.findall(r'font-size[=:]"?\s*([0-9.]+)', svg)]
        assert sizes, chart.indicator
        printed = min(sizes) * CHART_WIDTH_MM * PT_PER_MM / width_px
        assert printed >= 8, (chart.indicator, min(sizes), width_px, round(printed, 2))
        assert CAT.indicator(chart.indicator).label in " ".join(" ".join(chart.spec["title"]["text"]).split())


def test_whats_new_starts_at_the_previous_board_date(monkeypatch):
    from datetime import date

    from lis_data.errors import LisDataError

    monkeypatch.delenv("LIS_PREVIOUS_BOARD_DATE", raising=False)
    assert default_since(date(2026, 12, 3)) == "2026-09-04"
    monkeypatch.setenv("LIS_PREVIOUS_BOARD_DATE", "2026-10-15")
    assert default_since(date(2026, 12, 3)) == "2026-10-15"
    monkeypatch.setenv("LIS_PREVIOUS_BOARD_DATE", "15/10/2026")
    with pytest.raises(LisDataError, match="LIS_PREVIOUS_BOARD_DATE"):
        default_since()


def test_board_pack_lists_whats_new_since_the_previous_board(tmp_path, poppler, monkeypatch):
    """Over a changed release: the indicators with a new period since the previous board date are listed."""
    from lis_data.runtime.store import Store
    from synthetic_source import WOKING, build_changed_release

    out, ind, _, _ = build_changed_release(tmp_path, AREA, CAT)
    monkeypatch.setenv("LIS_EXTRACT_DIR", str(out))
    monkeypatch.setenv("LIS_PREVIOUS_BOARD_DATE", "2026-10-01")
    store = Store.open(out, tmp_path / "store.duckdb")
    try:
        req = pack_request(AREA, CAT, WOKING, (), None, "england")
        content = board_content(store, req, AREA, CAT)
    finally:
        store.close()
    assert content.news.since == "2026-10-01" and content.news.items
    from lis_data.pack.board import board_html

    html = board_html(content, CAT.priorities)
    assert "What's new since 2026-10-01" in html
    assert content.news.items[0].label in html
