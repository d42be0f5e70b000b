"""Spine charts (Fingertips style) of profile rows, as Altair layers. No st.* calls.

One chart per priority, one line per indicator. Each line is the spread of all English districts
for that indicator and period, oriented so that the worst figure is on the left and the best on
the right (lowest to highest where neither direction is better): a pale bar from worst to best, a
darker bar from the 25th to the 75th percentile, the benchmark as a black tick, the other districts
as faint dots, and the district's own marker, whose shape and colour both say the judgement.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from lis_data import judgement as jm
from lis_data.profile import GroupRow, ProfileRow

from .formatting import with_unit

ROW_HEIGHT = 30
SPREAD_FILL = "#E3E6EA"
MIDDLE_FILL = "#AEB6BF"
OTHERS_FILL = "#5F6B76"
BENCHMARK_LINE = "#1A1A1A"
X_TITLE = "Among English districts: worst on the left, best on the right (lowest to highest where neither is better)"


def _clip(x: float | None) -> float | None:
    return None if x is None else max(-0.04, min(1.04, x))


def _y(label: str) -> alt.Y:
    return alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=260, labelFontSize=12))


def _frames(rows: Sequence[ProfileRow | GroupRow]) -> dict[str, pd.DataFrame]:
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
    return {k: pd.DataFrame(v) for k, v in
            {"spread": spread, "marks": marks, "others": others, "bench": bench}.items()}


def spine_chart(rows: Sequence[ProfileRow | GroupRow], title: str) -> alt.LayerChart | None:
    """The spines of some rows (one priority), or None when no row has a spine."""
    f = _frames(rows)
    if f["spread"].empty:
        return None
    x = alt.X("x0:Q", scale=alt.Scale(domain=[-0.05, 1.05], nice=False),
              axis=alt.Axis(values=[0, 1], labelExpr="datum.value == 0 ? 'worst' : 'best'", grid=False),
              title=X_TITLE)
    base_tip = [alt.Tooltip("label:N", title="Indicator"), alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("range:N", title="English districts"), alt.Tooltip("middle:N", title="Middle half"),
                alt.Tooltip("n:Q", title="Districts")]
    spread = alt.Chart(f["spread"]).mark_bar(color=SPREAD_FILL, height=14).encode(
        x=x, x2="x1:Q", y=_y("label"), tooltip=base_tip)
    middle = alt.Chart(f["spread"]).mark_bar(color=MIDDLE_FILL, height=14).encode(
        x="q0:Q", x2="q1:Q", y=_y("label"), tooltip=base_tip)
    layers = [spread, middle]
    tip = [alt.Tooltip("who:N", title="Area"), alt.Tooltip("figure:N", title="Figure"),
           alt.Tooltip("judgement:N", title="Judgement"), alt.Tooltip("period:N", title="Period")]
    if not f["others"].empty:
        layers.append(alt.Chart(f["others"]).mark_circle(color=OTHERS_FILL, opacity=0.45, size=28).encode(
            x="x:Q", y=_y("label"), tooltip=tip))
    if not f["bench"].empty:
        layers.append(alt.Chart(f["bench"]).mark_tick(color=BENCHMARK_LINE, thickness=2, size=22).encode(
            x="x:Q", y=_y("label"), tooltip=[alt.Tooltip("who:N", title="Benchmark"),
                                             alt.Tooltip("figure:N", title="Figure")]))
    if not f["marks"].empty:
        present = [j for j in jm.JUDGEMENTS if j in set(f["marks"]["judgement"])]
        colour = alt.Color("judgement:N", title="Judgement",
                           scale=alt.Scale(domain=present, range=[jm.STYLE[j]["colour"] for j in present]))
        shape = alt.Shape("judgement:N", title="Judgement",
                          scale=alt.Scale(domain=present, range=[jm.STYLE[j]["shape"] for j in present]))
        layers.append(alt.Chart(f["marks"]).mark_point(filled=True, size=150, opacity=0.95, stroke="#FFFFFF",
                                                       strokeWidth=0.8).encode(
            x="x:Q", y=_y("label"), color=colour, shape=shape, tooltip=tip))
    n = len(f["spread"])
    return alt.layer(*layers).properties(title=title, height=ROW_HEIGHT * n, width="container").configure_legend(
        orient="bottom", direction="horizontal", symbolSize=120, labelFontSize=12)


def chart_height(n_rows: int) -> int:
    """The height a spine chart of n rows needs, with its title, axis and legend."""
    return ROW_HEIGHT * n_rows + 130
