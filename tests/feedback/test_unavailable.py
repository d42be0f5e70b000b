"""A store that cannot be reached or opened fails fast with a clear, redacted error."""

from __future__ import annotations

import time

import pytest

from lis_data.errors import LisDataError
from lis_data.feedback import (
    FeedbackStoreUnavailable,
    default_duckdb_path,
    default_sqlite_path,
    open_store,
    store_url_from_env,
)


def test_postgres_unreachable_fails_fast():
    start = time.monotonic()
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store("postgresql://127.0.0.1:1/none")
    assert time.monotonic() - start < 10
    assert "127.0.0.1:1" in str(info.value)
    assert isinstance(info.value, LisDataError)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://user:s3cret@127.0.0.1:1/none",
        "postgresql://127.0.0.1:1/none?password=s3cret",
        "postgresql://127.0.0.1:1/none?user=u&password=s3cret&sslmode=disable",
        "postgresql://127.0.0.1:1/none?sslpassword=s3cret",
        "postgresql://127.0.0.1:1/none?passfile=/home/s3cret/.pgpass",
        "postgresql://127.0.0.1:1/none?sslkey=/keys/s3cret.key",
        "postgres://u:p%40ss-s3cret@127.0.0.1:1/none",
    ],
)
def test_postgres_credentials_not_in_message(url):
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store(url)
    assert "s3cret" not in str(info.value)
    assert "127.0.0.1" in str(info.value)  # still says where


def test_unsupported_url_with_password_is_redacted():
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store("mysql://root:s3cret@db/x?token=s3cret")
    assert "s3cret" not in str(info.value)


@pytest.mark.parametrize("scheme", ["sqlite", "duckdb"])
@pytest.mark.parametrize("folder", ["/nonexistent-dir-for-lis", "/etc/passwd"])
def test_unopenable_location_names_it(scheme, folder):
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store(f"{scheme}://{folder}/feedback.{scheme}")
    assert folder in str(info.value)


def test_sqlite_file_that_is_not_a_database(tmp_path):
    bogus = tmp_path / "feedback.sqlite"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store(f"sqlite://{bogus}")
    assert str(bogus) in str(info.value)


def test_old_duckdb_file_that_is_not_a_database_is_not_skipped(tmp_path):
    """A DuckDB file whose rows cannot be read is refused, never silently left behind."""
    bogus = tmp_path / "feedback.duckdb"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store(f"duckdb://{bogus}")
    assert str(bogus) in str(info.value)
    assert bogus.exists()


def test_unknown_scheme():
    with pytest.raises(FeedbackStoreUnavailable):
        open_store("mysql://localhost/x")


@pytest.mark.parametrize("value", ["soon", "0", "-1", "1e9", "nan"])
def test_bad_timeout_setting_is_named(monkeypatch, tmp_path, value):
    monkeypatch.setenv("LIS_FEEDBACK_STATEMENT_TIMEOUT", value)
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store(f"sqlite://{tmp_path / 'f.sqlite'}")
    assert "LIS_FEEDBACK_STATEMENT_TIMEOUT" in str(info.value)
    monkeypatch.delenv("LIS_FEEDBACK_STATEMENT_TIMEOUT")
    monkeypatch.setenv("LIS_FEEDBACK_LOCK_TIMEOUT", value)
    with pytest.raises(FeedbackStoreUnavailable) as info:
        open_store("postgresql://127.0.0.1:1/none")
    assert "LIS_FEEDBACK_LOCK_TIMEOUT" in str(info.value)


def test_env_and_default(monkeypatch, tmp_path):
    monkeypatch.delenv("LIS_FEEDBACK_URL", raising=False)
    assert store_url_from_env() is None
    monkeypatch.setenv("LIS_FEEDBACK_URL", " sqlite:///x.sqlite ")
    assert store_url_from_env() == "sqlite:///x.sqlite"
    monkeypatch.setenv("LIS_DATA_DIR", str(tmp_path / "data"))
    assert default_sqlite_path() == tmp_path / "data" / "feedback.sqlite"
    assert default_duckdb_path() == tmp_path / "data" / "feedback.duckdb"
    store = open_store(None)
    try:
        assert store.ping()
        assert store.url == f"sqlite://{tmp_path / 'data' / 'feedback.sqlite'}"
        assert (tmp_path / "data" / "feedback.sqlite").exists()
        assert not (tmp_path / "data" / "feedback.duckdb").exists()
    finally:
        store.close()
