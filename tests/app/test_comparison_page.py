"""The comparison table (/compare, the "tartan rug"): every district in focus x the indicators of a
priority, each district cell the judged table's row, marked by a symbol and a colour; downloadable."""

from __future__ import annotations

import io

import pandas as pd
from page_helpers import AREA, CATALOGUE, assert_clean, run_page

from lis_data.runtime import judged_table as jt
from lis_data.domain import judgement as jm


def test_housing_rug_marks_each_district_by_its_judged_row():
    at = run_page("compare", {"bm": "region"})
    assert_clean(at)
    at.selectbox(key="compare_priority").set_value("housing").run()
    assert_clean(at)
    df = at.dataframe[0].value
    names = [d.name for d in AREA.districts]
    assert df.columns[0] == "Indicator" and list(df.columns[-2:]) == ["Period", "Method"]
    assert list(df.columns[1:1 + len(names)]) == names
    assert list(df.columns[-4:-2]) == ["South East", "England"]
    from ui import data

    store = data.store()
    housing = [i for i in CATALOGUE.indicators_for("housing") if i.level == "district"]
    assert len(df) == len(housing)
    for ind, (_, line) in zip(housing, df.iterrows()):
        rows = {r.areacd: r for r in jt.read(store, indicators=[ind.id], areas=list(AREA.district_codes),
                                             benchmark="region")}
        period = max((r for r in rows.values() if r.latest), key=lambda r: r.period_start).period
        for d in AREA.districts:
            r = next((x for x in jt.read(store, indicators=[ind.id], areas=[d.code], benchmark="region",
                                         period=period)), None)
            cell = line[d.name]
            if r is None:
                assert cell == "–"
            else:
                assert cell.startswith(jm.STYLE[r.judgement]["symbol"] + " "), (ind.id, d.name, cell)
    csv = at.get("download_button")[0]
    assert csv is not None


def test_csv_is_the_long_form():
    from pages import comparison

    r = comparison.table("housing", tuple(AREA.district_codes), "england")
    text = r.csv().decode()
    assert text.startswith("# ")
    long = pd.read_csv(io.StringIO(text), comment="#")
    assert {"indicator", "period", "period_label", "column", "value", "judgement", "judged_against"} <= set(long.columns)
    aff = long[(long["indicator"] == "affordability-ratio") & long["areacd"].isin(AREA.district_codes)]
    assert len(aff) == len(AREA.districts) and set(aff["judged_against"]) == {"England"}
