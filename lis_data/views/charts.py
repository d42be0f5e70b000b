"""Altair chart builders. Pure functions of DataFrames: no Streamlit, no queries. The pages and the
evidence pack draw with these same builders (ui/charts.py re-exports them).

Colours: hues of the Okabe–Ito colour-blind-safe palette, darkened where needed
so every line and bar keeps at least 3:1 contrast against white (WCAG 2.2
non-text contrast). Colour is never the only cue: comparators are dashed, low
reliability points have their own shape, and every chart has a table beside it.
"""

from __future__ import annotations

import json
import textwrap

import altair as alt
import pandas as pd

from lis_data.views.formatting import status_text, with_unit

# Altair validates every schema object against the Vega-Lite JSON schema as it is created ("debug
# mode"): a third of a chart's build time, on every filter change. The charts are validated by the
# tests instead (to_dict() validates the finished spec), so the app builds them without it.
alt.utils.schemapi.disable_debug_mode()

SERIES_COLOURS = ["#0072B2", "#D55E00", "#007A5A", "#AA3377", "#8A6A00", "#5B3A29"]
#: More focus districts than this are drawn as their median and range, not one line each.
MAX_LINES = 5
#: Beyond this many series, only the focus districts and the named comparators (England, the region,
#: a county) keep a colour and a legend entry; the others (statistical neighbours) are drawn in one
#: grey, named on hover and in the table (the Government Analysis Function's guidance on colours).
MAX_NAMED_SERIES = 5
ENGLAND_COLOUR = "#1A1A1A"
REGION_COLOUR = "#595959"
CONTEXT_GREY = "#949494"  # 3:1 on white; the lines are dotted as well as grey
# Distinct from the series colours, from England's near-black and from the region's grey.
OTHER_COMPARATOR_COLOURS = ["#7A5195", "#5E7A00", "#8B4513"]
_CONTEXT_ROLES = ("neighbour", "comparator")
FOCUS_BAR = "#0072B2"
OTHER_BAR = "#A6A6A6"  # 2.4:1 on white is below 3:1, so bars also carry value labels
BAR_OUTLINE = "#4D4D4D"
FONT = "Source Sans Pro, Arial, DejaVu Sans, sans-serif"  # DejaVu Sans: the arrows ⬆ ⬇ that Arial lacks, in print
#: The page fits a chart to its column's width; its height is the plot's, with title and legend around it.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
_AXIS_CONFIG = alt.AxisConfig(labelFontSize=13, titleFontSize=13, labelColor="#1A1A1A", titleColor="#1A1A1A")


def _axis_format(unit: str, decimals: int) -> str:
    if unit == "%":
        return f",.{min(decimals, 1)}f"
    return f",.{min(decimals, 2)}f" if decimals else ",.0f"


def _title(title: str, subtitle: str) -> alt.TitleParams:
    """A chart title stating the takeaway, with the subtitle wrapped onto short lines (Vega does not wrap)."""
    lines = textwrap.wrap(subtitle, 50) if subtitle else alt.Undefined
    return alt.TitleParams(textwrap.wrap(title, 40) or title, subtitle=lines, anchor="start", fontSize=16,
                           subtitleFontSize=13, subtitleColor="#404040", color="#1A1A1A")


def _axis_title(unit: str) -> str:
    return {"%": "Per cent"}.get(unit, unit)


def prepare_trend(df: pd.DataFrame, roles: dict[str, str], unit: str, decimals: int) -> pd.DataFrame:
    """Add the columns the trend chart reads: display name, role, formatted value and notes."""
    out = df.copy()
    out["role"] = out["areacd"].map(roles).fillna("comparator")
    out["label"] = out["areanm"].fillna(out["areacd"])
    out["shown"] = [with_unit(v, unit, decimals) for v in out["value"]]
    out["ci"] = [
        f"{with_unit(lo, unit, decimals)} to {with_unit(hi, unit, decimals)}" if pd.notna(lo) and pd.notna(hi) else ""
        for lo, hi in zip(out.get("lci", pd.Series(dtype=float)), out.get("uci", pd.Series(dtype=float)))
    ]
    out["note"] = [status_text(s) for s in out["status"].fillna("")]
    out["low_reliability"] = out["status"].fillna("").eq("u") & out["value"].notna()
    out["period_start"] = pd.to_datetime(out["period_start"])
    return out


def context_series(labels_by_role: list[tuple[str, str]]) -> list[str]:
    """The series drawn in one grey without a legend entry: the statistical neighbours and other
    comparators, once there are more than MAX_NAMED_SERIES series in all."""
    if len(labels_by_role) <= MAX_NAMED_SERIES:
        return []
    return [name for name, role in labels_by_role if role in _CONTEXT_ROLES]


def colour_scale(labels_by_role: list[tuple[str, str]]) -> alt.Scale:
    """Colours in the order areas are listed: focus districts first, then comparators. Every named
    series has a colour of its own; the context series (context_series) share one grey."""
    domain, rng = [], []
    grey = set(context_series(labels_by_role))
    districts = [name for name, role in labels_by_role if role in ("district", "median")]
    others = [(name, role) for name, role in labels_by_role if role not in ("district", "median")]
    for i, name in enumerate(districts):
        domain.append(name)
        rng.append(SERIES_COLOURS[i % len(SERIES_COLOURS)])
    pool = SERIES_COLOURS[len(districts):] + OTHER_COMPARATOR_COLOURS
    extra = iter(pool * 4)
    for name, role in others:
        domain.append(name)
        rng.append(ENGLAND_COLOUR if role == "england" else REGION_COLOUR if role == "region"
                   else CONTEXT_GREY if name in grey else next(extra))
    return alt.Scale(domain=domain, range=rng)


def _date_key(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def period_axis(data: pd.DataFrame) -> alt.Axis:
    """One tick per published period, labelled as the period is published ("2022/23", "Q1 2024",
    "1 Apr 2025"), never a year repeated: the ticks are the periods' start dates and their labels are
    looked up from the start date in the browser."""
    valued = data[data["value"].notna()] if "value" in data else data
    periods = valued.drop_duplicates("period_start").sort_values("period_start")
    labels = {_date_key(t): str(lab) for t, lab in zip(periods["period_start"], periods["period_label"])}
    values = [alt.DateTime(year=t.year, month=t.month, date=t.day) for t in pd.to_datetime(list(periods["period_start"]))]
    lookup = json.dumps(labels, ensure_ascii=False)
    return alt.Axis(values=values, labelExpr=f"({lookup})[timeFormat(datum.value, '%Y-%m-%d')] || ''",
                    labelAngle=0, labelOverlap="greedy", labelFlush=True, labelBound=True, grid=False)


def trend_chart(data: pd.DataFrame, unit: str, decimals: int, title: str, subtitle: str = "",
                band: pd.DataFrame | None = None, height: int = 320) -> alt.LayerChart:
    """Lines over time, one per area. Published 95% confidence intervals as bands, low-reliability
    points as open triangles, gaps as breaks in the line. `band` (optional) is a shaded range
    (columns period_start, low, high, band_label) drawn behind, e.g. the range of EM3 districts."""
    order = data.drop_duplicates("label")[["label", "role"]]
    order = order.assign(rank=order["role"].map({"median": 0, "district": 0, "england": 1, "region": 2}).fillna(3))
    order = order.sort_values("rank", kind="stable")
    series = list(zip(order["label"], order["role"]))
    scale = colour_scale(series)
    grey = context_series(series)
    if grey:
        note = (f"Grey dotted lines: {len(grey)} other areas (statistical neighbours), named on hover and in the "
                "table.")
        subtitle = f"{subtitle} {note}".strip()
    colour = alt.Color("label:N", scale=scale, title=None,
                       legend=alt.Legend(orient="bottom", labelLimit=260,
                                         values=[n for n, _ in series if n not in grey] if grey else alt.Undefined,
                                         # one column where two would run past a phone's edge
                                         columns=alt.ExprRef("width < 420 ? 1 : 2"), symbolType="stroke",
                                         symbolStrokeWidth=3, symbolSize=300, symbolOpacity=1))
    dash = alt.StrokeDash(
        "role:N", title=None, legend=None,
        scale=alt.Scale(domain=["district", "median", "england", "region", "county", "comparator", "neighbour"],
                        range=[[1, 0], [1, 0], [6, 3], [3, 3], [8, 2, 2, 2], [8, 2, 2, 2], [2, 2]]))
    x = alt.X("period_start:T", title=None, axis=period_axis(data))
    y = alt.Y("value:Q", title=_axis_title(unit), scale=alt.Scale(zero=False),
              axis=alt.Axis(format=_axis_format(unit, decimals)))
    tooltip = [alt.Tooltip("label:N", title="Area"), alt.Tooltip("period_label:N", title="Period"),
               alt.Tooltip("shown:N", title="Figure"), alt.Tooltip("ci:N", title="95% confidence interval"),
               alt.Tooltip("note:N", title="Status")]
    # The layers that read `data` carry none of their own: the layer chart does. Given the same frame
    # on each, Altair would hoist it and hash each layer's str(DataFrame) (a third of a cold build).
    base = alt.Chart()
    layers = []
    if band is not None and not band.empty:
        b = band.copy()
        b["period_start"] = pd.to_datetime(b["period_start"])
        label = b["band_label"].iloc[0] if b["band_label"].nunique() == 1 else None
        median = data["role"].eq("median")
        if label is not None and set(b["period_start"]) <= set(data.loc[median, "period_start"]):
            # The range goes on the median's own rows (the same periods): one dataset, not two.
            ranges = b.set_index("period_start")[["low", "high"]]
            data = data.copy()
            data["low"] = data["period_start"].map(ranges["low"]).where(median)
            data["high"] = data["period_start"].map(ranges["high"]).where(median)
            band_chart = base.transform_filter("datum.role == 'median'")
        else:
            band_chart = alt.Chart(b)
        if label is not None:  # one label: written once in the spec, not on every row
            band_chart = band_chart.transform_calculate(band_label=json.dumps(str(label)))
        layers.append(band_chart.mark_area(opacity=0.18, color=SERIES_COLOURS[0], invalid="break-paths-show-domains")
                      .encode(x=x, y="low:Q", y2="high:Q",
                              tooltip=[alt.Tooltip("band_label:N", title="Shaded"),
                                       alt.Tooltip("period_label:N", title="Period")]))
    if data["lci"].notna().any():
        # Intervals only around the named series: a grey context line's band would bury them.
        ci_filter = "isValid(datum.lci) && isValid(datum.uci)" + (
            "".join(f" && datum.role != '{r}'" for r in _CONTEXT_ROLES) if grey else "")
        layers.append(base.transform_filter(ci_filter)
                      .mark_area(opacity=0.15, invalid="break-paths-show-domains")
                      .encode(x=x, y="lci:Q", y2="uci:Q", detail="label:N", color=colour))
    layers.append(base.mark_line(strokeWidth=2.5, invalid="break-paths-show-domains")
                  .encode(x=x, y=y, color=colour, strokeDash=dash, detail="label:N"))
    layers.append(base.transform_filter("isValid(datum.value)").mark_point(filled=True, size=36)
                  .encode(x=x, y=y, color=colour, tooltip=tooltip))
    if data["low_reliability"].any():
        layers.append(base.transform_filter("datum.low_reliability").mark_point(
            shape="triangle-up", size=140, filled=False, strokeWidth=2, color="#1A1A1A")
            .encode(x=x, y=y, tooltip=tooltip))
    # Properties and config given at once: each chained .properties()/.configure_*() deep-copies the chart.
    # fit-x: the page fits the width only, so `height` stays the plot's own height and the title and the
    # legend are added around it (fit in both directions squeezed a nine-line chart's plot to a strip).
    return alt.layer(*layers, data=data, height=height, title=_title(title, subtitle), autosize=FIT_WIDTH, config=alt.Config(
        font=FONT, axis=_AXIS_CONFIG, legend=alt.LegendConfig(labelFontSize=13, symbolStrokeWidth=3, labelColor="#1A1A1A")))


def ranked_height(n_bars: int) -> int:
    return max(160, 28 * n_bars + 30)


def ranked_bar_chart(snap: pd.DataFrame, focus: set[str], references: list[tuple[str, float]],
                     unit: str, decimals: int, polarity: str, title: str, subtitle: str = "",
                     height: int | None = None) -> alt.LayerChart:
    """Districts ranked best first (by polarity), focus districts coloured, reference lines for
    comparators such as England and the South East."""
    df = snap[snap["value"].notna()].copy()
    ascending = polarity == "lower"
    df = df.sort_values("value", ascending=ascending)
    df["focus"] = df["areacd"].isin(focus).map({True: "In focus", False: "Other EM3 district"})
    df["shown"] = [with_unit(v, unit, decimals) for v in df["value"]]
    df["note"] = [status_text(s) for s in df["status"].fillna("")]
    df["bar_label"] = [f"{s} ({n})" if n else s for s, n in zip(df["shown"], df["note"])]
    df["rank_text"] = [f"{int(r)} of {int(n)}" if pd.notna(r) else "–" for r, n in zip(df["rank"], df["n_districts"])]
    order = list(df["areanm"])
    y = alt.Y("areanm:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelFontSize=13))
    # fewer ticks in a narrow plot (on a phone the labels column leaves the bars a few dozen px)
    x = alt.X("value:Q", title=_axis_title(unit), axis=alt.Axis(format=_axis_format(unit, decimals),
                                                               tickCount=alt.ExprRef("max(2, floor(width / 90))"),
                                                               labelOverlap="greedy"))
    tooltip = [alt.Tooltip("areanm:N", title="District"), alt.Tooltip("shown:N", title="Figure"),
               alt.Tooltip("rank_text:N", title="Rank among English districts"), alt.Tooltip("note:N", title="Status")]
    bars = alt.Chart().mark_bar(stroke=BAR_OUTLINE, strokeWidth=0.5).encode(
        y=y, x=x, tooltip=tooltip,
        color=alt.Color("focus:N", title=None, legend=None,
                        scale=alt.Scale(domain=["In focus", "Other EM3 district"], range=[FOCUS_BAR, OTHER_BAR])))
    refs = pd.DataFrame([(name, value, with_unit(value, unit, decimals)) for name, value in references if pd.notna(value)],
                        columns=["name", "value", "shown"])
    # The value labels stand in one column right of the longest bar and of every reference line, so
    # that no line strikes through a label.
    label_x = max([float(v) for v in df["value"]] + [float(v) for v in refs["value"]] + [0.0])
    labels = alt.Chart().mark_text(align="left", dx=6, fontSize=12, color="#1A1A1A").encode(
        y=y, x=alt.datum(label_x), text="bar_label:N")
    layers = [bars, labels]
    if not refs.empty:
        refs["caption"] = refs["name"] + " " + refs["shown"]
        rule_dash = alt.StrokeDash("name:N", title=None,
                                   legend=alt.Legend(orient="top", direction="horizontal", symbolStrokeWidth=2,
                                                     symbolType="stroke", labelFontSize=13,
                                                     # one column where a row would run past a phone's edge
                                                     columns=alt.ExprRef("width < 420 ? 1 : 0")),
                                   scale=alt.Scale(range=[[6, 3], [3, 3], [8, 2, 2, 2]]))
        layers.append(alt.Chart(refs).mark_rule(strokeWidth=2, color=ENGLAND_COLOUR).encode(
            x="value:Q", strokeDash=rule_dash,
            tooltip=[alt.Tooltip("name:N", title="Comparator"), alt.Tooltip("shown:N", title="Figure")]))
    h = height or ranked_height(len(df))
    # bars and labels read df from the layer chart (see trend_chart); config given at once (see there)
    return alt.layer(*layers, data=df, height=h, title=_title(title, subtitle), autosize=FIT_WIDTH, config=alt.Config(
        font=FONT, axis=_AXIS_CONFIG, legend=alt.LegendConfig(labelFontSize=13, labelColor="#1A1A1A")))
