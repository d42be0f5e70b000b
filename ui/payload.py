"""Charts and tables in the lightest form Streamlit sends, built once (callers cache them).

Vega-Lite specs: small data inlined as JSON values.

Why: given a spec with top-level ``datasets`` (what Altair's ``to_dict`` writes) or top-level
``data``, Streamlit converts every dataset pandas -> Arrow on every call, i.e. on every rerun of
every session, even when the spec itself is cached (the chart data marshalling in
streamlit/elements/vega_charts.py); with Arrow's schema and pandas metadata a 14-row dataset is also
several kB. Data inside the layers is left in the spec as it is, so :func:`inline_data` moves each
dataset into the layer that uses it (a nested layer when the whole chart shares one), keeping only
the fields the spec reads. The chart draws the same; nothing is converted at run time.

Tables: :func:`arrow_table`.

Pure (no streamlit); views.py caches the results.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

#: Above this many rows a dataset is left to Streamlit's Arrow path (JSON grows with each row's keys).
MAX_INLINE_ROWS = 5000

_DATUM = re.compile(r"datum\.([A-Za-z_][A-Za-z0-9_]*)|datum\[['\"]([^'\"]+)['\"]\]")


def used_fields(spec: Any) -> set[str]:
    """Every field a spec reads: encodings' ``field``, sort/fold/aggregate/calculate names
    (``field``, ``as``, ``groupby``...), and ``datum.x`` in expressions."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("datasets", "values"):
                    continue
                if key == "field" and isinstance(value, str):
                    found.add(value.split(".")[0])
                elif key in ("groupby", "fields") and isinstance(value, list):
                    found.update(v for v in value if isinstance(v, str))
                elif isinstance(value, str):
                    found.update(a or b for a, b in _DATUM.findall(value))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            found.update(a or b for a, b in _DATUM.findall(node))

    walk(spec)
    return found


def _trim(rows: list, fields: set[str]) -> list:
    """Rows with only the fields the spec reads, less empty text: a tooltip leaves out a field a row
    does not have, where it would show an empty line. (Missing numbers stay null: a line breaks there.)"""
    if not rows or not isinstance(rows[0], dict):
        return rows
    return [{k: _short(v) for k, v in row.items() if k in fields and v != ""} for row in rows]


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T")


def factor_repeats(rows: list) -> tuple[list, list]:
    """Rows with their repeated text written once: text fields whose values repeat (an area's name
    and role on each of its periods, a period's label on each area) are replaced by a small number
    that a Vega-Lite lookup transform turns back into the text in the browser. Fields that always
    change together (a name and its role) share one number. Returns the rows and the lookup
    transforms to put first in the layer; the rows unchanged, and no transforms, when that saves
    nothing. Timestamps are left in the rows (Vega-Lite parses temporal fields before transforms)."""
    if len(rows) < 4 or not all(isinstance(r, dict) for r in rows):
        return rows, []
    fields = [f for f in dict.fromkeys(k for r in rows for k in r)
              if all(isinstance(r.get(f), str) and not _TIMESTAMP.match(r[f]) for r in rows)]
    groups: dict[tuple, list[str]] = {}
    for f in fields:
        seen: dict[str, int] = {}
        partition = tuple(seen.setdefault(r[f], len(seen)) for r in rows)
        if len(seen) * 2 <= len(rows):
            groups.setdefault(partition, []).append(f)
    if not groups:
        return rows, []
    out = [dict(r) for r in rows]
    lookups = []
    for n, (partition, names) in enumerate(groups.items()):
        key = f"_k{n}"
        table: dict[int, dict] = {}
        for i, (row, k) in enumerate(zip(out, partition)):
            table.setdefault(k, {key: k, **{f: rows[i][f] for f in names}})
            for f in names:
                del row[f]
            row[key] = k
        lookups.append({"lookup": key, "from": {"data": {"values": list(table.values())}, "key": key,
                                                "fields": names}})
    before = len(json.dumps(rows, separators=(",", ":"), ensure_ascii=False))
    after = len(json.dumps([out, lookups], separators=(",", ":"), ensure_ascii=False))
    return (out, lookups) if after < before else (rows, [])


def as_csv(rows: list) -> dict | None:
    """Inline rows as Vega-Lite data in CSV form, with a parser named for each number and boolean
    column: the field names once instead of on every row, and one JSON string for Streamlit to
    write instead of an object per row. Missing values are empty cells, which Vega's number and
    boolean parsers read as null (a gap stays a gap). None when a row holds anything but text,
    numbers, booleans and nulls, or a column mixes kinds (those rows stay JSON)."""
    if not rows or not all(isinstance(r, dict) for r in rows):
        return None
    columns = list(dict.fromkeys(k for r in rows for k in r))
    parse = {}
    for c in columns:
        kinds = {type(r.get(c)) for r in rows} - {type(None)}
        if kinds <= {int, float} and kinds:
            parse[c] = "number"
        elif kinds == {bool}:
            parse[c] = "boolean"
        elif kinds not in ({str}, set()):
            return None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return {"values": out.getvalue(), "format": {"type": "csv", "parse": parse}}


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else repr(value)


def _short(value: Any) -> Any:
    """A midnight timestamp as Altair writes it ("2004-01-01T00:00:00") without its seconds: the
    same local time to Vega's date parser, three characters shorter on every row. A float without
    the noise of binary arithmetic (a median of 6.8 computed as 6.800000000000001): twelve
    significant digits, far more than any published figure has."""
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return float(f"{value:.12g}")
    if isinstance(value, str) and len(value) == 19 and value.endswith("T00:00:00") and value[4] == "-":
        return value[:16]
    return value


def _data_name(layer: Any) -> str | None:
    data = layer.get("data") if isinstance(layer, dict) else None
    return data["name"] if isinstance(data, dict) and set(data) == {"name"} else None


def _group_by_data(layers: list) -> list:
    """Consecutive layers that read the same named dataset become one nested layer that carries
    it, so inlining writes the rows once, not once per layer. Drawing order is unchanged."""
    out: list = []
    i = 0
    while i < len(layers):
        name = _data_name(layers[i])
        j = i + 1
        while name is not None and j < len(layers) and _data_name(layers[j]) == name:
            j += 1
        if j - i > 1:
            out.append({"data": {"name": name},
                        "layer": [{k: v for k, v in layers[k].items() if k != "data"} for k in range(i, j)]})
        else:
            out.extend(layers[i:j])
        i = j
    return out


def inline_data(spec: dict) -> dict:
    """A copy of an Altair/Vega-Lite spec with its named datasets inlined as ``values`` where they
    are used, trimmed to the fields the spec reads. Specs with a dataset of more than
    MAX_INLINE_ROWS rows, or with data Vega-Lite cannot take inline, are returned unchanged."""
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        return spec
    if any(not isinstance(rows, list) or len(rows) > MAX_INLINE_ROWS for rows in datasets.values()):
        return spec
    out = copy.deepcopy(spec)
    rows_by_name = out.pop("datasets")
    # Nothing the browser needs: the schema's address, and Altair's default view size (Streamlit sizes the chart).
    out.pop("$schema", None)
    view = out.get("config", {}).get("view")
    if isinstance(view, dict) and set(view) <= {"continuousWidth", "continuousHeight"}:
        del out["config"]["view"]

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and set(data) == {"name"} and data["name"] in rows_by_name:
                # Only the fields this layer and the layers inside it read.
                rows = _trim(rows_by_name[data["name"]], used_fields({k: v for k, v in node.items() if k != "data"}))
                rows, lookups = factor_repeats(rows)
                node["data"] = as_csv(rows) or {"values": rows}
                if lookups:  # first, so the layer's own transforms and its layers see whole rows
                    node["transform"] = lookups + node.get("transform", [])
            for key, value in node.items():
                if key != "data":
                    resolve(value)
        elif isinstance(node, list):
            for item in node:
                resolve(item)
        return node

    top = out.get("data")
    if isinstance(top, dict) and set(top) == {"name"} and top["name"] in rows_by_name:
        # Top-level data would be taken out and converted to Arrow: carry it one level down.
        del out["data"]
        if "layer" in out:
            inner = {"data": top}
            if "transform" in out:
                inner["transform"] = out.pop("transform")
            out["layer"] = [{**inner, "layer": out["layer"]}]
        else:
            view_keys = [k for k in ("mark", "encoding", "transform", "params", "selection", "projection")
                         if k in out]
            out["layer"] = [{"data": top, **{k: out.pop(k) for k in view_keys}}]
    elif isinstance(out.get("layer"), list):
        out["layer"] = _group_by_data(out["layer"])
    return resolve(out)


def arrow_table(df: pd.DataFrame) -> pa.Table:
    """A table for st.dataframe in the form Streamlit sends as it is: an Arrow table whose text
    columns are dictionary-encoded (a name repeated on 300 rows is sent once) and without pandas'
    schema metadata. Half the bytes of the DataFrame's own conversion, and built once when the
    caller caches it instead of on every rerun."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    columns = [_dictionary(col) if pa.types.is_string(col.type) or pa.types.is_large_string(col.type) else col
               for col in table.columns]
    return pa.table(columns, names=table.column_names)


def _dictionary(col: pa.ChunkedArray) -> pa.ChunkedArray:
    index = pa.int16() if pa.compute.count_distinct(col).as_py() < 2 ** 15 else pa.int32()
    return col.cast(pa.dictionary(index, pa.string()))
