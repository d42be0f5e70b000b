"""The one CSV writer: the priority pages' download, `export`, `profile` and the API write one form: a
header row and no comment line, period_label beside the ISO 8601 period, source and licence columns,
figures exactly as published, text a spreadsheet would run as a formula quoted."""

from __future__ import annotations

import csv
import io
import re

from lis_data.config import load_area, load_catalogue
from lis_data.views import indicator as iv
from lis_data.views.csv_out import csv_text
from lis_data.views.source import StoreSource

WOKING = "E07000217"


def test_page_download_is_the_same_form_as_the_api(store):
    src = StoreSource(store, load_area(), load_catalogue())
    fig = iv.trend_figure(src, "employment-rate", ((WOKING, "Woking"),), (("E92000001", "England"),), None, None, False)
    text = fig.csv.decode("utf-8")
    assert not text.startswith("#") and not any(line.startswith("#") for line in text.splitlines())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[-2:] == ["source", "licence"]
    assert {r["source"] for r in rows} == {src.meta("employment-rate")["source_org"]}
    published = [r for r in rows if r["value"]]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}/P\w+", r["period"]) and r["period_label"] for r in published)
    # Exactly as published: the store's figures, not rounded.
    exact = {(a, p): v for a, p, v in store.rows(
        "SELECT areacd, period, value FROM observations WHERE indicator_id = 'employment-rate' AND areacd = ?", [WOKING])}
    mine = [r for r in published if r["areacd"] == WOKING]
    assert mine and all(float(r["value"]) == exact[(WOKING, r["period"])] for r in mine)


def test_writer_quotes_formulas_keeps_numbers_and_gaps():
    text = csv_text([{"name": "=HYPERLINK(\"x\")", "v": -1.5, "w": None, "t": "-x", "n": float("nan")}],
                    ["name", "v", "w", "t", "n"], "Somebody")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row == ["'=HYPERLINK(\"x\")", "-1.5", "", "'-x", "", "Somebody", "Open Government Licence v3.0"]
