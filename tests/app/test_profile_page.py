"""The district profile page, the benchmark setting and the judgements on the other pages."""

from __future__ import annotations

import csv
import io
import math

import pytest

from lis_data.cli import main
from lis_data.domain.profile import PROFILE_COLUMNS
from page_helpers import AREA, assert_clean, run_page
from ui.filter_state import Filters, parse_query


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


def _priorities_with_spines() -> int:
    """Priorities that lead a district indicator that is not a count (the profile lists an indicator once,
    under its first priority; a count is never placed on a spine: that would rank a district by its size)."""
    from lis_data.config import load_catalogue

    cat = load_catalogue()
    return len({p for i in cat.indicators if i.level == "district" and i.kind != "count" for p in i.priorities[:1]})


def test_profile_draws_spines_and_filters(capsys):
    at = run_page("profile", {"d": "E07000092"})  # Rushmoor: worse than England on level 3 qualifications
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) >= _priorities_with_spines(), "one spine chart per priority with spines"
    at.segmented_control(key="profile_show").set_value("worse").run()
    table = at.dataframe[0].value
    rows = _cli("E07000092", capsys)
    assert list(table["indicator"]) == [r["indicator"] for r in rows if r["judgement"] in ("worse", "worst fifth")]
    assert "level-3-qualifications" in list(table["indicator"])
    assert set(table["judgement"]) <= {"worse", "worst fifth"}
    at.segmented_control(key="profile_show").set_value("red-red").run()
    table = at.dataframe[0].value if at.dataframe else None
    want = [r["indicator"] for r in rows
            if r["judgement"] in ("worse", "worst fifth") and r["direction"] == "worsening"]
    assert (list(table["indicator"]) if table is not None and len(table) else []) == want


def test_woking_worse_lists_the_worst_fifth_and_the_answer_comes_first(capsys):
    """Issue 19: "Show: Worse" on Woking's profile said "No indicator is worse here" while its housing
    affordability, electricity and gas use rank in the worst fifth of English districts."""
    at = run_page("profile", {"d": "E07000217"})
    assert_clean(at)
    answer = at.markdown[0].value
    rows = _cli("E07000217", capsys)
    worst = [r for r in rows if r["judgement"] == "worst fifth"]
    assert f"worst fifth on {len(worst)} indicator" in answer and "Woking is significantly better than England" in answer
    at.segmented_control(key="profile_show").set_value("worse").run()
    table = at.dataframe[0].value
    assert {"affordability-ratio", "electricity-consumption", "gas-consumption"} <= set(table["indicator"])
    assert not any("No indicator is" in i.value for i in at.info)
    links = [el.proto.label for el in at.get("page_link")]
    from lis_data.views.formatting import with_unit

    aff = next(label for label in links if label.startswith("Affordability"))
    cli = next(r for r in rows if r["indicator"] == "affordability-ratio")
    assert with_unit(float(cli["value"]), cli["unit"], 2) in aff, "the district's figure beside the judgement"
    assert f"England {with_unit(float(cli['benchmark_value']), cli['unit'], 2)}" in aff and "worst fifth" in aff


def test_em3_view_counts_every_district():
    at = run_page("profile")
    assert_clean(at)
    assert at.title[0].value == "EM3 profile"
    table = at.dataframe[0].value
    from lis_data.domain.judgement import JUDGEMENTS

    counts = table[list(JUDGEMENTS)]
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
    from lis_data.domain.judgement import BENCHMARKS
    from ui.filter_state import BENCHMARK_CHOICES

    assert tuple(BENCHMARK_CHOICES) == BENCHMARKS
    parsed = parse_query({"bm": "region"}, AREA)
    assert parsed.filters.benchmark == "region" and not parsed.notes
    assert parsed.filters.to_query(AREA) == {"bm": "region"}
    assert Filters(AREA.district_codes).to_query(AREA) == {}, "England is the default and left out of links"
    bad = parse_query({"bm": "wales"}, AREA)
    assert bad.filters.benchmark == "england"
    assert bad.notes == ["Ignored `bm=wales`: choose from england, region, county."]
    at = run_page("", {"bm": "wales"})
    assert any("Ignored `bm=wales`" in w.value for w in at.warning)


def test_tile_judges_by_the_interval_not_the_difference():
    """A district whose interval excludes England's figure is better or worse; one whose interval
    holds it is similar, however far apart the two figures are. The cases are read from the store
    (a refresh cannot break the test)."""
    from lis_data.runtime import judged_table as jt
    from ui import data, views

    rows = [r for r in jt.read(data.store(), benchmark="england", latest=True, shown=True)
            if r.areacd in data.area().district_codes and r.lci is not None and r.uci is not None
            and r.benchmark_value is not None]
    outside = next(r for r in rows if not r.lci <= r.benchmark_value <= r.uci
                   and data.catalogue().indicator(r.indicator_id).polarity in ("higher", "lower"))
    inside = max((r for r in rows if r.lci <= r.benchmark_value <= r.uci),
                 key=lambda r: abs(r.value - r.benchmark_value))  # the largest difference still "similar"
    polarity = data.catalogue().indicator(outside.indicator_id).polarity
    higher = outside.lci > outside.benchmark_value
    word = "better" if higher == (polarity == "higher") else "worse"
    tile = views.tile_content(outside.indicator_id, ((outside.areacd, outside.areanm),))
    assert any(f"{word} than England" in line for line in tile.lines), (outside, tile.lines)
    tile = views.tile_content(inside.indicator_id, ((inside.areacd, inside.areanm),))
    assert any("● similar to England" in line for line in tile.lines), (inside, tile.lines)
    several = views.tile_content("employment-rate", tuple((d.code, d.name) for d in AREA.districts))
    assert any(line.startswith("Against England (95% CI): ") for line in several.lines)
    assert any("difference of the median, not a judgement" in line for line in several.lines)


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


def test_chart_subtitle_map_tooltip_table_and_download_carry_the_judgement():
    from ui import views

    ranked = views.ranked_figure("economic-inactivity", ("E07000217",), "england")
    assert "Against England (95% CI): " in ranked.alt
    fig = views.choropleth_figure("economic-inactivity", ("E07000217",), None, "england")
    table = fig["table"].to_pandas().set_index("District")  # an Arrow table (payload.arrow_table)
    assert table.loc["Woking", "Judgement"] == "▲ better than England"
    assert "not tested" in table.loc["Surrey Heath", "Judgement"], "no interval published for Surrey Heath"
    tooltip = fig["deck"].to_json()
    assert "Better than England" in tooltip
    trend = views.trend_figure("economic-inactivity", (("E07000217", "Woking"),),
                               (("E92000001", "England"),), None, None, False, "england")
    assert "better than England" in trend.takeaway
    assert trend.table.column_names[-3:] == ["Benchmark", "Benchmark figure", "Judgement"]
    header = trend.csv.decode().splitlines()[0]  # no comment line: the header comes first
    assert header.endswith("benchmark_area,benchmark_value,judgement,source,licence")
    claimant = views.trend_figure("claimant-count", (("E07000217", "Woking"),), (), None, None, False, "england")
    from lis_data.domain import judgement as jm

    marks = {j.split(" ", 1)[1] for j in claimant.table["Judgement"].to_pylist() if j}
    assert marks and marks <= set(jm.FIFTHS), "no interval published: a fifth of English districts, never better or worse"


def test_a_link_with_another_district_opens_its_profile():
    """The overview's district links open /profile?d=CODE inside the session: the URL's district wins
    over the focus kept from before; the page's own URL writes do not reset a choice."""
    from scripts.app_test_pages import goto

    at = run_page("overview")
    assert at.session_state["f_districts"] == list(AREA.district_codes)
    at.query_params["d"] = "E07000217"
    goto(at, "profile")
    at.run()
    assert_clean(at)
    assert at.title[0].value == "District profile: Woking"
    at.multiselect(key="f_districts").set_value(["E07000089"]).run()
    assert at.title[0].value == "District profile: Hart", "a widget change is not undone by the old URL"


def test_a_profile_row_link_opens_its_indicator_on_a_priority_page_seen_before():
    at = run_page("workforce", {"d": "E07000217"})
    first = at.session_state["ind_workforce"]
    assert first != "economic-inactivity"
    at.query_params["ind"] = "economic-inactivity"  # what the profile row's page link sets
    at.run()
    assert_clean(at)
    assert at.session_state["ind_workforce"] == "economic-inactivity"
    at.selectbox(key="ind_workforce").set_value(first).run()
    assert at.session_state["ind_workforce"] == first, "the page's own choice is kept"


def test_spine_specs_are_valid_vega_lite_with_shapes_for_judgements():
    import altair as alt

    from lis_data.domain import judgement as jm
    from lis_data.runtime.store import Store
    from lis_data.domain.profile import district_profile, group_profile
    from lis_data.views import spines

    store = Store.open()
    rows = district_profile(store, "E07000092")
    group = group_profile(store, AREA.district_codes)
    for part in ([r for r in rows if r.priority == "workforce"], [g for g in group if g.priority == "workforce"]):
        spec = spines.spine_chart(part, "2. Workforce")
        alt.LayerChart.from_dict(spec, validate=True)  # raises on an invalid spec
        marks = spec["layer"][-1]["encoding"]
        assert "worse" in marks["shape"]["scale"]["domain"], "Rushmoor / EM3: a worse marker on this spine"
        assert marks["shape"]["scale"]["range"] == [jm.STYLE[j]["shape"] for j in marks["shape"]["scale"]["domain"]]
        # Fitted to its box on the page; on a phone, long labels on two lines that say the same.
        assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x"
        wrapped = next(p["value"] for p in spec["params"] if p["name"] == "wrapped")
        labels = {d["label"] for d in spec["layer"][0]["data"]["values"]}
        assert wrapped and set(wrapped) <= labels
        assert all(len(lines) == 2 and " ".join(lines) == label for label, lines in wrapped.items())
    assert spines.spine_chart([r for r in rows if r.spine is None], "none") is None
    store.close()


def test_profile_with_no_district_or_a_few_districts():
    at = run_page("profile", {"d": "none"})
    assert_clean(at)
    assert any("No districts in focus" in i.value for i in at.info)
    at = run_page("profile", {"d": "E07000089,E07000092", "bm": "county"})
    assert_clean(at)
    assert at.title[0].value == "Profile of 2 districts"
    table = at.dataframe[0].value
    assert set(table["benchmark_area"]) == {"Hampshire"}, "both in Hampshire: one county benchmark"
