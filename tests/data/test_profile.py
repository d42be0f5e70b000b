"""District profile rows and the `profile` command, on the committed extract."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from lis_data.runtime import judged_table as jt
from lis_data.domain import judgement as jm
from lis_data.runtime import queries
from lis_data.cli import main
from lis_data.config import load_area, load_catalogue
from lis_data.errors import LisDataError
from lis_data.paths import extract_dir
from lis_data.domain.profile import PROFILE_COLUMNS, district_profile, group_profile
from lis_data.runtime.store import Store

WOKING = "E07000217"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("profile") / "indicators.duckdb"
    s = Store.open(extract_dir(), db)
    yield s
    s.close()


def test_every_row_is_the_judged_tables_latest_row(store):
    area = load_area()
    rows = district_profile(store, WOKING, "england", area)
    assert rows and len({r.indicator for r in rows}) == len(rows)
    table = {r.indicator_id: r for r in jt.read(store, areas=[WOKING], benchmark="england", latest=True)}
    for r in rows:
        if r.judgement == jm.NO_FIGURE:
            assert r.indicator not in table
            continue
        t = table[r.indicator]
        latest = queries.latest(store, r.indicator, [WOKING], area).iloc[0]
        assert (latest["period"], latest["period_label"], latest["value"]) == (r.period, r.period_label, r.value)
        assert (t.judgement, t.benchmark_value, t.rank, t.of, t.quintile, t.direction) == \
            (r.judgement, r.benchmark_value, r.rank, r.of, r.quintile, r.direction)
        if r.spine:
            lo, hi = sorted((r.spine.worst, r.spine.best))
            assert lo <= r.value <= hi
            assert len(r.others) == len(area.districts) - 1
    by_id = {r.indicator: r for r in rows}
    assert by_id["gva-per-hour"].method == "quintiles" and by_id["gva-per-hour"].judgement in jm.FIFTHS, \
        "no England figure for GVA per hour, but a rank among districts"
    assert by_id["claimant-count"].judgement in jm.FIFTHS, "no interval published: its fifth"
    assert by_id["employment-rate"].method == "ci95" and by_id["employment-rate"].judgement in jm.JUDGEMENTS[:3]


def test_region_benchmark_is_read_under_its_alias_and_county_is_the_districts(store):
    region = {r.indicator: r for r in district_profile(store, WOKING, "region")}
    assert region["gva-per-hour"].benchmark_area == "South East"
    assert region["gva-per-hour"].benchmark_value is not None, "published as TLJ"
    county = district_profile(store, WOKING, "county")
    assert {r.benchmark_area for r in county} == {"Surrey"}


def test_group_counts_add_up(store):
    area = load_area()
    rows = group_profile(store, area.district_codes, "england")
    for g in rows:
        assert sum(n for _, n in g.counts) == len(area.districts)
        assert len(g.marks) == len(area.districts)
    mixed = group_profile(store, area.district_codes, "county")
    assert all(g.benchmark_value is None for g in mixed), "two counties: no single benchmark line"


def test_unknown_area_and_benchmark_are_refused(store):
    with pytest.raises(LisDataError, match="not an English district"):
        district_profile(store, "E99999999")
    with pytest.raises(LisDataError, match="choose from"):
        district_profile(store, WOKING, "wales")


def test_cli_csv_and_json(store, monkeypatch, capsys):
    monkeypatch.setenv("LIS_STORE_PATH", str(store.path))
    assert main(["profile", "--area", WOKING, "--format", "csv"]) == 0
    got = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    rows = district_profile(store, WOKING)
    assert list(got[0]) == [*PROFILE_COLUMNS, "source", "licence"] and len(got) == len(rows)
    assert got[0]["judgement"] == rows[0].judgement
    assert main(["profile", "--area", WOKING, "--format", "json", "--benchmark", "county"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["benchmark_area"] == "Surrey" and set(data[0]) == set(PROFILE_COLUMNS)
    assert main(["profile", "--area", "E08000025", "--benchmark", "region"]) == 1  # Birmingham: not EM3
    assert "choose --benchmark england" in capsys.readouterr().err
    assert main(["profile", "--area", "nonsense"]) == 1
    assert "not an English district" in capsys.readouterr().err


def test_cli_profile_imports_neither_pandas_nor_the_feedback_store(store):
    """`profile` answers in well under a second: it reads plain rows from DuckDB, without pandas
    (half a second of imports on its own) or the feedback store."""
    import os
    import subprocess
    import sys

    probe = ("import sys; from lis_data.cli import main; code = main(['profile', '--area', %r]); "
             "heavy = sorted(m for m in ('pandas', 'lis_data.feedback', 'shapely', 'pyarrow', 'numpy') "
             "if m in sys.modules); print('HEAVY', heavy, file=sys.stderr); sys.exit(code)" % WOKING)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LIS_STORE_PATH": str(store.path)})
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr
    assert done.stdout.startswith(",".join(PROFILE_COLUMNS))


def test_cli_prints_housing_affordability_in_the_worst_fifth_and_counts_unjudged(store, monkeypatch, capsys):
    """Issue 19's first "done when": method, quintile and ISO period in the CSV; no count carries an
    England figure or a better/worse judgement. The fifth is checked against a ranking done here."""
    monkeypatch.setenv("LIS_STORE_PATH", str(store.path))
    assert main(["profile", "--area", WOKING]) == 0
    got = {r["indicator"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    for col in ("period", "period_label", "indicator_name", "unit", "method", "quintile"):
        assert col in next(iter(got.values()))
    aff = got["affordability-ratio"]
    assert aff["method"] == "quintiles" and aff["indicator_name"].startswith("Housing affordability")
    assert aff["unit"] == "× earnings"
    # independent: Woking's position among English districts with a figure in that period
    area = load_area()
    figures = store.rows("SELECT o.areacd, o.value FROM observations o JOIN areas a USING (areacd) "
                         "WHERE a.english_district AND o.indicator_id = 'affordability-ratio' AND o.period = ? "
                         "AND o.value IS NOT NULL", [aff["period"]])
    mine = dict(figures)[WOKING]
    rank = 1 + sum(v < mine for _, v in figures)  # lower is better
    expected_fifth = (rank - 1) * 5 // len(figures) + 1
    assert (int(aff["rank"]), int(aff["of"]), int(aff["quintile"])) == (rank, len(figures), expected_fifth)
    assert expected_fifth == 5 and aff["judgement"] == "worst fifth"
    assert re.fullmatch(r"\d{4}(-\d{2}-\d{2}(/P\d+[YMD])?)?", aff["period"]), "ISO 8601 as published"
    assert aff["period_label"] and aff["period_label"] != aff["period"]
    counts = [i.id for i in load_catalogue().indicators if i.kind == "count" and i.level == "district"]
    assert counts
    for c in counts:
        row = got[c]
        assert row["benchmark_value"] == "" and row["judgement"] == "not judged", c
        assert row["judgement"] not in ("better", "worse") and row["rank"] == "" and row["quintile"] == ""


@pytest.mark.parametrize("against", ["england", "county"])
def test_the_other_districts_beside_each_figure_are_the_judged_tables_rows_in_that_period(store, against):
    """ProfileRow.others: every other EM3 district's figure and judgement in the period of the
    district's own latest figure, as the whole judged table has them (the profile reads only those)."""
    codes = load_area().district_codes
    every = {(r.indicator_id, r.areacd, r.period): r for r in jt.read(store, areas=list(codes), benchmark=against)}
    code = codes[4]
    checked = 0
    for row in district_profile(store, code, against):
        if not row.period:
            continue
        assert [m.code for m in row.others] == [c for c in codes if c != code]
        for mark in row.others:
            expected = every.get((row.indicator, mark.code, row.period))
            if expected is None:
                assert (mark.value, mark.judgement) == (None, jm.NO_FIGURE)
            else:
                assert (mark.value, mark.lci_95, mark.uci_95, mark.judgement) == \
                    (expected.value, expected.lci, expected.uci, expected.judgement)
                checked += 1
    assert checked > 100, "most other districts publish in the same period"
