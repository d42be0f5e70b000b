"""Spine charts (Fingertips style) of profile rows, as Vega-Lite specs. No st.* calls.

One chart per priority, one line per indicator. Each line is the spread of all English districts
for that indicator and period, oriented so that the worst figure is on the left and the best on
the right (lowest to highest where neither direction is better): a pale bar from worst to best, a
darker bar from the 25th to the 75th percentile, the benchmark as a black tick at the centre, the
other districts as faint dots, and the district's own marker, whose shape and colour both say the
judgement. Each stretch (worst, quartile, benchmark, quartile, best) is scaled on its own
(spine_scale), so one extreme district does not pile the others up at one end.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from lis_data.domain import judgement as jm
from lis_data.domain.profile import GroupRow, ProfileRow, Spine
from lis_data.views.formatting import with_unit

ROW_HEIGHT = 30
SPREAD_FILL = "#E3E6EA"
MIDDLE_FILL = "#AEB6BF"
OTHERS_FILL = "#5F6B76"
BENCHMARK_LINE = "#1A1A1A"
MARKER_EDGE = 0.8  # the white edge around a district's marker
# Two short lines, so that the note fits under the spines on a phone as on a desktop; the tick
# labels under the two ends say which end is which.
X_TITLE = ["Among English districts, worst to best", "(lowest to highest where neither is better)"]

# The chart adapts itself to the width of the box it is drawn in, read in the browser (the server
# cannot know it): `cw`, the box's width in CSS pixels. An image rendered offline has no box, and
# gets the wide layout.
WIDE = 560  # a box narrower than this (a phone) gets the narrow layout
NO_BOX = 10_000
CONTAINER_WIDTH = {"name": "cw", "expr": f"isFinite(containerSize()[0]) && containerSize()[0] > 0 "
                                        f"? containerSize()[0] : {NO_BOX}"}
NARROW = f"cw < {WIDE}"
LABEL_LINE = 22  # characters of an indicator label on one line, in the narrow layout
TITLE_LINE = 28  # characters of the chart title on one line, in the narrow layout
LEGEND_ROW, LEGEND_ENTRY = 240, 80  # the box width the legend needs in one row: labels, and each entry


def _two_lines(text: str, width: int) -> list[str]:
    """Text longer than `width` characters as two lines of about equal length, broken at a space
    (the text as one line where it is short or has no space)."""
    if len(text) <= width or " " not in text:
        return [text]
    spaces = [i for i, c in enumerate(text) if c == " "]
    at = min(spaces, key=lambda i: max(i, len(text) - i - 1))
    return [text[:at], text[at + 1:]]


def _literal(value) -> str:
    """A string or list of strings as a Vega expression literal."""
    return json.dumps(value, ensure_ascii=False)


def _clip(x: float | None) -> float | None:
    return None if x is None else max(-0.04, min(1.04, x))


def spine_scale(s: Spine, centre: float | None):
    """Where a figure sits on a spine, as Fingertips draws its spines: the benchmark (England) at the
    centre, the worst and the best English district at the two ends, the middle half (25th to 75th
    percentile) marked around the centre. Each stretch between those marks is scaled on its own, so one
    extreme district (the City of London's GDP per head) stretches only the stretch out to its own end
    and cannot pile the other districts up at one end. Where the benchmark lies outside the middle half
    (a total, such as England's count), the median takes the centre and the benchmark is placed on the
    same scale. Returns a function: value -> 0 (worst) .. 1 (best), None for no value."""
    mid = centre if centre is not None and _between(centre, s.q25, s.q75) else s.median
    knots = [(s.worst, 0.0), (s.q25, 0.25), (mid, 0.5), (s.q75, 0.75), (s.best, 1.0)]

    def position(value) -> float | None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        v = float(value)
        for (a, pa), (b, pb) in zip(knots, knots[1:]):
            if _between(v, a, b):
                return (pa + pb) / 2 if a == b else pa + (pb - pa) * (v - a) / (b - a)
        # Beyond an end (a benchmark outside the districts' range): proportionally past it, clipped later.
        (a, pa), (b, pb) = (knots[0], knots[1]) if _beyond(v, s.worst, s.best) else (knots[-2], knots[-1])
        return pa if a == b else pa + (pb - pa) * (v - a) / (b - a)

    return position


def _between(v: float, a: float, b: float) -> bool:
    return min(a, b) <= v <= max(a, b)


def _beyond(v: float, worst: float, best: float) -> bool:
    """True when v lies past the worst end (on the worst side), False past the best end."""
    return (v < worst) if worst <= best else (v > worst)


def _label_lines(r: ProfileRow | GroupRow) -> list[str]:
    """A row's label on the spine, as one line, or two in the narrow layout: a long name broken
    at a space; for several districts, the name above their counts (better ▲, similar ●, worse ▼)."""
    if isinstance(r, ProfileRow):
        return _two_lines(r.short_label, LABEL_LINE)
    return [r.short_label, f"({r.count(jm.BETTER)}▲ {r.count(jm.SIMILAR)}● {r.count(jm.WORSE)}▼)"]


def _frames(rows: Sequence[ProfileRow | GroupRow]) -> dict[str, list[dict]]:
    """The chart's data; under "wrapped", the two lines of each label the narrow layout breaks."""
    spread, marks, others, bench, wrapped = [], [], [], [], {}
    for r in rows:
        if r.spine is None:
            continue
        s = r.spine
        pos = spine_scale(s, r.benchmark_value)
        fmt = lambda v: with_unit(v, r.unit, r.decimals)  # noqa: E731
        lines = _label_lines(r)
        label = " ".join(lines)
        if len(lines) > 1:
            wrapped[label] = lines
        spread.append({"label": label, "x0": 0.0, "x1": 1.0, "q0": pos(s.q25), "q1": pos(s.q75),
                       "range": f"{fmt(s.worst)} (worst) to {fmt(s.best)} (best)" if r.polarity != "neither"
                       else f"{fmt(s.worst)} (lowest) to {fmt(s.best)} (highest)",
                       "middle": f"{fmt(s.q25)} to {fmt(s.q75)}", "n": s.n, "period": r.period_label})
        if r.benchmark_value is not None:
            bench.append({"label": label, "x": _clip(pos(r.benchmark_value)),
                          "who": r.benchmark_area, "figure": fmt(r.benchmark_value)})
        own = [] if isinstance(r, GroupRow) else [r.area_code]
        group = r.marks if isinstance(r, GroupRow) else r.others
        for m in group:
            if m.value is None:
                continue
            (marks if isinstance(r, GroupRow) else others).append({
                "label": label, "x": _clip(pos(m.value)), "who": m.name, "figure": fmt(m.value),
                "judgement": m.judgement, "period": r.period_label})
        if own and r.value is not None:
            marks.append({"label": label, "x": _clip(pos(r.value)), "who": r.area_name,
                          "figure": fmt(r.value), "judgement": r.judgement, "period": r.period_label})
    return {"spread": spread, "marks": marks, "others": others, "bench": bench, "wrapped": wrapped}


def spine_chart(rows: Sequence[ProfileRow | GroupRow], title: str) -> dict | None:
    """The Vega-Lite spec of the spines of some rows (one priority), or None when no row has a spine.
    Written as a plain spec rather than through Altair: the page draws up to nine of these on a
    filter change, and Altair's build costs ~100 ms a chart where this costs ~1 ms.

    The chart is as wide as the box it is drawn in (its width "container", autosize fit-x) and as
    tall as its rows, title, axis and legend need. In a narrow box (a phone) the indicator labels
    and a long title take two lines and the legend is set in columns under the right end of the
    spines, so that the spines keep most of the width and nothing is cut off at either side."""
    f = _frames(rows)
    if not f["spread"]:
        return None
    wrapped = f["wrapped"]
    y_axis = {"labelLimit": {"expr": f"{NARROW} ? 150 : 300"}, "labelFontSize": {"expr": f"{NARROW} ? 11 : 12"},
              "labelLineHeight": 12, "labelOverlap": False, "ticks": False, "domain": False}
    if wrapped:  # the two lines of each long label, looked up in the signal `wrapped`
        y_axis["labelExpr"] = f"{NARROW} && isDefined(wrapped[datum.label]) ? wrapped[datum.label] : datum.label"
    y = {"field": "label", "type": "nominal", "sort": None, "title": None, "axis": y_axis}
    base_tip = [{"field": "label", "type": "nominal", "title": "Indicator"},
                {"field": "period", "type": "nominal", "title": "Period"},
                {"field": "range", "type": "nominal", "title": "English districts"},
                {"field": "middle", "type": "nominal", "title": "Middle half"},
                {"field": "n", "type": "quantitative", "title": "Districts"}]
    tip = [{"field": "who", "type": "nominal", "title": "Area"},
           {"field": "figure", "type": "nominal", "title": "Figure"},
           {"field": "judgement", "type": "nominal", "title": "Judgement"},
           {"field": "period", "type": "nominal", "title": "Period"}]
    x = {"field": "x0", "type": "quantitative", "title": X_TITLE,
         "scale": {"domain": [-0.05, 1.05], "nice": False},
         "axis": {"values": [0, 1], "labelExpr": "datum.value == 0 ? 'worst' : 'best'", "grid": False,
                  # narrow: under the right end of the spines, so that it runs into the space under
                  # the labels rather than off the right edge
                  "titleAnchor": {"expr": f"{NARROW} ? 'end' : 'middle'"}}}
    layers = [
        {"data": {"values": f["spread"]}, "mark": {"type": "bar", "color": SPREAD_FILL, "height": 14},
         "encoding": {"x": x, "x2": {"field": "x1"}, "y": y, "tooltip": base_tip}},
        {"data": {"values": f["spread"]}, "mark": {"type": "bar", "color": MIDDLE_FILL, "height": 14},
         "encoding": {"x": {"field": "q0", "type": "quantitative"}, "x2": {"field": "q1"}, "y": y,
                      "tooltip": base_tip}},
    ]
    if f["others"]:
        layers.append({"data": {"values": f["others"]},
                       "mark": {"type": "circle", "color": OTHERS_FILL, "opacity": 0.45, "size": 28},
                       "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": y, "tooltip": tip}})
    if f["bench"]:
        layers.append({"data": {"values": f["bench"]},
                       "mark": {"type": "tick", "color": BENCHMARK_LINE, "thickness": 2, "size": 22},
                       "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": y,
                                    "tooltip": [{"field": "who", "type": "nominal", "title": "Benchmark"},
                                                {"field": "figure", "type": "nominal", "title": "Figure"}]}})
    present = [j for j in jm.JUDGEMENTS if j in {m["judgement"] for m in f["marks"]}]
    if present:
        layers.append({"data": {"values": f["marks"]},
                       "mark": {"type": "point", "filled": True, "size": 150, "opacity": 0.95, "stroke": "#FFFFFF",
                                "strokeWidth": MARKER_EDGE},
                       "encoding": {
                           "x": {"field": "x", "type": "quantitative"}, "y": y, "tooltip": tip,
                           "color": {"field": "judgement", "type": "nominal", "title": "Judgement",
                                     "scale": {"domain": present,
                                               "range": [jm.STYLE[j]["colour"] for j in present]}},
                           "shape": {"field": "judgement", "type": "nominal", "title": "Judgement",
                                     "scale": {"domain": present,
                                               "range": [jm.STYLE[j]["shape"] for j in present]}}}})
    title_lines = _two_lines(title, TITLE_LINE)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": title if len(title_lines) == 1 else
        {"text": {"expr": f"{NARROW} ? {_literal(title_lines)} : {_literal(title)}"}},
        "params": [CONTAINER_WIDTH, *([{"name": "wrapped", "value": wrapped}] if wrapped else [])],
        "width": "container", "height": ROW_HEIGHT * len(f["spread"]),
        "autosize": {"type": "fit-x", "contains": "padding"},
        # A few pixels at the top and right, so that the title and the right-hand texts, placed flush
        # with the box by the fit, are not cut by a browser's slightly wider font; none on the left,
        # where the title lines up with the page's text (Streamlit sets the bottom).
        "padding": {"left": 0, "top": 4, "right": 4},
        "layer": layers,
        # The legend under the chart, its symbols drawn as the markers are (a thinner white edge than
        # the theme's, which made the triangles small). A bottom legend starts where the spines start:
        # in one row where the box has room for the labels and every entry, else in columns; in a
        # narrow box aligned with the right end of the spines, so that it cannot run off the edge.
        "config": {"legend": {"orient": "bottom", "direction": "horizontal", "titleOrient": "top", "symbolSize": 120,
                              "symbolStrokeWidth": MARKER_EDGE, "labelFontSize": 12, "labelPadding": 6,
                              "columnPadding": 12,
                              "columns": {"expr": f"cw < 400 ? 2 : cw < {LEGEND_ROW + LEGEND_ENTRY * len(present)} "
                                                  "? 3 : 0"},
                              "layout": {"expr": f"{{bottom: {{anchor: {NARROW} ? 'end' : 'start'}}}}"}}},
    }
