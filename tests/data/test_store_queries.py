"""lis_data.runtime.store and lis_data.runtime.queries: on the store built from the hand-made fixture
(known values) and on the store built from the committed extract (the `store` fixture)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lis_data.runtime import queries as q
from lis_data.config import load_area, load_catalogue
from lis_data.errors import StoreError
from lis_data.ingest.extract import build_extract
from lis_data.runtime.fingerprint import extract_fingerprint
from lis_data.runtime.fingerprint import store_fingerprint
from lis_data.paths import PROJECT_ROOT, extract_dir
from lis_data.runtime.store import Store, ensure_store

AREA = load_area()
EM3 = list(AREA.district_codes)
BAS, EHA, HART, RUSH, BRISTOL = "E07000084", "E07000085", "E07000089", "E07000092", "E06000023"
SE, ENGLAND = "E12000008", "E92000001"


def _by_area(df: pd.DataFrame) -> dict:
    return {r["areacd"]: r for r in df.to_dict("records")}


# --------------------------------------------------------------------------- series


def test_series_keeps_gaps_with_their_status(fixture_store):
    df = q.series(fixture_store, "anxiety", [BAS, EHA, HART, RUSH])
    assert list(df.columns) == q.SERIES_COLUMNS
    rows = {(r["areacd"], r["period_label"]): r for r in df.to_dict("records")}
    assert len(df) == 7
    assert (rows[(EHA, "2022/23")]["status"], pd.isna(rows[(EHA, "2022/23")]["value"])) == ("x", True)
    assert (rows[(HART, "2021/22")]["status"], rows[(HART, "2021/22")]["observation"]) == ("c", "[c]")
    assert pd.isna(rows[(HART, "2021/22")]["value"])
    assert pd.isna(rows[(RUSH, "2022/23")]["value"]) and rows[(RUSH, "2022/23")]["status"] == ""
    assert rows[(EHA, "2021/22")]["status"] == "u" and rows[(EHA, "2021/22")]["value"] == pytest.approx(3.4)
    assert (rows[(BAS, "2021/22")]["lci"], rows[(BAS, "2021/22")]["uci"]) == (pytest.approx(2.71), pytest.approx(3.39))
    # oldest first
    assert list(df["period_start"]) == sorted(df["period_start"])


def test_series_year_bounds(fixture_store):
    assert set(q.series(fixture_store, "gdp-per-head", [BAS], start_year=2000)["period"]) == {"2023"}
    assert set(q.series(fixture_store, "gdp-per-head", [BAS], end_year=2000)["period"]) == {"1998"}
    assert len(q.series(fixture_store, "gdp-per-head", [BAS, EHA])) == 4
    assert q.series(fixture_store, "gdp-per-head", []).empty


def test_series_of_a_comparator_read_under_its_alias(fixture_store):
    df = q.series(fixture_store, "gva-per-hour", [SE, ENGLAND])
    se = df[df["areacd"] == SE]
    assert list(se["value"]) == [40.0] and list(se["areanm"]) == ["South East"]
    assert "TLJ" not in set(df["areacd"])
    assert list(df[df["areacd"] == ENGLAND]["value"]) == [38.0, 39.0]


# --------------------------------------------------------------------------- latest and ranks


def test_latest_gives_change_since_previous_period(fixture_store):
    got = _by_area(q.latest(fixture_store, "gva-per-hour", [BAS, EHA, HART, ENGLAND, SE]))
    assert set(got) == {BAS, EHA, HART, ENGLAND, SE}
    b = got[BAS]
    assert (b["period_label"], b["value"], b["previous_value"], b["previous_label"]) == ("2022", 41.25, 40.5, "2021")
    assert b["change"] == pytest.approx(0.75)
    assert got[EHA]["change"] == pytest.approx(1.125)
    assert got[ENGLAND]["change"] == pytest.approx(1.0)
    # Hart's 2022 figure is missing: its latest figure is 2021's, with no earlier one to compare
    assert (got[HART]["period_label"], got[HART]["value"]) == ("2021", 45.1)
    assert pd.isna(got[HART]["change"])
    assert got[SE]["value"] == 40.0 and got[SE]["areanm"] == "South East"


def test_latest_leaves_out_areas_without_any_figure(fixture_store):
    got = q.latest(fixture_store, "anxiety", [RUSH, "E07000093"])
    assert got.empty


def test_ranks_respect_polarity_higher(fixture_store):
    got = _by_area(q.latest(fixture_store, "gva-per-hour", [BAS, EHA, BRISTOL, ENGLAND]))
    # 2022 among English districts with a figure: Basingstoke 41.25 > Bristol 39.9 > East Hampshire 36.125
    assert (got[BAS]["rank"], got[BRISTOL]["rank"], got[EHA]["rank"]) == (1, 2, 3)
    assert {got[c]["n_districts"] for c in (BAS, BRISTOL, EHA)} == {3}
    assert (got[BAS]["percentile"], got[EHA]["percentile"]) == (1.0, 0.0)
    assert pd.isna(got[ENGLAND]["rank"]), "England is not a district"


def test_ranks_respect_polarity_lower(fixture_store):
    """Anxiety: lower is better, so rank 1 is the lowest value."""
    got = _by_area(q.latest(fixture_store, "anxiety", [BAS, HART, BRISTOL]))
    # 2022/23: Hart 2.50 < Basingstoke 2.98 < Bristol 3.31; East Hampshire (x) and Rushmoor (blank) are not ranked
    assert (got[HART]["rank"], got[BAS]["rank"], got[BRISTOL]["rank"]) == (1, 2, 3)
    assert got[HART]["n_districts"] == 3
    assert (got[HART]["percentile"], got[BRISTOL]["percentile"]) == (1.0, 0.0)


def test_real_ranks_match_an_independent_ranking(store):
    """On the committed extract: rank 1 is the best English district by each indicator's polarity."""
    inds = q.indicators(store).set_index("id")
    obs = pd.read_parquet(extract_dir() / "observations.parquet", columns=["indicator_id", "areacd", "period", "value"])
    for iid in ("claimant-count", "gva-per-hour", "affordability-ratio"):
        polarity = inds.loc[iid, "polarity"]
        period = q.periods(store, iid)["period"].iloc[-1]
        d = obs[(obs.indicator_id == iid) & (obs.period == period) & obs.value.notna()
                & obs.areacd.str.match(r"^E0[6789]")]
        best = d.value.min() if polarity == "lower" else d.value.max()
        worst = d.value.max() if polarity == "lower" else d.value.min()
        snap = q.snapshot(store, iid, list(d.areacd), period=period)
        assert len(snap) == len(d)
        assert set(snap.loc[snap["rank"] == 1, "value"]) == {best}, iid
        assert set(snap.loc[snap["rank"] == snap["rank"].max(), "value"]) == {worst}, iid
        assert set(snap["n_districts"]) == {len(d)}


# --------------------------------------------------------------------------- snapshot


def test_snapshot_returns_all_fourteen_even_with_missing_values(fixture_store):
    df = q.snapshot(fixture_store, "gva-per-hour", EM3)
    assert list(df["areacd"]) == EM3
    assert set(df["period"]) == {"2022-01-01/P1Y"} and set(df["period_label"]) == {"2022"}
    got = _by_area(df)
    assert got[BAS]["value"] == 41.25 and got[EHA]["value"] == 36.125
    assert pd.isna(got[HART]["value"]) and got[HART]["status"] == "x"
    assert df["value"].notna().sum() == 2
    assert df["areanm"].notna().all(), "every district is named, with or without figures"
    assert list(df["areanm"]) == [d.name for d in AREA.districts]


def test_snapshot_of_a_given_period_and_comparators(fixture_store):
    df = q.snapshot(fixture_store, "gva-per-hour", [HART, SE, ENGLAND, BAS], period="2021-01-01/P1Y")
    assert list(df["areacd"]) == [HART, SE, ENGLAND, BAS]
    got = _by_area(df)
    assert got[HART]["value"] == 45.1 and got[HART]["rank"] == 1
    assert pd.isna(got[SE]["value"]) and got[SE]["areanm"] == "South East"
    df22 = _by_area(q.snapshot(fixture_store, "gva-per-hour", [SE, BAS]))
    assert df22[SE]["value"] == 40.0


def test_snapshot_of_the_real_store_keeps_the_fourteen(store):
    for iid in ("no-qualifications", "anxiety", "gva-per-hour"):
        df = q.snapshot(store, iid, EM3)
        assert list(df["areacd"]) == EM3, iid
        assert df["areanm"].notna().all()
    nq = q.snapshot(store, "no-qualifications", EM3, period="2023-01-01/P1Y")
    missing = nq[nq["value"].isna()]
    assert len(missing) >= 1 and set(missing["status"]) == {"x"}


# --------------------------------------------------------------------------- the South East via TLJ


def test_south_east_comparator_via_alias_on_the_real_store(store):
    obs = pd.read_parquet(extract_dir() / "observations.parquet",
                          columns=["indicator_id", "areacd", "period", "value"])
    tlj = obs[(obs.indicator_id == "gva-per-hour") & (obs.areacd == "TLJ")].set_index("period")["value"]
    assert len(tlj) > 10 and not (obs[(obs.indicator_id == "gva-per-hour") & (obs.areacd == SE)].size)

    s = q.series(store, "gva-per-hour", [SE])
    assert set(s["areacd"]) == {SE} and set(s["areanm"]) == {"South East"}
    assert dict(zip(s["period"], s["value"])) == tlj.to_dict()

    lt = q.latest(store, "gva-per-hour", [SE, *EM3])
    se = lt[lt["areacd"] == SE].iloc[0]
    assert se["value"] == tlj[se["period"]]
    assert "TLJ" not in set(lt["areacd"])

    snap = q.snapshot(store, "gva-per-hour", [*EM3, SE])
    assert list(snap["areacd"]) == [*EM3, SE]
    row = snap[snap["areacd"] == SE].iloc[0]
    assert row["value"] == tlj[row["period"]] and row["areanm"] == "South East"


# --------------------------------------------------------------------------- group summary, neighbours, coverage, export


def test_group_summary_median_low_high(fixture_store):
    df = q.group_summary(fixture_store, "gva-per-hour", EM3)
    assert list(df["period_label"]) == ["2021", "2022"]
    y21, y22 = df.to_dict("records")
    assert (y21["median"], y21["low"], y21["high"], y21["n_with_value"], y21["n_rows"]) == (40.5, 35.0, 45.1, 3, 3)
    assert (y22["median"], y22["low"], y22["high"], y22["n_with_value"], y22["n_rows"]) == (pytest.approx(38.6875), 36.125, 41.25, 2, 3)


def test_group_summary_within_a_span_of_years(fixture_store):
    assert list(q.group_summary(fixture_store, "gva-per-hour", EM3, 2022, None)["period_label"]) == ["2022"]
    assert list(q.group_summary(fixture_store, "gva-per-hour", EM3, None, 2021)["period_label"]) == ["2021"]
    assert q.group_summary(fixture_store, "gva-per-hour", EM3, 2030, None).empty


def test_group_summary_on_the_real_store(store):
    df = q.group_summary(store, "claimant-count", EM3)
    obs = pd.read_parquet(extract_dir() / "observations.parquet", columns=["indicator_id", "areacd", "period", "value"])
    last = df.iloc[-1]
    v = obs[(obs.indicator_id == "claimant-count") & (obs.period == last["period"]) & obs.areacd.isin(EM3)].value
    assert (last["median"], last["low"], last["high"]) == (pytest.approx(v.median()), v.min(), v.max())
    assert last["n_with_value"] == 14


def test_neighbours(fixture_store, store):
    nb = pd.read_csv(Path(__file__).resolve().parents[1] / "fixtures/source-a/ons-geography/economic-neighbours.csv",
                     encoding="utf-8-sig", dtype=str).set_index("AREACD")
    df = q.neighbours(fixture_store, BAS, "economic", 5)
    assert list(df["rank"]) == [1, 2, 3, 4, 5]
    assert list(df["areacd"]) == [nb.loc[BAS, str(r)] for r in range(1, 6)]
    assert df.loc[0, "areanm"] == "East Hampshire"
    for kind in AREA.neighbour_kinds:
        real = q.neighbours(store, "E07000209", kind, 20)
        assert list(real["rank"]) == list(range(1, 21)), kind
        assert real["areacd"].str.match(r"^[EWSN]\d{8}$").all()
    assert q.neighbours(store, "E07000209", "economic", 3)["rank"].tolist() == [1, 2, 3]
    assert q.neighbours(store, "E07000209", "no-such-kind", 5).empty


def test_coverage(fixture_store):
    cov = q.coverage(fixture_store, EM3)
    anx = cov[cov["indicator_id"] == "anxiety"]
    assert len(anx) == 2 * 14  # two periods x 14 districts
    present = set(map(tuple, anx[anx["present"]][["areacd", "period_label"]].values))
    assert present == {(BAS, "2021/22"), (BAS, "2022/23"), (EHA, "2021/22"), (HART, "2022/23")}
    hart21 = anx[(anx["areacd"] == HART) & (anx["period_label"] == "2021/22")].iloc[0]
    assert (bool(hart21["present"]), hart21["status"]) == (False, "c")
    assert set(cov["indicator_id"]) == {"gva-per-hour", "gva-per-job", "gdp-per-head", "anxiety", "claimant-count"}


def test_export_is_exactly_as_published(fixture_store):
    df = q.export(fixture_store, [HART], ["personal-wellbeing-estimates"])
    assert list(df.columns) == q.EXPORT_COLUMNS
    assert [tuple(r) for r in df.itertuples(index=False)] == [
        (HART, "personal-wellbeing-estimates", "Anxiety", "Mean (Where 0 is 'not at all anxious' and 10 is 'completely anxious')",
         "2021-04-01/P1Y", "[c]", "", "", "c"),
        (HART, "personal-wellbeing-estimates", "Anxiety", "Mean (Where 0 is 'not at all anxious' and 10 is 'completely anxious')",
         "2022-04-01/P1Y", "2.50", "2.10", "2.90", ""),
    ]
    assert len(q.export(fixture_store)) == 32
    assert set(q.export(fixture_store, datasets=["gdp-per-head"])["period"]) == {"1998", "2023"}
    assert q.export(fixture_store, ["E99999999"]).empty


# --------------------------------------------------------------------------- the store itself


def test_store_is_rebuilt_when_the_extract_fingerprint_changes(fixture_extract, tmp_path, area, fixture_catalogue):
    ex, db = tmp_path / "extract", tmp_path / "db.duckdb"
    shutil.copytree(fixture_extract, ex)
    first = Store.open(ex, db)
    assert first.rows("SELECT count(*) FROM observations")[0][0] == 32
    inode = db.stat().st_ino
    # same extract: the store is reused, not rebuilt
    same = Store.open(ex, db)
    assert db.stat().st_ino == inode
    same.close()

    # a new build of the extract (anxiety dropped from the catalogue) changes the fingerprint
    old_fp = extract_fingerprint(ex)
    from lis_data.config import Catalogue

    smaller = Catalogue(fixture_catalogue.priorities, tuple(i for i in fixture_catalogue.indicators if i.id != "anxiety"))
    source_a = Path(__file__).resolve().parents[1] / "fixtures" / "source-a"
    build_extract(source_a, ex, area, smaller)
    assert extract_fingerprint(ex) != old_fp
    second = Store.open(ex, db)  # the first store is still open in this process
    try:
        assert db.stat().st_ino != inode, "the database file was rebuilt"
        assert second.rows("SELECT count(*) FROM observations")[0][0] == 23
        assert "anxiety" not in set(q.indicators(second)["id"])
        assert second.rows("SELECT value FROM meta WHERE key = 'fingerprint'")[0][0] == store_fingerprint(
            ex, load_area(), load_catalogue())
        # the store that was open keeps answering from the file it opened
        assert first.rows("SELECT count(*) FROM observations")[0][0] == 32
    finally:
        first.close()
        second.close()
    assert not list(tmp_path.glob("db.duckdb.tmp*"))


def test_store_cursors_per_thread(fixture_store):
    out, errors = [], []

    def work():
        try:
            out.append(len(q.series(fixture_store, "anxiety", EM3)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and out == [9 - 2] * 8  # Bristol and England are not EM3 districts


def test_store_without_extract_raises(tmp_path):
    with pytest.raises(StoreError, match="no extract found"):
        ensure_store(tmp_path / "nothing", tmp_path / "db.duckdb")


def test_store_is_read_only(fixture_store):
    with pytest.raises(duckdb.Error):
        fixture_store.rows("DELETE FROM observations")


def test_app_starts_without_shared(tmp_path):
    """Store.open() on a copy of the committed extract, with ../shared nowhere to be found."""
    ex = tmp_path / "extract"
    shutil.copytree(PROJECT_ROOT / "data" / "extract", ex)
    env = {**os.environ, "LIS_EXTRACT_DIR": str(ex), "LIS_STORE_PATH": str(tmp_path / "db.duckdb"),
           "LIS_SOURCE_DIR": str(tmp_path / "no-shared-here"), "LIS_DATA_DIR": str(tmp_path / "data")}
    code = (
        "from lis_data.runtime.store import Store; from lis_data.runtime import queries as q; from lis_data.config import load_area;"
        "s = Store.open(); a = load_area();"
        "print(len(q.indicators(s)), len(q.snapshot(s, 'gva-per-hour', list(a.district_codes))))"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    n_ind, n_snap = map(int, res.stdout.split())
    assert n_ind == len(json.loads((ex / "indicators.json").read_text(encoding="utf-8")))
    assert n_snap == 14
    assert (tmp_path / "db.duckdb").is_file()
    assert not (tmp_path / "no-shared-here").exists()
