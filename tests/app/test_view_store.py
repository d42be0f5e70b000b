"""Warmed views kept with the runtime store (ui/view_store.py): saved once, read back by
the next start for the same extract, configuration and code, and equal to the views built afresh;
another store (another fingerprint) does not read them."""

from __future__ import annotations

import shutil

import duckdb

from lis_data.runtime.store import Store
from ui import data, memo, view_store, views, warmup
from ui.filter_state import Filters

WOKING = "E07000217"


def test_views_saved_read_back_and_equal_to_fresh_ones(tmp_path):
    live = data.store()
    db = tmp_path / "indicators.duckdb"
    shutil.copy(live.path, db)
    copy = Store(db)
    try:
        memo.record(True)
        warmup.warm_views(priorities=("housing",), districts=(WOKING,))
        results = memo.record(False)
        assert results
        import pickle

        maps_built = [v for k, v in results.items() if k[0].endswith("choropleth_figure") and v]
        assert maps_built
        for fig in maps_built:  # the map's deck reads back to the same spec
            assert pickle.loads(pickle.dumps(fig["deck"])).to_json() == fig["deck"].to_json()
        saved = view_store.save(copy, results)
        assert saved == len(results)
        files = list(view_store.folder(copy).iterdir())
        assert [f.name for f in files] == [f"{view_store.key(copy)}.pickle"]
        views.tile_content.clear()
        assert view_store.load(copy) == saved
        cat = data.catalogue()
        ind = cat.headlines_for("housing")[0]
        seeded = views.tile_for(ind, Filters(districts=(WOKING,)))
        views.tile_content.clear()  # drops the seeded entries too: built afresh
        fresh = views.tile_for(ind, Filters(districts=(WOKING,)))
        assert seeded == fresh and "worst fifth" in " ".join(fresh.lines)
    finally:
        copy.close()
        memo.record(False)
        memo._SEED.clear()  # noqa: SLF001


def test_another_extract_does_not_read_them(tmp_path):
    live = data.store()
    db = tmp_path / "indicators.duckdb"
    shutil.copy(live.path, db)
    copy = Store(db)
    try:
        view_store.save(copy, {("x", (), ()): 1})
    finally:
        copy.close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = 'another' WHERE key = 'fingerprint'")
    con.close()
    other = Store(db)
    try:
        assert view_store.load(other) == 0
        view_store.save(other, {("y", (), ()): 2})
        assert [f.name for f in view_store.folder(other).iterdir()] == [f"{view_store.key(other)}.pickle"], \
            "the older file is removed"
    finally:
        other.close()
        memo._SEED.clear()  # noqa: SLF001
