"""Fixtures shared by every test folder. Keep this small and generic.

`store`: the indicator store built from the committed extract (data/extract/)
into a temporary DuckDB file, so that no test writes data/indicators.duckdb.
"""

from __future__ import annotations

import pytest

from lis_data.paths import extract_dir
from lis_data.store import Store


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    """An opened lis_data.store.Store over the committed extract (LIS_STORE_PATH -> a temporary file)."""
    db = tmp_path_factory.mktemp("store") / "indicators.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIS_STORE_PATH", str(db))
        s = Store.open(extract_dir(), db)
        try:
            yield s
        finally:
            s.close()
