"""One indicator's view: the areas it is shown for, its trend chart and ranked chart (Vega-Lite
specs from the Altair builders in lis_data.views.charts), the table and CSV behind them. Typed
results; no Streamlit. The priority pages (ui/views.py) and the evidence pack call
these same functions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lis_data.domain import judgement as jm
from lis_data.config import Indicator
from lis_data.runtime.judged_table import shown_areas
from lis_data.runtime.queries import with_gaps
from lis_data.views import charts
from lis_data.views import judged as jd
from lis_data.views.csv_out import DEFAULT_SOURCE, frame_csv
from lis_data.views.formatting import status_text, with_unit
from lis_data.views.source import ViewSource


def subject_areas(src: ViewSource, ind: Indicator) -> dict[str, str]:
    """The areas an indicator is shown for, by the level it is published at: {code: name} (the judged
    table's rule, lis_data.runtime.judged_table.shown_areas; ITL areas named with their level)."""
    a = src.area()
    shown = shown_areas(a, ind.level)
    if ind.level == "itl":
        levels = {x.code: x.level for x in a.larger_areas}
        return {c: f"{n} ({levels[c]})" for c, n in shown.items()}
    return shown


def focus_areas(src: ViewSource, ind: Indicator, districts: tuple[str, ...]) -> dict[str, str]:
    """The areas drawn as lines: the focus districts, or the larger areas that hold them."""
    a = src.area()
    subjects = subject_areas(src, ind)
    if ind.level == "district":
        return {c: subjects[c] for c in districts}
    if ind.level == "county":
        counties = {a.district(d).county for d in districts} or set(subjects)
        return {c: n for c, n in subjects.items() if c in counties}
    return subjects


def role(src: ViewSource, code: str, focus: dict[str, str]) -> str:
    a = src.area()
    if code in focus:
        return "district"
    if code == a.comparators["england"].code:
        return "england"
    if code == a.comparators["region"].code:
        return "region"
    if code in {c.code for c in a.counties}:
        return "county"
    return "neighbour"


def takeaway_trend(src: ViewSource, ind: Indicator, df: pd.DataFrame, focus: dict[str, str]) -> str:
    valued = df[df["value"].notna() & df["areacd"].isin(focus)]
    if valued.empty:
        return ind.label
    last_period = valued.sort_values("period_start")["period"].iloc[-1]
    last = valued[valued["period"] == last_period]
    label = last["period_label"].iloc[0]
    if len(last) <= 2:
        text = ", ".join(f"{r['areanm']} {with_unit(r['value'], ind.unit, ind.decimals)}"
                         + (f" ({jd.words(r['judgement'], r['benchmark_area'])})"
                            if r.get("judgement") in jm.SIGNIFICANT + (jm.SIMILAR,) + jm.QUINTILE_JUDGEMENTS
                            else "")
                         for _, r in last.iterrows())
        text += f" ({label})"
    else:
        summary = src.group_summary(ind.id, tuple(last["areacd"]))  # the one place a median is worked out
        med = summary.loc[summary["period"] == last_period, "median"].iloc[0]
        text = f"Median of the {len(last)} focus areas: {with_unit(med, ind.unit, ind.decimals)} ({label})"
    eng = df[(df["period"] == last_period) & (df["areacd"] == src.area().comparators["england"].code)]
    if ind.kind != "count" and not eng.empty and pd.notna(eng["value"].iloc[0]):
        text += f"; England {with_unit(eng['value'].iloc[0], ind.unit, ind.decimals)}"
    return text


def with_judgements(src: ViewSource, indicator_id: str, raw: pd.DataFrame, benchmark: str, start, end) -> pd.DataFrame:
    """The figures with each one's row of the judged table: the area it is judged against (as the row
    names it), that area's same-period figure, and the judgement."""
    codes = tuple(raw["areacd"].unique())
    j = jd.judged(src, indicator_id, codes, benchmark, start, end)[
        ["areacd", "period", "benchmark_name", "benchmark_value", "judgement"]].rename(
        columns={"benchmark_name": "benchmark_area"})
    out = raw.merge(j, on=["areacd", "period"], how="left")
    out["benchmark_area"] = out["benchmark_area"].fillna("")
    out["judgement"] = out["judgement"].fillna("")
    return out


#: The columns of a priority page's CSV download (then source and licence: lis_data.views.csv_out).
PAGE_CSV_COLUMNS = ("areacd", "areanm", "dataset", "indicator", "measure", "period", "period_label", "observation",
                    "value", "lci", "uci", "status", "unit", "benchmark_area", "benchmark_value", "judgement")


def figures_csv(src: ViewSource, indicator_id: str, raw: pd.DataFrame) -> bytes:
    ind = src.catalogue().indicator(indicator_id)
    out = raw.assign(dataset=ind.dataset, indicator=ind.indicator, measure=ind.measure)
    org = str(src.meta(ind.id).get("source_org") or "") or None
    return frame_csv(out, PAGE_CSV_COLUMNS, org or DEFAULT_SOURCE).encode()


@dataclass(frozen=True)
class TrendFigure:
    """Everything the indicator section draws, computed once per indicator and filter set."""

    spec: dict | None  # the trend chart's Vega-Lite spec; None when a single period was published
    takeaway: str
    only_period: str | None  # the label of the one published period, when there is only one
    missing: tuple[str, ...]  # focus areas with no figure in the range
    table: pd.DataFrame  # exactly what the charts show
    csv: bytes


def trend_figure(src: ViewSource, indicator_id: str, focus_items: tuple[tuple[str, str], ...],
                 comp_items: tuple[tuple[str, str], ...], start: int | None, end: int | None, compact: bool,
                 benchmark: str = "england") -> TrendFigure | None:
    """The trend chart (as a Vega-Lite spec), its table and CSV."""
    ind = src.catalogue().indicator(indicator_id)
    focus, comps = dict(focus_items), dict(comp_items)
    if ind.kind == "count":
        # A count's chart never puts a larger area's total on its axis (it would flatten the areas'
        # own lines to zero): the comparators are left off, and their totals stay in the table.
        comps = {}
    many = ind.level == "district" and len(focus) > charts.MAX_LINES
    codes = tuple(comps) if many else tuple(focus) + tuple(comps)
    raw = src.series(ind.id, tuple(focus) + tuple(comps), start, end)
    if raw.empty or raw["value"].notna().sum() == 0:
        return None
    missing = tuple(n for c, n in focus.items() if raw[(raw["areacd"] == c)]["value"].notna().sum() == 0)
    band = None
    shown = raw[raw["areacd"].isin(codes)]
    if many:
        summary = src.group_summary(ind.id, tuple(focus), start, end)
        summary = summary[summary["n_with_value"] > 0].rename(columns={"median": "value"})
        med = summary.assign(areacd="_median", areanm=f"Median of {len(focus)} focus districts",
                             lci=float("nan"), uci=float("nan"), status="", observation="",
                             period_end=summary["period_start"], frequency=raw["frequency"].iloc[0], unit="")
        shown = pd.concat([shown, med[shown.columns]], ignore_index=True)
        band = summary.assign(band_label=f"Range of the {len(focus)} focus districts (lowest to highest)")
    raw = with_judgements(src, ind.id, raw, benchmark, start, end)
    table = raw.assign(
        Area=raw["areanm"], Period=raw["period_label"], Figure=raw["value"],
        **{"95% CI lower": raw["lci"], "95% CI upper": raw["uci"]},
        Status=[status_text(s) for s in raw["status"].fillna("")],
        Benchmark=raw["benchmark_area"], **{"Benchmark figure": raw["benchmark_value"]},
        Judgement=[f"{jm.STYLE[j]['symbol']} {j}" if j else "" for j in raw["judgement"]],
    )[["Area", "Period", "Figure", "95% CI lower", "95% CI upper", "Status", "Benchmark", "Benchmark figure",
       "Judgement"]]
    valued_periods = raw.loc[raw["value"].notna(), "period_label"]
    if valued_periods.nunique() == 1:
        # One published period: a "trend" would be a column of dots, so the ranking takes its place.
        return TrendFigure(None, "", valued_periods.iloc[0], missing, table, figures_csv(src, ind.id, raw))
    roles = {c: ("median" if c == "_median" else role(src, c, focus)) for c in shown["areacd"].unique()}
    prepared = charts.prepare_trend(with_gaps(shown), roles, ind.unit, ind.decimals)
    subtitle = ("Line: median of the focus districts; shaded: their range. " if many else "") + \
        ("Shaded bands: published 95% confidence intervals. " if shown["lci"].notna().any() else "") + \
        ("Open triangles: low-reliability estimates. " if shown["status"].eq("u").any() else "") + \
        ("A count: England's and the region's totals are not drawn on the same axis. " if ind.kind == "count"
         else "") + \
        "Breaks in a line are periods with no published figure."
    takeaway = takeaway_trend(src, ind, raw, focus)
    # The indicator's name leads the title, so that a chart pasted into a paper says what it shows.
    title = takeaway if takeaway.startswith(ind.label) else f"{ind.label}: {takeaway}"
    chart = charts.trend_chart(prepared, ind.unit, ind.decimals, title, subtitle, band=band,
                               height=240 if compact else 340)
    return TrendFigure(chart.to_dict(validate=False), takeaway, None, missing, table, figures_csv(src, ind.id, raw))


@dataclass(frozen=True)
class RankedFigure:
    spec: dict | None
    height: int
    alt: str
    gaps: str
    empty: str = ""  # why there is no chart, when spec is None


def ranked_figure(src: ViewSource, indicator_id: str, focus_codes: tuple[str, ...],
                  benchmark: str = "england") -> RankedFigure:
    """The ranked bar chart of the indicator's subject areas (as a Vega-Lite spec) with its wording."""
    ind = src.catalogue().indicator(indicator_id)
    a = src.area()
    subjects = subject_areas(src, ind)
    snap = src.snapshot(ind.id, tuple(subjects))
    if snap.empty or snap["value"].notna().sum() == 0:
        return RankedFigure(None, 0, "", "", f"No figures to rank for {', '.join(subjects.values())}.")
    snap = snap.assign(areanm=snap["areacd"].map(subjects).fillna(snap["areanm"]))
    period, label = snap["period"].iloc[0], snap["period_label"].dropna().iloc[0]
    ref_codes = (a.comparators["england"].code, a.comparators["region"].code)
    refs_df = src.snapshot(ind.id, ref_codes, period)
    refs = [] if ind.kind == "count" else [
        (n, v) for n, v in zip(refs_df["areanm"], refs_df["value"]) if pd.notna(v) and n not in subjects.values()]
    valued = snap[snap["value"].notna()].sort_values("value", ascending=ind.polarity == "lower")
    if ind.polarity == "neither":
        title = f"{ind.label}, {label}: highest {valued['areanm'].iloc[0]}, lowest {valued['areanm'].iloc[-1]}"
    else:
        title = f"{ind.label}, {label}: {valued['areanm'].iloc[0]} best, {valued['areanm'].iloc[-1]} furthest behind"
    sub = "Ranked best first" if ind.polarity != "neither" else "Ranked highest first"
    sub += "; blue bars are the districts in focus. " if ind.level == "district" else "; blue bars are in focus. "
    if refs:
        sub += "Lines: " + ", ".join(f"{n} {with_unit(v, ind.unit, ind.decimals)}" for n, v in refs)
    elif ind.kind == "count":
        sub += "A count: England's total is not drawn on the same axis."
    else:
        sub += "No England or South East figure published for this period."
    verdicts = [v for v in jd.judgements_in(src, ind.id, tuple(subjects), period, benchmark) if v]
    if verdicts:
        sub += ". " + jd.counts_text(verdicts, jd.benchmark_name(a, tuple(subjects), benchmark)) + "."
    chart = charts.ranked_bar_chart(snap, set(focus_codes), refs, ind.unit, ind.decimals, ind.polarity, title, sub)
    gaps = snap[snap["value"].isna()]
    return RankedFigure(
        chart.to_dict(validate=False), charts.ranked_height(int(snap["value"].notna().sum())) + 120,
        f"Bar chart ranking areas. {title}. {sub}",
        f"No {label} figure for {', '.join(gaps['areanm'])}." if len(gaps) else "")


@dataclass(frozen=True)
class MapClasses:
    """The district map's figures for one indicator: the latest period across the EM3 districts, each
    with its judgement worded (the colour classes come from lis_data.views.map_classes)."""

    period: str
    period_label: str
    figures: dict  # {code: value or None}, EM3 districts in config order
    snapshot: pd.DataFrame  # queries.snapshot with a judgement_text column
    england: float | None = None  # England's figure for the same period (the legend places it on the scale)


def map_classes(src: ViewSource, indicator_id: str, benchmark: str = "england") -> MapClasses | None:
    a = src.area()
    snap = src.snapshot(indicator_id, tuple(a.district_codes))
    if snap.empty or snap["value"].notna().sum() == 0:
        return None
    period = snap["period"].iloc[0]
    verdicts = jd.judgements_in(src, indicator_id, tuple(a.district_codes), period, benchmark)
    rows = jd.judged(src, indicator_id, tuple(a.district_codes), benchmark)
    names = dict(zip(rows.loc[rows["period"] == period, "areacd"], rows.loc[rows["period"] == period, "benchmark_name"]))
    snap = snap.assign(judgement_text=[
        jd.words(v, names.get(c, "")) if v and v not in (jm.NO_FIGURE, jm.NOT_JUDGED) else ""
        for c, v in zip(snap["areacd"], verdicts)])
    figures = {c: (None if pd.isna(v) else float(v)) for c, v in zip(snap["areacd"], snap["value"])}
    eng = src.snapshot(indicator_id, (a.comparators["england"].code,), period)
    england = float(eng["value"].iloc[0]) if not eng.empty and pd.notna(eng["value"].iloc[0]) else None
    return MapClasses(period, snap["period_label"].dropna().iloc[0], figures, snap, england)
