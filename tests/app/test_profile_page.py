"""The district profile page, the benchmark setting and the judgements on the other pages."""

from __future__ import annotations

import csv
import io
import math

import pytest

from lis_data.cli import main
from lis_data.profile import PROFILE_COLUMNS
from page_helpers import AREA, assert_clean, run_page
from pages.components.filter_state import Filters, parse_query


def _same(a, b) -> bool:
    """A CSV cell from the command and a cell of the page's table hold the same value."""
    if a == "":
        return b is None or (isinstance(b, float) and math.isnan(b)) or b == ""
    if isinstance(b, (int, float)) and not isinstance(b, bool):
        return not math.isnan(b) and float(a) == float(b)
    return str(a) == str(b)


def _cli(code: str, capsys, benchmark: str = "england") -> list[dict]:
    assert main(["profile", "--area", code, "--benchmark", benchmark]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_page_and_command_agree_for_every_district(capsys):
    at = run_page("profile", {"d": AREA.districts[0].code})
    for d in AREA.districts:
        if d is not AREA.districts[0]:
            at.multiselect(key="f_districts").set_value([d.code]).run()
        assert_clean(at)
        assert at.title[0].value == f"District profile: {d.name}"
        table = at.dataframe[0].value
        cli = _cli(d.code, capsys)
        assert len(table) == len(cli), d.name
        for want, (_, got) in zip(cli, table.iterrows()):
            for col in PROFILE_COLUMNS:
                assert _same(want[col], got[col]), (d.name, want["indicator"], col, want[col], got[col])


def test_profile_draws_spines_and_filters(capsys):
    at = run_page("profile", {"d": "E07000092"})  # Rushmoor: worse than England on level 3 qualifications
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) >= 8, "one spine chart per priority with district indicators"
    at.segmented_control(key="profile_show").set_value("worse").run()
    table = at.dataframe[0].value
    assert list(table["indicator"]) == ["level-3-qualifications"]
    assert set(table["judgement"]) == {"worse"}
    at.segmented_control(key="profile_show").set_value("red-red").run()
    table = at.dataframe[0].value if at.dataframe else None
    rows = _cli("E07000092", capsys)
    want = [r["indicator"] for r in rows if r["judgement"] == "worse" and r["direction"] == "worsening"]
    assert (list(table["indicator"]) if table is not None and len(table) else []) == want


def test_em3_view_counts_every_district():
    at = run_page("profile")
    assert_clean(at)
    assert at.title[0].value == "EM3 profile"
    table = at.dataframe[0].value
    counts = table[["better", "similar", "worse", "higher", "lower", "not tested", "not compared", "no figure"]]
    assert (counts.sum(axis=1) == len(AREA.districts)).all()
    assert table.loc[table["indicator"] == "level-3-qualifications", "worse"].iloc[0] >= 1


def test_benchmark_from_the_url(capsys):
    at = run_page("profile", {"d": "E07000217", "bm": "county"})
    assert_clean(at)
    table = at.dataframe[0].value
    assert set(table["benchmark_area"]) == {"Surrey"}
    assert at.session_state["f_benchmark"] == "county"
    cli = _cli("E07000217", capsys, "county")
    assert [r["judgement"] for r in cli] == list(table["judgement"])


def test_benchmark_parameter_is_validated_and_kept_in_links():
    parsed = parse_query({"bm": "region"}, AREA)
    assert parsed.filters.benchmark == "region" and not parsed.notes
    assert parsed.filters.to_query(AREA) == {"bm": "region"}
    assert Filters(AREA.district_codes).to_query(AREA) == {}, "England is the default and left out of links"
    bad = parse_query({"bm": "wales"}, AREA)
    assert bad.filters.benchmark == "england"
    assert bad.notes == ["Ignored 'bm=wales': choose from england, region, county."]
    at = run_page("", {"bm": "wales"})
    assert any("Ignored 'bm=wales'" in w.value for w in at.warning)


def test_tile_judges_by_the_interval_not_the_difference():
    from pages.components import views

    woking = (("E07000217", "Woking"),)
    inactivity = views.tile_content("economic-inactivity", woking)
    assert any("▲ better than England" in line for line in inactivity["lines"])
    employment = views.tile_content("employment-rate", woking)  # 83.4% vs 76.0%, interval 75.9 to 90.9
    assert any("● similar to England" in line for line in employment["lines"])
    several = views.tile_content("employment-rate", tuple((d.code, d.name) for d in AREA.districts))
    assert any(line.startswith("Against England (95% CI): ") for line in several["lines"])
    assert any("difference of the median, not a judgement" in line for line in several["lines"])


def test_overview_links_each_district_to_its_profile():
    at = run_page("overview")
    assert_clean(at)
    links = [p for p in at.get("page_link") if p.proto.label in {d.name for d in AREA.districts}]
    assert len(links) == len(AREA.districts)


@pytest.mark.parametrize("bm", ["england", "county"])
def test_priority_page_under_each_benchmark(bm):
    at = run_page("workforce", {"d": "E07000217", "bm": bm})
    assert_clean(at)
    name = "England" if bm == "england" else "Surrey"
    assert any(f"than {name}" in c.value or f"to {name}" in c.value for c in at.caption)


def test_sources_page_explains_the_method():
    at = run_page("sources")
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    assert "Fingertips" in text and "95% confidence interval" in text and "not tested" in text
