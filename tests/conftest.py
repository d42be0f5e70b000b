"""Fixtures shared by every test folder. Keep this small and generic.

`store`: the indicator store built from the committed extract (data/extract/)
into a temporary DuckDB file, so that no test writes data/indicators.duckdb.
"""

from __future__ import annotations

import os

import pytest

# The servers tests start (and whatever else they spawn) skip building every district's views at
# start-up (ui/warmup.py): it is tested on its own, and ~15 s per server would slow
# the suite. A test that wants it sets LIS_WARM_VIEWS=1 for its own server.
os.environ.setdefault("LIS_WARM_VIEWS", "0")

from lis_data.config import settings as _settings
from lis_data.paths import extract_dir
from lis_data.runtime.store import Store


def _reading_settings_afresh(method):
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        finally:
            _settings.reset()
    return wrapper


# The settings are read once per process (lis_data.config.settings.current). Every pytest
# MonkeyPatch (the fixture and MonkeyPatch.context() in module and session fixtures) makes them be
# read again after it changes or restores the environment, so a test sees the environment it set.
for _name in ("setenv", "delenv", "setitem", "delitem", "undo"):
    setattr(pytest.MonkeyPatch, _name, _reading_settings_afresh(getattr(pytest.MonkeyPatch, _name)))


@pytest.fixture(autouse=True)
def _settings_read_afresh():
    """Each test starts and ends with the settings read from the environment as it is then."""
    _settings.reset()
    yield
    _settings.reset()


@pytest.fixture(scope="session")
def store(tmp_path_factory):
    """An opened lis_data.runtime.store.Store over the committed extract (LIS_STORE_PATH -> a temporary file)."""
    db = tmp_path_factory.mktemp("store") / "indicators.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIS_STORE_PATH", str(db))
        s = Store.open(extract_dir(), db)
        try:
            yield s
        finally:
            s.close()


# Markers by where a test lives (pytest.ini lists them). A folder's marker covers every file in it;
# a module listed here is marked as a whole, a test by its node id. `-m "not browser and not server and not slow"` is the
# README's inner loop; `.ci/run` runs everything.
_FOLDER_MARKERS = {"e2e": "browser", "server": "server"}
_MODULE_MARKERS = {
    "tests/app/test_entry.py": "server",
    "tests/feedback/test_processes.py": "server",
    "tests/feedback/test_crash.py": "slow",
    "tests/feedback/test_deleted_file.py": "slow",
    "tests/feedback/test_legacy_duckdb.py": "slow",
    "tests/data/test_extract_swap.py": "slow",
    "tests/pack/test_pack.py": "slow",
    "tests/pack/test_images.py": "slow",
    "tests/pack/test_board_pack.py": "slow",  # fifteen board packs, then their charts
    "tests/pack/test_pack_comments.py": "slow",
    # single tests: a whole build from ../shared/data, or every indicator of every page
    "tests/data/test_build.py::test_real_build_completes_and_accounts_for_every_row": "slow",
    "tests/data/test_build.py::test_real_build_extract_is_small": "slow",
    "tests/data/test_build.py::test_real_build_writes_one_report_per_catalogue_dataset": "slow",
    "tests/data/test_build.py::test_real_build_does_not_touch_the_committed_extract": "slow",
    "tests/app/test_pages.py::test_every_indicator_of_every_priority_renders": "slow",
    "tests/app/test_hostile_urls.py::test_arbitrary_query_parameters_never_raise_or_render": "slow",
    "tests/app/test_profile_page.py::test_page_and_command_agree_for_every_district": "slow",
    "tests/feedback/test_workshop_export.py::test_command_line_summary_and_tables": "slow",
}


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        rel = item.path.relative_to(root).as_posix()
        parts = rel.split("/")
        if len(parts) > 2 and parts[0] == "tests" and parts[1] in _FOLDER_MARKERS:
            item.add_marker(_FOLDER_MARKERS[parts[1]])
        for key in (rel, item.nodeid.split("[")[0]):
            marker = _MODULE_MARKERS.get(key)
            if marker:
                item.add_marker(marker)

