"""Headline tiles: what a tile on a priority page says, as a typed result. No Streamlit.

One area in focus: its own latest figure, the change since the previous period, its judgement
against the benchmark by the one rule (lis_data.judgement) and its rank. Several: their median and
range (from queries.group_summary, the one place the median is computed), never judged as if one
area, and how many are better, similar and worse.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import judgement as jm
from ..config import Indicator
from . import judged as jd
from .formatting import change, headline_number, ordinal, status_text, unit_note, with_unit
from .source import ViewSource


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
    rows = src.latest(ind.id, tuple(focus))
    if rows.empty:
        return HeadlineTile(empty=f"No figures for {', '.join(focus.values())}.")
    if len(rows) == 1:
        r = rows.iloc[0]
        moved = jm.direction(r["change"], ind.polarity)
        delta = None
        if pd.notna(r["change"]):
            delta = f"{change(r['change'], ind.unit, ind.decimals)} since {r['previous_label']}"
        lines = []
        if pd.notna(r["change"]):
            lines.append(f"Direction: **{moved}**")
        bcode = jd.benchmark_code(area, r["areacd"], benchmark)
        if bcode:
            bname = area.name_of(bcode)
            same = jd.judged(src, ind.id, (r["areacd"],), benchmark)
            same = same[same["period"] == r["period"]].iloc[0]
            if same["judgement"] == jm.NOT_COMPARED:
                other = src.latest(ind.id, (bcode,))
                lines.append(f"Not compared: no {bname} figure for {r['period_label']}"
                             + (f" ({bname}: {_latest_line(other.iloc[0], ind)})" if not other.empty else ""))
            else:
                diff = r["value"] - same["benchmark_value"]
                lines.append(f"vs {bname}: {change(diff, ind.unit, ind.decimals)}, "
                             f"{jd.words(same['judgement'], bname)}")
        if pd.notna(r.get("rank")):
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
    if not eng_same.empty and pd.notna(eng_same["value"].iloc[0]):
        diff = med - eng_same["value"].iloc[0]
        lines.append(f"Median vs England: {change(diff, ind.unit, ind.decimals)} (a difference of the median, "
                     "not a judgement)")
    else:
        lines.append("No England figure published for this period")
    ranks = same["rank"].dropna()
    if len(ranks):
        lines.append(f"Ranks {ordinal(ranks.min())} to {ordinal(ranks.max())} of {int(same['n_districts'].max())} "
                     "English districts")
    changes = same["change"].dropna()
    if len(changes) and ind.polarity != "neither":
        ways = [jm.direction(c, ind.polarity) for c in changes]
        lines.append(f"Since the previous period: {ways.count(jm.IMPROVING)} improving, "
                     f"{ways.count(jm.WORSENING)} worsening")
    missing = [n for c, n in focus.items() if c not in set(same["areacd"])]
    if missing:
        lines.append(f"No {latest_period['period_label']} figure for {', '.join(missing)}")
    return HeadlineTile(f"Median of {int(summary['n_with_value'])} {kind}, {latest_period['period_label']}",
                        headline_number(med, ind.unit, ind.decimals), unit_note(ind.unit), None, "off", "off",
                        tuple(lines))
