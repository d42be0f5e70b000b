"""Spine charts (Fingertips style) of profile rows, as Vega-Lite specs. No st.* calls.

One chart per priority, one line per indicator. Each line is the spread of all English districts
for that indicator and period, oriented so that the worst figure is on the left and the best on
the right (lowest to highest where neither direction is better): a pale bar from worst to best, a
darker bar from the 25th to the 75th percentile, the benchmark as a black tick, the other districts
as faint dots, and the district's own marker, whose shape and colour both say the judgement.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import judgement as jm
from ..profile import GroupRow, ProfileRow
from .formatting import with_unit

ROW_HEIGHT = 30
SPREAD_FILL = "#E3E6EA"
MIDDLE_FILL = "#AEB6BF"
OTHERS_FILL = "#5F6B76"
BENCHMARK_LINE = "#1A1A1A"
X_TITLE = "Among English districts: worst on the left, best on the right (lowest to highest where neither is better)"


def _clip(x: float | None) -> float | None:
    return None if x is None else max(-0.04, min(1.04, x))


def _frames(rows: Sequence[ProfileRow | GroupRow]) -> dict[str, list[dict]]:
    spread, marks, others, bench = [], [], [], []
    for r in rows:
        if r.spine is None:
            continue
        s = r.spine
        fmt = lambda v: with_unit(v, r.unit, r.decimals)  # noqa: E731
        label = r.short_label if isinstance(r, ProfileRow) else (
            f"{r.short_label} ({r.count(jm.BETTER)}▲ {r.count(jm.SIMILAR)}● {r.count(jm.WORSE)}▼)")
        spread.append({"label": label, "x0": 0.0, "x1": 1.0, "q0": s.position(s.q25), "q1": s.position(s.q75),
                       "range": f"{fmt(s.worst)} (worst) to {fmt(s.best)} (best)" if r.polarity != "neither"
                       else f"{fmt(s.worst)} (lowest) to {fmt(s.best)} (highest)",
                       "middle": f"{fmt(s.q25)} to {fmt(s.q75)}", "n": s.n, "period": r.period})
        if r.benchmark_value is not None:
            bench.append({"label": label, "x": _clip(s.position(r.benchmark_value)),
                          "who": r.benchmark_area, "figure": fmt(r.benchmark_value)})
        own = [] if isinstance(r, GroupRow) else [r.area_code]
        group = r.marks if isinstance(r, GroupRow) else r.others
        for m in group:
            if m.value is None:
                continue
            (marks if isinstance(r, GroupRow) else others).append({
                "label": label, "x": _clip(s.position(m.value)), "who": m.name, "figure": fmt(m.value),
                "judgement": m.judgement, "period": r.period})
        if own and r.value is not None:
            marks.append({"label": label, "x": _clip(s.position(r.value)), "who": r.area_name,
                          "figure": fmt(r.value), "judgement": r.judgement, "period": r.period})
    return {"spread": spread, "marks": marks, "others": others, "bench": bench}


def spine_chart(rows: Sequence[ProfileRow | GroupRow], title: str) -> dict | None:
    """The Vega-Lite spec of the spines of some rows (one priority), or None when no row has a spine.
    Written as a plain spec rather than through Altair: the page draws up to nine of these on a
    filter change, and Altair's build costs ~100 ms a chart where this costs ~1 ms."""
    f = _frames(rows)
    if not f["spread"]:
        return None
    y = {"field": "label", "type": "nominal", "sort": None, "title": None,
         "axis": {"labelLimit": 300, "labelFontSize": 12, "labelOverlap": False, "ticks": False, "domain": False}}
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
         "axis": {"values": [0, 1], "labelExpr": "datum.value == 0 ? 'worst' : 'best'", "grid": False}}
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
    if f["marks"]:
        present = [j for j in jm.JUDGEMENTS if j in {m["judgement"] for m in f["marks"]}]
        layers.append({"data": {"values": f["marks"]},
                       "mark": {"type": "point", "filled": True, "size": 150, "opacity": 0.95, "stroke": "#FFFFFF",
                                "strokeWidth": 0.8},
                       "encoding": {
                           "x": {"field": "x", "type": "quantitative"}, "y": y, "tooltip": tip,
                           "color": {"field": "judgement", "type": "nominal", "title": "Judgement",
                                     "scale": {"domain": present,
                                               "range": [jm.STYLE[j]["colour"] for j in present]}},
                           "shape": {"field": "judgement", "type": "nominal", "title": "Judgement",
                                     "scale": {"domain": present,
                                               "range": [jm.STYLE[j]["shape"] for j in present]}}}})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": title, "width": "container", "height": ROW_HEIGHT * len(f["spread"]), "layer": layers,
        "config": {"legend": {"orient": "bottom", "direction": "horizontal", "symbolSize": 120,
                              "labelFontSize": 12}},
    }


def chart_height(n_rows: int) -> int:
    """The height a spine chart of n rows needs, with its title, axis and legend."""
    return ROW_HEIGHT * n_rows + 175
