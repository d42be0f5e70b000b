"""A store that cannot be reached or opened fails fast with a clear error."""

from __future__ import annotations

import time

import pytest

from lis_data.errors import LisDataError
from lis_data.feedback import FeedbackStoreUnavailable, default_duckdb_path, open_store, store_url_from_env


def test_postgres_unreachable_fails_fast():
    start = time.monotonic()
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store("postgresql://127.0.0.1:1/none")
    assert time.monotonic() - start < 10
    assert "127.0.0.1:1" in str(info.value)
    assert isinstance(info.value, LisDataError)


def test_postgres_password_not_in_message():
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store("postgresql://user:s3cret@127.0.0.1:1/none")
    assert "s3cret" not in str(info.value)


@pytest.mark.parametrize("path", ["/nonexistent-dir-for-lis/feedback.duckdb", "/etc/passwd/feedback.duckdb"])
def test_duckdb_unopenable_location(path):
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store(f"duckdb://{path}")
    assert path in str(info.value)


def test_duckdb_file_that_is_not_a_database(tmp_path):
    bogus = tmp_path / "feedback.duckdb"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(FeedbackStoreUnavailable):
        open_store(f"duckdb://{bogus}")


def test_unknown_scheme():
    with pytest.raises(FeedbackStoreUnavailable):
        open_store("mysql://localhost/x")


def test_env_and_default(monkeypatch, tmp_path):
    monkeypatch.delenv("LIS_FEEDBACK_URL", raising=False)
    assert store_url_from_env() is None
    monkeypatch.setenv("LIS_FEEDBACK_URL", " duckdb:///x.duckdb ")
    assert store_url_from_env() == "duckdb:///x.duckdb"
    monkeypatch.setenv("LIS_DATA_DIR", str(tmp_path / "data"))
    assert default_duckdb_path() == tmp_path / "data" / "feedback.duckdb"
    store = open_store(None)
    try:
        assert store.ping()
        assert (tmp_path / "data" / "feedback.duckdb").exists()
    finally:
        store.close()
