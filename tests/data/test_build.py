"""lis_data.ingest.extract.build_extract: the diff against the previous extract, determinism,
and the real build over ../shared/data (into a temporary folder, never over data/extract)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from lis_data.constants import ATTRIBUTION
from lis_data.ingest.extract import build_extract, diff_extracts


SOURCE_A = Path(__file__).resolve().parents[1] / "fixtures" / "source-a"
GVA_CSV = "ons-els/gross-value-added/gross-value-added.csv"
LAD = "Local Authority District"
GVA = "Gross value added per hour worked"


def _catalogue(drop=()):
    import tomllib

    from lis_data.config import parse_catalogue

    raw = tomllib.loads((SOURCE_A.parent / "catalogue.toml").read_text(encoding="utf-8"))
    raw["indicators"] = [i for i in raw["indicators"] if i["id"] not in drop]
    return parse_catalogue(raw)


def _make_fixture_b(src: Path) -> None:
    """Fixture B = A with one revised value, one new period and one status revised."""
    p = src / GVA_CSV
    text = p.read_text(encoding="utf-8-sig")
    old = f"E07000084,Basingstoke and Deane,{LAD},{GVA},2022-01-01/P1Y,41.25,"
    assert old in text
    text = text.replace(old, old.replace("41.25", "41.3"))
    old_status = f"E07000089,Hart,{LAD},{GVA},2022-01-01/P1Y,,Pounds,£,,,x,"
    assert old_status in text
    text = text.replace(old_status, old_status.replace(",x,", ",c,"))
    text += (f"E07000084,Basingstoke and Deane,{LAD},{GVA},2023-01-01/P1Y,42.0,Pounds,£,,,,\r\n"
             f"E92000001,England,Country,{GVA},2023-01-01/P1Y,39.5,Pounds,£,,,,\r\n")
    p.write_text("\ufeff" + text, encoding="utf-8")


def test_diff_new_periods_revisions_and_indicators_gone(source_a, tmp_path, area):
    out = tmp_path / "extract"
    first = build_extract(source_a, out, area, _catalogue())
    assert first.diff.first_build
    assert first.diff.lines() == ["No previous extract: everything is new."]

    _make_fixture_b(source_a)
    second = build_extract(source_a, out, area, _catalogue(drop=("gva-per-job",)))
    d = second.diff
    assert not d.first_build and not d.unchanged
    assert d.new_periods == {"gva-per-hour": ["2023"]}
    no_ci = {"old_interval": "", "new_interval": ""}
    assert d.revised == [
        {"indicator_id": "gva-per-hour", "areacd": "E07000084", "period": "2022-01-01/P1Y", "old": "41.25", "new": "41.3",
         **no_ci, "old_status": "", "new_status": ""},
        {"indicator_id": "gva-per-hour", "areacd": "E07000089", "period": "2022-01-01/P1Y", "old": "", "new": "",
         **no_ci, "old_status": "x", "new_status": "c"},
    ]
    assert d.indicators_gone == ["gva-per-job"]
    assert d.indicators_new == []
    assert (d.rows_added, d.rows_gone) == (2, 2)
    text = "\n".join(second.lines())
    assert "new period(s) for gva-per-hour: 2023" in text
    assert "indicator gone: gva-per-job" in text
    assert "revised: gva-per-hour E07000084 2022-01-01/P1Y: figure '41.25' -> '41.3'" in text
    assert "revised: gva-per-hour E07000089 2022-01-01/P1Y: status 'x' -> 'c'" in text

    # the extract now holds B
    obs = duckdb.connect().execute(f"SELECT indicator_id, areacd, period, observation, status FROM read_parquet('{out}/observations.parquet')").fetchall()
    assert ("gva-per-hour", "E07000084", "2022-01-01/P1Y", "41.3", "") in obs
    assert ("gva-per-hour", "E07000089", "2022-01-01/P1Y", "", "c") in obs
    assert not [r for r in obs if r[0] == "gva-per-job"]


def test_new_indicator_is_not_reported_as_new_periods(source_a, tmp_path, area):
    out = tmp_path / "extract"
    build_extract(source_a, out, area, _catalogue(drop=("anxiety",)))
    d = build_extract(source_a, out, area, _catalogue()).diff
    assert d.indicators_new == ["anxiety"]
    assert "anxiety" not in d.new_periods
    assert d.revised == [] and d.rows_gone == 0 and d.rows_added == 9


def test_rebuild_of_the_same_source_is_unchanged_and_byte_identical(source_a, tmp_path, area):
    out = tmp_path / "extract"
    build_extract(source_a, out, area, _catalogue())
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = build_extract(source_a, out, area, _catalogue())
    assert again.diff.unchanged
    assert again.diff.lines() == ["No change against the previous extract."]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extract", "source-a"]  # no .previous or temp folders


def test_fixture_extract_contents(fixture_extract):
    manifest = json.loads((fixture_extract / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["attribution"] == ATTRIBUTION
    assert manifest["rows"] == 32
    by_ds = {d["dataset"]: d for d in manifest["datasets"]}
    assert set(by_ds) == {"gross-value-added", "gdp-per-head", "personal-wellbeing-estimates", "claimant-count"}
    assert by_ds["gross-value-added"]["rows_read"] == 16 and by_ds["gross-value-added"]["rows_kept"] == 13
    assert all(len(d["csv_sha256"]) == 64 and len(d["json_sha256"]) == 64 for d in by_ds.values())
    areas = (fixture_extract / "areas.csv").read_text(encoding="utf-8").splitlines()
    assert areas[0] == "areacd,areanm,geography"
    assert '"E06000023","Bristol, City of",Local Authority District'.replace('"E06000023"', "E06000023") in areas
    assert not any(line.startswith("S12") for line in areas)
    boundaries = json.loads((fixture_extract / "boundaries.geojson").read_text(encoding="utf-8"))
    assert len([f for f in boundaries["features"] if f["properties"]["role"] == "em3"]) == 14


def test_diff_extracts_against_an_empty_folder(fixture_extract, tmp_path):
    assert diff_extracts(tmp_path, fixture_extract).first_build


# --------------------------------------------------------------------------- the real build


def test_real_build_completes_and_accounts_for_every_row(real_build):
    r = real_build
    assert r.rows > 100_000
    assert len(r.reports) >= 35
    for rep in r.reports:
        dropped = sum(rep.dropped.values())
        assert rep.kept + dropped == rep.rows, f"{rep.dataset}: kept {rep.kept} + dropped {dropped} != read {rep.rows}"
        assert rep.kept > 0, rep.dataset
        for reason, n in rep.dropped.items():
            assert isinstance(reason, str) and reason.strip(), f"{rep.dataset}: {n} rows dropped without a reason"
            assert n > 0
    assert sum(rep.kept for rep in r.reports) == r.rows
    n = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{r.out_dir}/observations.parquet')").fetchone()[0]
    assert n == r.rows
    assert r.diff.first_build


def test_real_build_extract_is_small(real_build):
    files = list(Path(real_build.out_dir).iterdir())
    size = sum(p.stat().st_size for p in files)
    assert size == real_build.size_bytes
    assert size < 15 * 1024 * 1024, f"extract is {size / 1e6:.1f} MB"
    assert {p.name for p in files} == {"observations.parquet", "indicators.json", "areas.csv", "manifest.json",
                                       "boundaries.geojson", "neighbours.csv", "release_log.json"}


def test_real_build_writes_one_report_per_catalogue_dataset(real_build):
    from lis_data.config import load_catalogue

    assert [rep.dataset for rep in real_build.reports] == list(load_catalogue().datasets)
    manifest = json.loads((real_build.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == real_build.rows
    assert sum(d["rows_read"] for d in manifest["datasets"]) == sum(rep.rows for rep in real_build.reports)


def test_real_build_does_not_touch_the_committed_extract(real_build):
    from lis_data.paths import PROJECT_ROOT

    assert Path(real_build.out_dir).resolve() != (PROJECT_ROOT / "data" / "extract").resolve()
    assert shutil.disk_usage(real_build.out_dir)  # exists
