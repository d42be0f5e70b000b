"""/ready checks what the figures pages need, as they do (ui/figures_guard.py): the
configuration, every extract file they read and the district boundaries of the maps. Before, a
broken map file left /ready at 200 while every figures page said "The figures are unavailable"."""

from __future__ import annotations

import shutil

import pytest

from lis_data.paths import extract_dir
from web.readiness import CONFIG_BROKEN, NO_DISTRICT_BOUNDARIES, ReadinessProbe
from lis_data.runtime.store import Store


@pytest.fixture
def probe(tmp_path):
    """A probe on a copy of the extract (so a test can break it), with the indicator store already
    built from the good copy, as on a running server whose files then break; a working feedback store."""
    copy = tmp_path / "extract"
    shutil.copytree(extract_dir(), copy)
    db = tmp_path / "indicators.duckdb"
    Store.open(copy, db).close()
    from lis_data import feedback

    fb = f"sqlite://{tmp_path / 'fb.sqlite'}"
    feedback.open_store(fb).close()
    p = ReadinessProbe(lambda: fb, open_indicators=lambda: Store(db), extract=lambda: copy)
    yield p, copy
    p.close()


def _damage(path, how: str) -> None:
    if how == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "missing":
        path.unlink()
    elif how == "empty":
        path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")


@pytest.mark.parametrize("name, how, reason", [
    ("boundaries.geojson", "truncated", "extract: boundaries.geojson is not valid JSON"),
    ("boundaries.geojson", "missing", "extract: boundaries.geojson is missing"),
    ("boundaries.geojson", "empty", NO_DISTRICT_BOUNDARIES),
    ("indicators.json", "truncated", "extract: indicators.json is not valid JSON"),
    ("areas.csv", "missing", "extract: areas.csv is missing"),
    ("observations.parquet", "truncated", "extract: observations.parquet cannot be read"),
])
def test_a_broken_extract_file_makes_ready_503_until_it_is_restored(probe, name, how, reason):
    p, copy = probe
    assert p.check().ready
    saved = (copy / name).read_bytes()
    _damage(copy / name, how)
    result = p.check()
    assert not result.ready and any(r.startswith(reason) for r in result.reasons), result.reasons
    assert not any(str(copy) in r for r in result.reasons)  # file names, never paths
    (copy / name).write_bytes(saved)
    assert p.check().ready


def test_a_broken_configuration_makes_ready_503(probe, tmp_path, monkeypatch):
    from lis_data.paths import config_dir

    p, _ = probe
    broken = tmp_path / "config"
    shutil.copytree(config_dir(), broken)
    (broken / "area.toml").write_text("[[districts]\ncode = ", encoding="utf-8")
    monkeypatch.setenv("LIS_CONFIG_DIR", str(broken))
    result = p.check()
    assert not result.ready and CONFIG_BROKEN in result.reasons


def test_the_figures_check_reads_the_files_only_when_they_change(probe, monkeypatch):
    from lis_data.runtime import extract_check

    p, copy = probe
    assert p.check().ready
    calls = []
    monkeypatch.setattr(extract_check, "problems", lambda *a: calls.append(a) or [])
    for _ in range(5):
        assert p.check().ready
    assert calls == []
    (copy / "areas.csv").write_text((copy / "areas.csv").read_text() + "\n", encoding="utf-8")
    assert p.check().ready and len(calls) == 1
