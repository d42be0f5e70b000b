"""The indicator store follows the configuration, not only the extract: its fingerprint covers
the catalogue (polarity -> ranks, priorities) and the area config (which areas are ranked), so
editing lis_data/config/*.toml and restarting rebuilds the derived tables.

LIS_CONFIG_DIR points the data layer at a copy of the config, edited by the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from lis_data.runtime import queries as q
from lis_data import config
from lis_data.config import load_area, load_catalogue
from lis_data.paths import CONFIG_DIR
from lis_data.runtime.store import Store

BAS, HART, BRISTOL = "E07000084", "E07000089", "E06000023"


@pytest.fixture
def config_copy(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, folder)
    monkeypatch.setenv("LIS_CONFIG_DIR", str(folder))
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} no longer contains {old!r} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _anxiety_ranks(extract: Path, db: Path) -> dict:
    store = Store.open(extract, db)
    try:
        got = q.latest(store, "anxiety", [BAS, HART, BRISTOL])
        polarity = store.rows("SELECT polarity FROM indicators WHERE id = 'anxiety'")[0][0]
    finally:
        store.close()
    return {"polarity": polarity, **{r["areacd"]: (r["rank"], r["n_districts"]) for r in got.to_dict("records")}}


def test_load_config_follows_LIS_CONFIG_DIR_and_reads_an_edit_at_the_next_start(config_copy):
    assert load_catalogue().indicator("anxiety").polarity == "lower"
    _edit(config_copy / "catalogue.toml", 'id = "anxiety"', 'id = "anxiety-renamed"')
    ids = {i.id for i in load_catalogue().indicators}
    assert "anxiety" in ids and "anxiety-renamed" not in ids, "one process keeps the configuration it started with"
    config.reset()  # a restart
    ids = {i.id for i in load_catalogue().indicators}
    assert "anxiety-renamed" in ids and "anxiety" not in ids, "the edit is read at the next start"


def test_flipping_polarity_in_the_catalogue_rebuilds_the_ranks(config_copy, fixture_extract, tmp_path):
    extract, db = tmp_path / "extract", tmp_path / "db.duckdb"
    shutil.copytree(fixture_extract, extract)
    # 2022/23 anxiety, lower is better: Hart 2.50 < Basingstoke 2.98 < Bristol 3.31
    assert _anxiety_ranks(extract, db) == {"polarity": "lower", HART: (1, 3), BAS: (2, 3), BRISTOL: (3, 3)}

    catalogue = config_copy / "catalogue.toml"
    text = catalogue.read_text(encoding="utf-8")
    start = text.index('id = "anxiety"')
    block_end = text.index("[[indicators]]", start)
    block = text[start:block_end]
    assert 'polarity = "lower"' in block
    catalogue.write_text(text[:start] + block.replace('polarity = "lower"', 'polarity = "higher"') + text[block_end:],
                         encoding="utf-8")
    config.reset()  # a restart: the extract is unchanged, the store is rebuilt because the catalogue changed
    assert load_catalogue().indicator("anxiety").polarity == "higher"

    assert _anxiety_ranks(extract, db) == {"polarity": "higher", BRISTOL: (1, 3), BAS: (2, 3), HART: (3, 3)}


def test_changing_the_area_config_rebuilds_the_ranks(config_copy, fixture_extract, tmp_path):
    extract, db = tmp_path / "extract", tmp_path / "db.duckdb"
    shutil.copytree(fixture_extract, extract)
    before = _anxiety_ranks(extract, db)
    assert before[BRISTOL] == (3, 3)
    # rank among English non-metropolitan districts only: Bristol (a unitary authority, E06) drops out
    area = config_copy / "area.toml"
    assert "E06" in load_area().district_prefixes
    _edit(area, 'district_prefixes = ["E06", ', 'district_prefixes = [')
    config.reset()  # a restart
    assert "E06" not in load_area().district_prefixes
    after = _anxiety_ranks(extract, db)
    assert after[HART] == (1, 2) and after[BAS] == (2, 2)
    assert pd.isna(after[BRISTOL][0]), "Bristol is no longer ranked"
