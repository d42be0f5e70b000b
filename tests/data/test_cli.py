"""`python -m lis_data build | export | check` on a synthetic upstream folder (the command
line always reads the real catalogue, so the folder holds every dataset it names)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

from lis_data.cli import main
from lis_data.config import load_area, load_catalogue
from lis_data.paths import PROJECT_ROOT


@pytest.fixture
def built(tmp_path, monkeypatch, make_full_source, capsys):
    """`build --source <synthetic> --output <tmp>` run in-process; the store goes to a temporary file."""
    source = make_full_source(tmp_path / "source")
    out = tmp_path / "extract"
    monkeypatch.setenv("LIS_STORE_PATH", str(tmp_path / "cli.duckdb"))
    monkeypatch.setenv("LIS_EXTRACT_DIR", str(out))
    code = main(["build", "--source", str(source), "--output", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return source, out, captured.out


def test_build(built, tmp_path):
    source, out, stdout = built
    n_ind = len(load_catalogue().indicators)
    n_areas = 14 + 1 + len(load_area().larger_areas)
    assert f"Wrote {n_ind * n_areas * 2} figures to {out}" in stdout
    assert "No previous extract: everything is new." in stdout
    assert f"Indicator store ready: {tmp_path / 'cli.duckdb'}" in stdout
    assert (out / "observations.parquet").is_file()


def test_build_twice_reports_no_change(built, capsys):
    source, out, _ = built
    assert main(["build", "--source", str(source), "--output", str(out), "--no-store"]) == 0
    assert "No change against the previous extract." in capsys.readouterr().out


def test_export(built, capsys):
    _, _, _ = built
    assert main(["export", "--area", "E07000084", "--dataset", "gdp-per-head", "claimant-count"]) == 0
    captured = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(captured.out)))
    assert rows[0] == ["areacd", "dataset", "indicator", "measure", "period", "period_label", "observation", "lci_95",
                       "uci_95", "status", "source", "licence"]
    n = sum(1 for i in load_catalogue().indicators if i.dataset in ("gdp-per-head", "claimant-count"))
    assert len(rows) - 1 == n * 2
    assert {r[0] for r in rows[1:]} == {"E07000084"}
    assert {r[1] for r in rows[1:]} == {"gdp-per-head", "claimant-count"}
    assert captured.err == ""


def test_export_warns_about_unknown_codes(built, capsys):
    assert main(["export", "--area", "E99999999", "--dataset", "no-such-dataset"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == ("areacd,dataset,indicator,measure,period,period_label,observation,lci_95,uci_95,"
                                    "status,source,licence")
    assert "--area E99999999: no figures" in captured.err
    assert "--dataset no-such-dataset: no such dataset" in captured.err


def test_check(built, capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Coverage of the 14 EM3 districts")
    for p in load_catalogue().priorities:
        assert f"{p.number}. {p.title}" in out
    assert "gva-per-hour" in out and "28/28" in out


def test_bad_source_exits_1_with_one_line_error(tmp_path, make_full_source):
    """A subprocess, as a user runs it: exit code 1, one line on stderr, no traceback."""
    source = make_full_source(tmp_path / "source")
    bad = source / "ons-els" / "gdp-per-head" / "gdp-per-head.csv"
    lines = bad.read_text(encoding="utf-8-sig").splitlines()
    assert "2022-01-01/P1Y" in lines[2]
    lines[2] = lines[2].replace("2022-01-01/P1Y", "FY22")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "extract"
    env = {**os.environ, "LIS_STORE_PATH": str(tmp_path / "db.duckdb"), "LIS_EXTRACT_DIR": str(out)}
    res = subprocess.run([sys.executable, "-m", "lis_data", "build", "--source", str(source), "--output", str(out)],
                         cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    err = res.stderr.splitlines()
    assert len(err) == 1, res.stderr
    assert err[0] == f"error: {bad}, line 3: period 'FY22' is not an ISO 8601 date, date/duration or year"
    assert not out.exists()


def test_missing_source_folder_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LIS_STORE_PATH", str(tmp_path / "db.duckdb"))
    code = main(["build", "--source", str(tmp_path / "nowhere"), "--output", str(tmp_path / "extract")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("error: ") and "no ons-els folder" in err


def test_export_without_an_extract_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LIS_EXTRACT_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("LIS_STORE_PATH", str(tmp_path / "db.duckdb"))
    assert main(["export"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no extract found" in err and err.count("\n") == 1


def _unclosed_quote(source):
    p = source / "ons-els" / "gdp-per-head" / "gdp-per-head.csv"
    lines = p.read_text(encoding="utf-8-sig").splitlines()
    lines[-1] = lines[-1].replace(",2022-01-01/P1Y,", ',"2022-01-01/P1Y,', 1)  # the last row: nothing closes it
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p, rf"line {len(lines)}: a quoted field opened on this line is never closed"


def _latin1_json(source):
    p = source / "ons-els" / "gdp-per-head" / "gdp-per-head.json"
    p.write_bytes(p.read_bytes().replace(b"Office for National Statistics", b"Office for National Statistics \xe9", 1))
    return p, r"line 1: byte 0xe9 at column \d+ is not UTF-8"


def _source_date_number(source):
    p = source / "ons-els" / "gdp-per-head" / "gdp-per-head.json"
    p.write_text(p.read_text(encoding="utf-8").replace('"sourceDate": "01/02/2025"', '"sourceDate": 12'), encoding="utf-8")
    return p, r"line 1: 'sourceDate' in the shared metadata is 12 \(a number\); expected text"


@pytest.mark.parametrize("spoil", [_unclosed_quote, _latin1_json, _source_date_number], ids=lambda f: f.__name__[1:])
def test_malformed_upstream_file_is_one_line_error(spoil, tmp_path, monkeypatch, make_full_source, capsys):
    """Files that used to end the build in a bare traceback (_csv.Error, UnicodeDecodeError, TypeError)."""
    import re

    source = make_full_source(tmp_path / "source")
    path, pattern = spoil(source)
    monkeypatch.setenv("LIS_STORE_PATH", str(tmp_path / "db.duckdb"))
    code = main(["build", "--source", str(source), "--output", str(tmp_path / "extract")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"error: {path}, "), err
    assert re.search(pattern, err), err
