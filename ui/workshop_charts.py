"""Altair builders for a workshop's poll results and the room-against-evidence matrix. Pure
functions of typed results (lis_data.feedback.polls, lis_data.views.workshop_results): no streamlit.

Never colour alone: bars carry their count as a label, before and after are told apart by
position, label and pattern of the legend text, the matrix's points carry the priority's number
and the quadrants are written out. Each builder returns the chart and the table behind it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from lis_data.feedback import polls
from lis_data.views.workshop_results import MIDPOINT, MatrixPoint

from lis_data.views.charts import FONT
from lis_data.views.formatting import answer_share

BAR = "#0072B2"
BEFORE, AFTER = "#8A6A00", "#0072B2"


def distribution_table(t: polls.Tally, titles: dict[str, str]) -> pd.DataFrame:
    scale = polls.SCALES.get(t.poll.kind)
    rows = [{"Answer": scale[int(k) - 1] if scale else titles.get(k, k), "Answers": n,
             "Share": answer_share(n, t.count)} for k, n in t.distribution]
    return pd.DataFrame(rows, columns=["Answer", "Answers", "Share"])


def distribution_chart(t: polls.Tally, titles: dict[str, str]) -> dict:
    table = distribution_table(t, titles)
    order = list(table["Answer"])
    base = alt.Chart(table).encode(
        y=alt.Y("Answer:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=15)),
        x=alt.X("Answers:Q", title="Answers", axis=alt.Axis(tickMinStep=1, format="d")))
    bars = base.mark_bar(color=BAR, stroke="#1A1A1A", strokeWidth=0.5)
    labels = base.mark_text(align="left", dx=4, fontSize=16, color="#1A1A1A").encode(text="Answers:Q")
    chart = (bars + labels).properties(height=max(160, 38 * len(table)), width="container").configure(font=FONT)
    return chart.to_dict()


def shift_table(s: polls.Shift) -> pd.DataFrame:
    scale = polls.SCALES[s.kind]
    before, after = dict(s.before.distribution), dict(s.after.distribution)
    rows = [{"Answer": scale[int(k) - 1], f"Before (round {s.before.poll.round})": before.get(k, 0),
             f"After (round {s.after.poll.round})": after.get(k, 0)} for k in before]
    return pd.DataFrame(rows)


def shift_chart(s: polls.Shift) -> dict:
    table = shift_table(s)
    order = list(table["Answer"])
    long = table.melt("Answer", var_name="Round", value_name="Answers")
    rounds = list(table.columns[1:])
    base = alt.Chart(long).encode(
        y=alt.Y("Answer:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=14)),
        yOffset=alt.YOffset("Round:N", sort=rounds),
        x=alt.X("Answers:Q", axis=alt.Axis(tickMinStep=1, format="d")))
    bars = base.mark_bar(stroke="#1A1A1A", strokeWidth=0.5).encode(
        color=alt.Color("Round:N", sort=rounds, scale=alt.Scale(domain=rounds, range=[BEFORE, AFTER]),
                        legend=alt.Legend(orient="top", title=None, labelFontSize=14)))
    labels = base.mark_text(align="left", dx=4, fontSize=13, color="#1A1A1A").encode(
        text=alt.Text("label:N")).transform_calculate(
        label="split(datum.Round, ' ')[0] + ': ' + datum.Answers")
    chart = (bars + labels).properties(height=70 * len(order), width="container").configure(font=FONT)
    return chart.to_dict()


def matrix_table(points: list[MatrixPoint]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Priority": m.title,
        "Evidence (better minus worse share)": "–" if m.evidence is None else f"{m.evidence:+.2f}",
        "Room's mean rating (1–5)": polls.fmt_mean(m.room_mean),
        "Answers": m.room_count,
        "Reading": m.quadrant,
    } for m in points])


def matrix_chart(points: list[MatrixPoint], height: int = 420, font_size: int = 13,
                 room_title: str = "The room: mean rating (1 much worse … 5 much better)") -> dict:
    data = pd.DataFrame([{"number": m.title.split(".")[0], "title": m.title, "evidence": m.evidence,
                          "room": m.room_mean, "answers": m.room_count, "reading": m.quadrant}
                         for m in points if m.evidence is not None and m.room_mean is not None])
    axis = alt.Axis(labelFontSize=font_size, titleFontSize=font_size)
    x = alt.X("evidence:Q", scale=alt.Scale(domain=[-1, 1]), axis=axis,
              title="Evidence: share of judgements better than England minus share worse")
    y = alt.Y("room:Q", scale=alt.Scale(domain=[1, 5], zero=False), axis=axis, title=room_title)
    layers = [
        alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#595959", strokeDash=[4, 4]).encode(x="x:Q"),
        alt.Chart(pd.DataFrame({"y": [MIDPOINT]})).mark_rule(color="#595959", strokeDash=[4, 4]).encode(y="y:Q"),
        *(alt.Chart(pd.DataFrame(rows)).mark_text(fontSize=font_size, color="#404040", fontStyle="italic", align=align)
          .encode(x="x:Q", y="y:Q", text="t:N")
          for align, rows in (
              ("left", [{"x": -0.97, "y": 4.9, "t": "Room more positive than the evidence"},
                        {"x": -0.97, "y": 1.1, "t": "Both negative"}]),
              ("right", [{"x": 0.97, "y": 4.9, "t": "Both positive"},
                         {"x": 0.97, "y": 1.1, "t": "Room more negative than the evidence"}]))),
    ]
    if not data.empty:
        pts = alt.Chart(data).encode(x=x, y=y, tooltip=["title", "evidence", "room", "answers", "reading"])
        layers += [pts.mark_circle(size=260, color=BAR, opacity=0.9, stroke="#1A1A1A"),
                   pts.mark_text(color="#FFFFFF", fontSize=font_size, fontWeight="bold").encode(text="number:N")]
    else:
        layers.append(alt.Chart(pd.DataFrame({"evidence": [0.0], "room": [3.0]})).mark_point(opacity=0).encode(x=x, y=y))
    chart = alt.layer(*layers).properties(height=height, width="container").configure(font=FONT)
    return chart.to_dict()
