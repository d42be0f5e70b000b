"""District profile rows and the `profile` command, on the committed extract."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lis_data import judgement as jm
from lis_data import queries
from lis_data.cli import main
from lis_data.config import load_area
from lis_data.errors import LisDataError
from lis_data.paths import extract_dir
from lis_data.profile import PROFILE_COLUMNS, district_profile, group_profile
from lis_data.store import Store

WOKING = "E07000217"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("profile") / "indicators.duckdb"
    s = Store.open(extract_dir(), db)
    yield s
    s.close()


def test_every_row_follows_the_one_rule_against_the_same_period(store):
    area = load_area()
    rows = district_profile(store, WOKING, "england", area)
    assert rows and len({r.indicator for r in rows}) == len(rows)
    england = area.comparators["england"].code
    tested = 0
    for r in rows:
        if r.judgement == jm.NO_FIGURE:
            continue
        latest = queries.latest(store, r.indicator, [WOKING], area).iloc[0]
        assert latest["period_label"] == r.period and latest["value"] == r.value
        same = queries.snapshot(store, r.indicator, [england], latest["period"], area)["value"].iloc[0]
        assert (r.benchmark_value is None) == (same != same)  # NaN: no England figure that period
        assert r.judgement == jm.judge(r.value, r.lci_95, r.uci_95, r.benchmark_value, r.polarity)
        tested += r.judgement in ("better", "similar", "worse")
        if r.spine:
            lo, hi = sorted((r.spine.worst, r.spine.best))
            assert lo <= r.value <= hi
            assert len(r.others) == len(area.districts) - 1
    assert tested >= 5, "survey indicators with intervals are judged"
    by_id = {r.indicator: r for r in rows}
    assert by_id["gva-per-hour"].judgement == "not compared", "no England figure for GVA per hour: a gap stays a gap"
    assert by_id["claimant-count"].judgement == "not tested", "no interval published"


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
