"""Charts and tables go to the browser in the lightest form Streamlit takes: Vega-Lite data inlined
as JSON values trimmed to the fields a chart reads (no Arrow conversion on each rerun), tables as
dictionary-encoded Arrow tables built once."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pyarrow as pa
from page_helpers import assert_clean, run_page
from streamlit import dataframe_util

from pages.components import payload


def _layered() -> dict:
    df = pd.DataFrame({"x": [1, 2, 3], "y": [4.0, None, 6.0], "label": ["a", "b", "c"], "unused": ["u"] * 3,
                       "flag": [True, False, True]})
    other = pd.DataFrame({"v": [2.5], "name": ["ref"], "spare": [0]})
    base = alt.Chart(df)
    chart = alt.layer(base.mark_line().encode(x="x:Q", y="y:Q"),
                      base.transform_filter("datum.flag").mark_point().encode(x="x:Q", y="y:Q", tooltip="label:N"),
                      alt.Chart(other).mark_rule().encode(x="v:Q", tooltip="name:N"))
    return chart.to_dict(validate=False)


def test_inline_data_leaves_no_dataset_for_streamlit_to_convert():
    spec = _layered()
    assert spec["datasets"], "Altair writes named datasets"
    light = payload.inline_data(spec)
    assert "datasets" not in light and "data" not in light
    text = json.dumps(light)
    assert '"name": "data-' not in text, "every named reference resolved"
    assert spec["datasets"], "the input is not modified"


def test_inline_data_keeps_only_the_fields_the_chart_reads():
    light = payload.inline_data(_layered())
    values = [node["data"]["values"] for node in _walk(light) if isinstance(node.get("data"), dict)]
    assert sorted(sorted(rows[0]) for rows in values) == [["flag", "label", "x", "y"], ["name", "v"]]
    main = next(rows for rows in values if "x" in rows[0])
    assert [r["y"] for r in main] == [4.0, None, 6.0], "gaps stay gaps"


def test_a_large_dataset_is_left_to_arrow():
    spec = {"data": {"name": "big"}, "mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"}},
            "datasets": {"big": [{"x": i} for i in range(payload.MAX_INLINE_ROWS + 1)]}}
    assert payload.inline_data(spec) is spec


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_arrow_table_is_smaller_and_reads_back_the_same():
    df = pd.DataFrame({"Area": [f"District {i % 16}" for i in range(300)], "Figure": [i / 3 for i in range(300)],
                       "Status": [""] * 300})
    table = payload.arrow_table(df)
    assert pa.types.is_dictionary(table.schema.field("Area").type)
    assert table.schema.metadata is None
    assert len(dataframe_util.convert_anything_to_arrow_bytes(table)) < \
        0.6 * len(dataframe_util.convert_anything_to_arrow_bytes(df))
    pd.testing.assert_frame_equal(table.to_pandas().astype({"Area": str, "Status": str}), df.astype(object)
                                  .astype({"Figure": float}), check_dtype=False)


def test_priority_page_charts_carry_no_arrow_data():
    at = run_page("innovation")
    assert_clean(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 3, "trend, ranking and map legend"
    for el in charts:
        assert not el.proto.data.data and not list(el.proto.datasets), "data inline, nothing to convert per run"
        spec = json.loads(el.proto.spec)
        assert any("values" in (node.get("data") or {}) for node in _walk(spec))


def test_tables_behind_the_charts_are_sent_when_opened():
    at = run_page("innovation")
    assert_clean(at)
    labels = [e.label for e in at.expander]
    assert "Table of the figures in these charts, with download" in labels
    assert "Table of the figures on this map" in labels
    assert not at.dataframe, "closed expanders send no table on the first load"
    assert at.get("download_button"), "the CSV download is there without opening anything"
    for k in ("table-innovation-gva-per-hour", "map-table-innovation-gva-per-hour"):  # views.py's keys
        at.session_state[k] = True
    at.run()
    assert_clean(at)
    tables = [d.value for d in at.dataframe]
    assert any("95% CI lower" in t.columns for t in tables) and any("Rank of English districts" in t.columns
                                                                   for t in tables)
