"""Charts and tables go to the browser in the lightest form Streamlit takes: Vega-Lite data inlined
as JSON values trimmed to the fields a chart reads (no Arrow conversion on each rerun), tables as
dictionary-encoded Arrow tables built once."""

from __future__ import annotations

import csv
import io
import json

import altair as alt
import pandas as pd
import pyarrow as pa
from page_helpers import assert_clean, run_page
from streamlit import dataframe_util

from ui import payload, views


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
    values = [_rows(node["data"]) for node in _walk(light) if isinstance(node.get("data"), dict)]
    assert sorted(sorted(rows[0]) for rows in values) == [["flag", "label", "x", "y"], ["name", "v"]]
    main = next(rows for rows in values if "x" in rows[0])
    assert [r["y"] for r in main] == [4.0, None, 6.0], "gaps stay gaps"
    assert [r["flag"] for r in main] == [True, False, True]


def test_a_large_dataset_is_left_to_arrow():
    spec = {"data": {"name": "big"}, "mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"}},
            "datasets": {"big": [{"x": i} for i in range(payload.MAX_INLINE_ROWS + 1)]}}
    assert payload.inline_data(spec) is spec


def _rows(data: dict) -> list[dict]:
    """The rows of an inline data node as the browser reads them: JSON values, or CSV read with
    the node's parsers as Vega's are (an empty cell of a number or boolean column is null)."""
    if not isinstance(data["values"], str):
        return data["values"]
    assert data["format"]["type"] == "csv"
    parse = data["format"]["parse"]
    conv = {"number": lambda v: None if v == "" else float(v),
            "boolean": lambda v: None if v == "" else v == "true"}
    return [{k: conv[parse[k]](v) if k in parse else v for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(data["values"]))]


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
    assert len(charts) >= 2, "trend and ranking"
    for el in charts:
        assert not el.proto.data.data and not list(el.proto.datasets), "data inline, nothing to convert per run"
        spec = json.loads(el.proto.spec)
        assert any("values" in (node.get("data") or {}) for node in _walk(spec))


def test_tables_behind_the_charts_are_sent_when_opened():
    at = run_page("innovation")
    assert_clean(at)
    labels = [e.label for e in at.expander]
    assert views.CHARTS_TABLE_LABEL in labels and views.MAP_TABLE_LABEL in labels
    assert not at.dataframe, "closed expanders send no table on the first load"
    # nor their downloads: only the workbook and Word summary, built when pressed (ui/officer_downloads.py)
    assert [b.proto.label for b in at.get("download_button")] == ["Download workbook (Excel)", "Download summary (Word)"]
    for k in ("table-innovation-gva-per-hour", "map-table-innovation-gva-per-hour"):  # views.py's keys
        at.session_state[k] = True
    at.run()
    assert_clean(at)
    tables = [d.value for d in at.dataframe]
    assert any("95% CI lower" in t.columns for t in tables) and any("Rank of English districts" in t.columns
                                                                   for t in tables)


def test_repeated_text_is_written_once_and_looked_up_in_the_browser():
    rows = [{"when": f"{2000 + i // 3}-01-01T00:00", "period": f"Year {2000 + i // 3}", "value": float(i),
             "label": ["Woking", "England", "South East"][i % 3], "role": ["district", "england", "region"][i % 3],
             "shown": f"{i}%"} for i in range(12)]
    slim, lookups = payload.factor_repeats(rows)
    assert len(json.dumps([slim, lookups])) < len(json.dumps(rows))
    assert all("label" not in r and "role" not in r and "period" not in r for r in slim)
    assert all(r["when"] == o["when"] and r["value"] == o["value"] and r["shown"] == o["shown"]
               for r, o in zip(slim, rows)), "timestamps, numbers and unique text stay in the rows"
    # label and role always change together: one lookup carries both.
    fields = sorted(sorted(t["from"]["fields"]) for t in lookups)
    assert fields == [["label", "role"], ["period"]]
    # What the browser's lookup transforms rebuild is every row as it was.
    rebuilt = [dict(r) for r in slim]
    for t in lookups:
        key = t["lookup"]
        table = {entry[key]: entry for entry in t["from"]["data"]["values"]}
        for r in rebuilt:
            r.update({f: table[r[key]][f] for f in t["from"]["fields"]})
    assert [{k: v for k, v in r.items() if not k.startswith("_k")} for r in rebuilt] == rows
    # Rows with nothing repeated, or too few to gain, are left alone.
    unique = [{"name": f"n{i}", "v": i} for i in range(8)]
    assert payload.factor_repeats(unique) == (unique, [])
    assert payload.factor_repeats(rows[:3]) == (rows[:3], [])


def test_a_lookup_goes_first_in_the_layer_that_carries_the_rows():
    df = pd.DataFrame({"t": pd.to_datetime([f"{2000 + i // 2}-01-01" for i in range(10)]), "v": range(10),
                       "area": ["A long area name", "Another long area name"] * 5})
    base = alt.Chart(df)
    spec = payload.inline_data(alt.layer(base.mark_line().encode(x="t:T", y="v:Q", color="area:N"),
                                         base.transform_filter("datum.v > 2").mark_point().encode(
                                             x="t:T", y="v:Q", tooltip="area:N")).to_dict(validate=False))
    carriers = [n for n in _walk(spec) if isinstance(n.get("data"), dict) and "values" in n["data"]
                and "key" not in n]  # not the lookup's own small table
    assert len(carriers) == 1
    node = carriers[0]
    assert node["transform"][0]["lookup"].startswith("_k") and node["transform"][0]["from"]["fields"] == ["area"]
    rows = _rows(node["data"])
    assert all("area" not in r for r in rows)
    assert rows[0]["t"] == "2000-01-01T00:00", "midnight written without its seconds"
    assert "$schema" not in spec


def test_float_noise_and_empty_text_are_not_sent():
    assert payload._short(6.800000000000001) == 6.8 and payload._short(1 / 3) == float(f"{1 / 3:.12g}")
    assert payload._short(None) is None and payload._short("2004-01-01T00:00:00") == "2004-01-01T00:00"
    assert payload._trim([{"a": "", "b": None, "c": "x"}], {"a", "b", "c"}) == [{"b": None, "c": "x"}]


def test_rows_go_as_csv_with_a_parser_for_each_number_and_boolean_column():
    rows = [{"when": "2004-01-01T00:00", "value": 6.8, "n": 3, "shown": "£1,234", "ok": True, "note": 'say "hi"'},
            {"when": "2005-01-01T00:00", "value": None, "n": 4, "shown": "no figure", "ok": False}]
    data = payload.as_csv(rows)
    assert data["format"] == {"type": "csv", "parse": {"value": "number", "n": "number", "ok": "boolean"}}
    assert data["values"].splitlines()[0] == "when,value,n,shown,ok,note", "the field names once"
    back = _rows(data)
    assert back[0] == {"when": "2004-01-01T00:00", "value": 6.8, "n": 3.0, "shown": "£1,234", "ok": True,
                       "note": 'say "hi"'}
    assert back[1]["value"] is None and back[1]["ok"] is False, "a gap stays a gap"
    assert back[1]["note"] == "", "missing text is an empty cell"
    # Anything CSV cannot carry as it is stays JSON.
    assert payload.as_csv([{"a": 1}, {"a": "x"}]) is None
    assert payload.as_csv([{"a": [1, 2]}]) is None
    assert payload.as_csv([]) is None
