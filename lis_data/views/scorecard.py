"""The overview's scorecard: per priority, one typed row per headline indicator. No Streamlit.

The districts' median and range in the latest period (queries.group_summary, the one place the
median is computed), England in the same period, the direction of travel of the median, the
median's trend, and how many districts are better, similar and worse than the benchmark (the median
is never judged)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lis_data.domain import judgement as jm
from lis_data.views import judged as jd
from lis_data.views.formatting import change, headline_number, unit_note, with_unit
from lis_data.views.source import ViewSource
from lis_data.views.sparkline import Sparkline, sparkline

SCORECARD_HEADLINES = 3


@dataclass(frozen=True)
class ScorecardRow:
    indicator: str  # short label
    latest: str
    unit: str
    period: str
    verdict: str  # direction of the median: improving, worsening, ... or "neutral"
    arrow: str  # up, down or ""
    range: str
    england: str
    direction: str
    trend: tuple[float, ...]
    measure: str  # what the figure is: "median of 14 districts", "Woking", ...
    judged: str
    line: Sparkline | None = None  # the median's trend, drawn only with two periods or more


#: A district's direction of travel tested against the published intervals of both periods, worded.
_TESTED_WORDS = {
    jm.IMPROVING: "improving: beyond the published intervals",
    jm.WORSENING: "worsening: beyond the published intervals",
    jm.INCREASING: "increasing: beyond the published intervals",
    jm.DECREASING: "decreasing: beyond the published intervals",
    jm.NO_SIGNIFICANT_CHANGE: "within the published intervals: no significant change",
}


def _tested_direction(src: ViewSource, indicator_id: str, code: str, period: str, benchmark: str) -> str | None:
    """The judged table's direction of travel for one district's figure, when it was tested against
    the published intervals; None when it is a change without intervals (rose, fell)."""
    df = jd.judged(src, indicator_id, (code,), benchmark)
    found = df.loc[(df["areacd"] == code) & (df["period"] == period), "direction"]
    direction = found.iloc[0] if not found.empty else None
    return direction if direction in _TESTED_WORDS else None


def scorecard_rows(src: ViewSource, pid: str, districts: tuple[str, ...],
                   benchmark: str = "england") -> tuple[ScorecardRow, ...]:
    cat, area = src.catalogue(), src.area()
    england = area.comparators["england"].code
    rows = []
    for ind in cat.headlines_for(pid, at_most=SCORECARD_HEADLINES):
        if ind.level == "district":
            summary = src.group_summary(ind.id, districts)
            summary = summary[summary["n_with_value"] > 0]
            what = f"median of {len(districts)} districts" if len(districts) > 1 else area.district(districts[0]).name
        else:
            codes = tuple(a.code for a in area.larger_areas) if ind.level == "itl" else \
                tuple(c.code for c in area.counties) if ind.level == "county" else (area.comparators["region"].code,)
            summary = src.group_summary(ind.id, codes)
            summary = summary[summary["n_with_value"] > 0]
            what = {"itl": "median of the ITL areas covering EM3", "county": "median of the two counties",
                    "region": "South East (region only)"}[ind.level]
        if summary.empty:
            rows.append(ScorecardRow(ind.short_label, "no figures", "", "", "neutral", "", "", "", "", (), what, ""))
            continue
        last = summary.iloc[-1]
        eng = src.snapshot(ind.id, (england,), last["period"])
        eng_value = eng["value"].iloc[0] if not eng.empty else None
        direction, verdict, arrow = "", "neutral", ""
        if len(summary) > 1:
            prev = summary.iloc[-2]
            delta = last["median"] - prev["median"]
            verdict = jm.change_words(delta)  # a median has no interval: a change, not a tested trend
            arrow = "up" if delta > 0 else "down" if delta < 0 else ""
            moved = change(delta, ind.unit, ind.decimals)
            one_area = ind.level == "region" or (ind.level == "district" and len(districts) == 1)
            tested = _tested_direction(src, ind.id, districts[0], last["period"], benchmark) \
                if ind.level == "district" and len(districts) == 1 else None
            if tested:  # one district's change tested against its published intervals
                verdict = tested if tested in (jm.IMPROVING, jm.WORSENING) else verdict
            direction = (f"{moved} since {prev['period_label']}"
                         + (f" ({_TESTED_WORDS[tested]})" if tested
                            else " (a change, not a tested trend)" if one_area
                            else " (a change of the median, not a tested trend)")
                         if delta else f"unchanged since {prev['period_label']}")
        judged_text = ""
        if ind.level == "district":
            verdicts = jd.judgements_in(src, ind.id, districts, last["period"], benchmark)
            bname = jd.benchmark_name(area, districts, benchmark)
            # one district: the judgement says what it was judged against ("worse than England",
            # "best fifth of English districts"); a prefix "England:" would mislabel a fifth
            judged_text = (jd.words(verdicts[0], bname) if len(districts) == 1
                           else jd.counts_text(verdicts, bname))
        rows.append(ScorecardRow(
            ind.short_label, headline_number(last["median"], ind.unit, ind.decimals), unit_note(ind.unit) or "",
            last["period_label"], verdict, arrow,
            (f"{with_unit(last['low'], ind.unit, ind.decimals)} – {with_unit(last['high'], ind.unit, ind.decimals)}"
             if last["n_with_value"] > 1 else ""),
            "a count: not set beside England's total" if ind.kind == "count" else
            with_unit(eng_value, ind.unit, ind.decimals) if eng_value is not None and pd.notna(eng_value)
            else "not published",
            direction, tuple(float(v) for v in summary["median"].tail(12)), what, judged_text,
            sparkline(tuple(float(v) for v in summary["median"].tail(12)),
                      tuple(str(x) for x in summary["period_label"].tail(12)), ind.unit, ind.decimals,
                      what if ind.level == "region" or len(districts) == 1 and ind.level == "district" else
                      f"the {what}")))
    return tuple(rows)
