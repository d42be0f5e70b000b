"""Headline tiles: what a tile on a priority page says, as a typed result. No Streamlit.

One area in focus: its own latest figure, the change since the previous period, and its row of the
judged table (lis_data.runtime.judged_table): the judgement by the indicator's method, the area it is judged
against, the direction of travel; a count's share of the benchmark area's total instead. Several: their median and
range (from queries.group_summary, the one place the median is computed), never judged as if one
area, and how many are better, similar and worse.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lis_data.domain import judgement as jm
from lis_data.config import Indicator
from lis_data.views import judged as jd
from lis_data.views.formatting import change, headline_number, ordinal, percent, status_text, unit_note, with_unit

TESTED_DIRECTIONS = (jm.IMPROVING, jm.WORSENING, jm.INCREASING, jm.DECREASING, jm.NO_SIGNIFICANT_CHANGE)
from lis_data.views.source import ViewSource


@dataclass(frozen=True)
class HeadlineTile:
    label: str = ""
    value: str = ""
    unit: str | None = None
    delta: str | None = None
    delta_color: str = "off"  # st.metric's: normal (up is good), inverse (down is good), off
    delta_arrow: str = "off"  # up, down, off
    lines: tuple[str, ...] = ()
    empty: str | None = None  # why there is nothing to show, when there is nothing


def _latest_line(row: pd.Series, ind: Indicator) -> str:
    return f"{with_unit(row['value'], ind.unit, ind.decimals)} in {row['period_label']}"


def headline_tile(src: ViewSource, indicator_id: str, focus_items: tuple[tuple[str, str], ...],
                  benchmark: str = "england") -> HeadlineTile:
    ind = src.catalogue().indicator(indicator_id)
    area = src.area()
    focus = dict(focus_items)
    if not focus:
        return HeadlineTile(empty="No district in focus.")
    rows = jd.latest(src, ind.id, tuple(focus), benchmark)
    if rows.empty:
        return HeadlineTile(empty=f"No figures for {', '.join(focus.values())}.")
    if len(rows) == 1:
        r = rows.iloc[0]
        own = jd.judged(src, ind.id, (r["areacd"],), benchmark)
        own = own[own["period"] == r["period"]]
        j = own.iloc[0] if not own.empty else None  # the judged table's row (None: not a judged area)
        moved = j["direction"] if j is not None else jm.NO_PREVIOUS
        delta = None
        if pd.notna(r["change"]):
            delta = f"{change(r['change'], ind.unit, ind.decimals)} since {r['previous_label']}"
        lines = []
        if pd.notna(r["change"]) and j is not None:
            lines.append(f"Direction: **{moved}**" + ("" if moved in TESTED_DIRECTIONS else
                                                       " (a change, not a tested trend)"))
        if j is not None:
            bname = j["benchmark_name"]
            if ind.kind == "count":
                if pd.notna(j["share"]):
                    lines.append(f"{percent(j['share'])} of {bname}'s total (a count: not judged)")
                else:
                    lines.append("A count: not judged against a larger area's total")
            elif j["method"] == "quintiles":
                bv = j["benchmark_value"]
                lines.append(jd.words(j["judgement"], bname) + (
                    f" ({ordinal(j['rank'])} of {int(j['of'])})" if pd.notna(j["rank"]) else "")
                    + (f"; {bname} {with_unit(bv, ind.unit, ind.decimals)}" if pd.notna(bv) else ""))
            elif j["judgement"] == jm.NOT_COMPARED:
                other = src.latest(ind.id, (j["benchmark_code"],))
                lines.append(f"Not compared: no {bname} figure for {r['period_label']}"
                             + (f" ({bname}: {_latest_line(other.iloc[0], ind)})" if not other.empty else ""))
            elif pd.notna(j["benchmark_value"]):
                diff = r["value"] - j["benchmark_value"]
                lines.append(f"vs {bname}: {change(diff, ind.unit, ind.decimals)}, {jd.words(j['judgement'], bname)}")
            else:
                lines.append(jd.words(j["judgement"], bname))
        if pd.notna(r.get("rank")) and ind.kind != "count" and (j is None or j["method"] != "quintiles"):
            lines.append(f"Rank {ordinal(r['rank'])} of {int(r['n_districts'])} English districts (1st = best)"
                         if ind.polarity != "neither" else
                         f"{ordinal(r['rank'])} highest of {int(r['n_districts'])} English districts")
        if status_text(r["status"]):
            lines.append(f"⚠ {status_text(r['status'])}")
        colour = "off" if moved not in (jm.IMPROVING, jm.WORSENING) else ("inverse" if ind.polarity == "lower" else "normal")
        # The change is written with a true minus sign, which st.metric cannot read: give the arrow.
        arrow = "off" if pd.isna(r["change"]) or r["change"] == 0 else ("up" if r["change"] > 0 else "down")
        return HeadlineTile(f"{r['areanm']}, {r['period_label']}", headline_number(r["value"], ind.unit, ind.decimals),
                            unit_note(ind.unit), delta, colour, arrow, tuple(lines))
    latest_period = rows.sort_values("period_start").iloc[-1]
    same = rows[rows["period"] == latest_period["period"]]
    summary = src.group_summary(ind.id, tuple(focus))
    summary = summary[summary["period"] == latest_period["period"]]
    if summary.empty:  # figures read under another code than the focus's own (never a district)
        return HeadlineTile(empty=f"No figures for {', '.join(focus.values())}.")
    summary = summary.iloc[0]
    med = float(summary["median"])
    kind = "districts" if ind.level == "district" else "areas"
    lines = [f"Range {with_unit(summary['low'], ind.unit, ind.decimals)} to "
             f"{with_unit(summary['high'], ind.unit, ind.decimals)}"]
    verdicts = jd.judgements_in(src, ind.id, tuple(focus), latest_period["period"], benchmark)
    if any(verdicts):
        lines.append(jd.counts_text(verdicts, jd.benchmark_name(area, tuple(same["areacd"]), benchmark)))
    england = area.comparators["england"].code
    eng_same = src.snapshot(ind.id, (england,), latest_period["period"])
    if ind.kind == "count":
        lines.append("A count: never compared with England's total")
    elif not eng_same.empty and pd.notna(eng_same["value"].iloc[0]):
        diff = med - eng_same["value"].iloc[0]
        lines.append(f"Median vs England: {change(diff, ind.unit, ind.decimals)} (a difference of the median, "
                     "not a judgement)")
    else:
        lines.append("No England figure published for this period")
    ranks = same["rank"].dropna()
    if len(ranks) and ind.kind != "count":
        lines.append(f"Ranks {ordinal(ranks.min())} to {ordinal(ranks.max())} of {int(same['n_districts'].max())} "
                     "English districts")
    rows_now = jd.judged(src, ind.id, tuple(focus), benchmark)
    ways = list(rows_now.loc[rows_now["period"] == latest_period["period"], "direction"])
    if ways and ind.polarity != "neither" and any(w in TESTED_DIRECTIONS for w in ways):
        lines.append(f"Since the previous period: {ways.count(jm.IMPROVING)} improving, "
                     f"{ways.count(jm.WORSENING)} worsening (beyond the published intervals)")
    elif ways:
        lines.append(f"Since the previous period: {ways.count(jm.ROSE)} rose, {ways.count(jm.FELL)} fell "
                     "(changes, not tested trends)")
    missing = [n for c, n in focus.items() if c not in set(same["areacd"])]
    if missing:
        lines.append(f"No {latest_period['period_label']} figure for {', '.join(missing)}")
    return HeadlineTile(f"Median of {int(summary['n_with_value'])} {kind}, {latest_period['period_label']}",
                        headline_number(med, ind.unit, ind.decimals), unit_note(ind.unit), None, "off", "off",
                        tuple(lines))
