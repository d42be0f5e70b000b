"""Hostile values in the rows of a synthetic upstream release (tests/synthetic_source.py): periods
that overflowed the date arithmetic, numbers written with other digits, inverted intervals. The
build refuses each with the file, the line and the reason, and leaves the previous extract as it was."""

from __future__ import annotations

import pytest

from lis_data.config import load_catalogue
from lis_data.errors import SourceError
from lis_data.ingest.extract import build_extract
from synthetic_source import edit_row, write_full_source

CASES = [
    # (cells to set on one row, what the reason must say)
    ({"period": "9999-01-01/P1Y"}, "outside 1900 to 2100"),  # was ValueError: year 10000 is out of range
    ({"period": "9999"}, "outside 1900 to 2100"),  # was pandas' OutOfBoundsDatetime
    ({"period": "2020-01-01/P99999999999Y"}, "longer than 100 years"),  # was OverflowError
    ({"period": "2020-01-01/P99999999999D"}, "longer than 100 years"),
    ({"period": "٢٠٢٢-01-01/P1Y"}, "other than ASCII"),  # was accepted as 2022
    ({"observation": "٣"}, "observation '٣' is not a number written with the digits 0-9"),  # was 3.0
    ({"observation": "1_0"}, "observation '1_0' is not a number written with the digits 0-9"),  # was 10.0
    ({"observation": "1e999"}, "observation '1e999' is not a finite number"),
    ({"observation": "٣", "status": "x"}, "not a number written with the digits 0-9"),  # not a marker either
    ({"lci_95": "١", "uci_95": "20"}, "lci_95 '١' is not a number written with the digits 0-9"),
    ({"lci_95": "1", "uci_95": "2_0"}, "uci_95 '2_0' is not a number written with the digits 0-9"),
    ({"observation": "11", "lci_95": "12.5", "uci_95": "9.5"},
     "confidence interval is inverted: lci_95 12.5 is above uci_95 9.5"),
]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.mark.parametrize("cells, reason", CASES, ids=[f"{'-'.join(c)}={'/'.join(c.values())}" for c, _ in CASES])
def test_hostile_value_is_refused_with_file_line_and_reason(cells, reason, tmp_path, area, catalogue):
    out = tmp_path / "extract"
    build_extract(write_full_source(tmp_path / "good", catalogue, area), out, area, catalogue, build_date="2026-01-01")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    src = write_full_source(tmp_path / "bad", catalogue, area)
    _, path, line, _ = edit_row(src, catalogue, **cells)
    with pytest.raises(SourceError) as exc:
        build_extract(src, out, area, catalogue, build_date="2026-02-01")
    err = exc.value
    assert (err.path, err.line) == (str(path), line)
    assert reason in err.reason, err.reason
    assert str(exc.value).startswith(f"{path}, line {line}: ")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_ordinary_numbers_and_intervals_still_read(tmp_path, area, catalogue):
    src = write_full_source(tmp_path / "src", catalogue, area)
    edit_row(src, catalogue, observation="-1.5e2", lci_95="-160", uci_95="-140")
    edit_row(src, catalogue, at="2021-01-01/P1Y", observation="+.5", lci_95="0.5", uci_95="0.5")
    edit_row(src, catalogue, code="E07000085", observation="[c]", status="c")
    build_extract(src, tmp_path / "extract", area, catalogue)
