"""The comparison table for officers (Fingertips' "overview", the tartan rug): the indicators of a
priority (or all) x the districts in focus, with the EM3 median, the county, the region and England,
each district's cell marked by its judged-table row (symbol and colour: shape as well as colour). No
Streamlit: pages/comparison.py lays it out, and its CSV is this table's long form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from lis_data.domain import judgement as jm
from lis_data.constants import ATTRIBUTION
from lis_data.runtime import judged_table as jt
from lis_data.views import judged as jd
from lis_data.views.formatting import with_unit
from lis_data.views.source import ViewSource

FIRST = "Indicator"


@dataclass(frozen=True)
class Rug:
    table: pd.DataFrame  # one row per indicator: FIRST, one column per area, then "Period" and "Method"
    judgements: pd.DataFrame  # same shape: the judgement of each cell ("" where none)
    long: pd.DataFrame  # one row per indicator x area: the CSV
    areas: tuple[str, ...]  # the area columns, in order

    def csv(self) -> bytes:
        return f"# {ATTRIBUTION}\n".encode() + self.long.to_csv(index=False, lineterminator="\n").encode()


def _cell(value, unit: str, decimals: int, judgement: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    figure = with_unit(value, unit, decimals)
    return f"{jm.STYLE[judgement]['symbol']} {figure}" if judgement else figure


def rug(src: ViewSource, indicator_ids: Sequence[str], districts: Sequence[str], benchmark: str) -> Rug:
    """The table for these indicators and districts (EM3 districts) judged by the benchmark setting."""
    area, cat = src.area(), src.catalogue()
    districts = tuple(districts)
    england, region = area.comparators["england"], area.comparators["region"]
    counties = tuple(dict.fromkeys(area.district(d).county for d in districts))
    names = {d: area.district(d).name for d in districts}
    median_col = f"{area.short_name} median" if len(districts) == len(area.districts) else "Median of focus"
    cols = [*(names[d] for d in districts), median_col, *(area.name_of(c) for c in counties), region.name,
            england.name]
    table, marks, long = [], [], []
    for iid in indicator_ids:
        ind = cat.indicator(iid)
        subjects = tuple(districts) if ind.level == "district" else tuple(jt.shown_areas(area, ind.level))
        rows = jd.judged(src, iid, subjects, benchmark)
        if rows.empty:
            continue
        latest = rows[rows["latest"]].sort_values("period_start")
        period = latest["period"].iloc[-1]
        label = latest["period_label"].iloc[-1]
        now = rows[rows["period"] == period].set_index("areacd")
        line = {FIRST: ind.short_label, "Period": label, "Method": ind.method}
        mark = {FIRST: "", "Period": "", "Method": ""}

        def put(col: str, code: str, value, judgement: str, against: str = "") -> None:
            line[col] = _cell(value, ind.unit, ind.decimals, judgement)
            mark[col] = judgement
            long.append({"indicator": iid, "indicator_name": ind.label, "unit": ind.unit, "method": ind.method,
                         "period": period, "period_label": label, "column": col, "areacd": code,
                         "value": None if value is None or pd.isna(value) else float(value),
                         "judgement": judgement, "judged_against": against})

        for d in districts:
            if ind.level == "district" and d in now.index:
                r = now.loc[d]
                put(names[d], d, r["value"], r["judgement"], r["benchmark_name"])
            else:
                put(names[d], d, None, "")
        if ind.level == "district":
            summary = src.group_summary(iid, districts)
            med = summary.loc[summary["period"] == period, "median"]
            put(median_col, "", med.iloc[0] if len(med) else None, "")
        else:
            put(median_col, "", None, "")
        refs = src.snapshot(iid, (*counties, region.code, england.code), period)
        ref = dict(zip(refs["areacd"], refs["value"]))
        for code, col in ((*zip(counties, (area.name_of(c) for c in counties)),
                           (region.code, region.name), (england.code, england.name))):
            if code in now.index:  # a subject itself at this level (a county, the region): judged
                r = now.loc[code]
                put(col, code, r["value"], r["judgement"], r["benchmark_name"])
            elif ind.kind == "count" and code not in now.index:
                put(col, code, None, "")  # a larger area's total is never set beside a count
            else:
                put(col, code, ref.get(code), "")
        if all(line[c] == "–" for c in cols):
            continue  # published only for areas that are not columns here (ITL areas)
        table.append(line)
        marks.append(mark)
    header = [FIRST, *cols, "Period", "Method"]  # the areas next to the pinned column, as a phone shows them
    return Rug(pd.DataFrame(table, columns=header), pd.DataFrame(marks, columns=header), pd.DataFrame(long),
               tuple(cols))
