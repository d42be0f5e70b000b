"""Fixtures of the page tests: the app under test keeps its stores in temporary folders."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_stores(tmp_path_factory):
    """The app under test builds its DuckDB store in a temporary folder, never in data/, and writes
    feedback to a temporary SQLite file."""
    db = tmp_path_factory.mktemp("app-store") / "indicators.duckdb"
    fb = tmp_path_factory.mktemp("app-feedback") / "feedback.sqlite"
    from lis_data import feedback

    feedback.open_store(f"sqlite://{fb}", create=True).close()  # the set-up (`feedback init`): pages never create it
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIS_STORE_PATH", str(db))
        mp.setenv("LIS_FEEDBACK_URL", f"sqlite://{fb}")
        yield


@pytest.fixture
def fresh_throttle():
    """Every per-address and per-process window (web.throttle) empty before and after the test."""
    from web import throttle

    throttle.reset_all()
    yield
    throttle.reset_all()
