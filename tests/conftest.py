"""Fixtures shared by every test folder. Keep this small and generic.

`store`: the indicator store built from the committed extract (data/extract/)
into a temporary DuckDB file, so that no test writes data/indicators.duckdb.
"""

from __future__ import annotations

import os

import pytest

# The servers tests start (and whatever else they spawn) skip building every district's views at
# start-up (pages/components/warmup.py): it is tested on its own, and ~15 s per server would slow
# the suite. A test that wants it sets LIS_WARM_VIEWS=1 for its own server.
os.environ.setdefault("LIS_WARM_VIEWS", "0")

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
