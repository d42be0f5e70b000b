"""A store locked by someone else for a long time makes a submit fail within seconds
(PostgreSQL: lock_timeout / statement_timeout; SQLite: busy timeout), not hang."""

from __future__ import annotations

import sqlite3
import threading
import time

import psycopg
import pytest

from lis_data.feedback import FeedbackStoreUnavailable, open_store

from .conftest import submission

HOLD_SECONDS = 20  # how long the other session keeps its lock if nothing releases it sooner


def _hold_lock(store_url: str):
    """Lock the feedback table from another session; returns a release function."""
    if store_url.startswith("sqlite://"):
        con = sqlite3.connect(store_url[len("sqlite://"):], isolation_level=None, check_same_thread=False)
        con.execute("BEGIN EXCLUSIVE")
        release_lock = lambda: (con.execute("ROLLBACK"), con.close())  # noqa: E731
    else:
        con = psycopg.connect(store_url)
        con.execute("LOCK TABLE feedback IN ACCESS EXCLUSIVE MODE")
        release_lock = lambda: (con.rollback(), con.close())  # noqa: E731
    done = threading.Event()

    def release():
        if not done.is_set():
            done.set()
            release_lock()

    timer = threading.Timer(HOLD_SECONDS, release)
    timer.daemon = True
    timer.start()
    return lambda: (timer.cancel(), release())


def test_locked_table_fails_within_seconds(store_url):
    store = open_store(store_url, statement_timeout=2, lock_timeout=1)
    try:
        store.append(submission(1))
        release = _hold_lock(store_url)
        try:
            calls = [lambda: store.append(submission(2))]
            if store_url.startswith("sqlite://"):
                assert store.counts_by_priority()  # WAL: readers never wait for a writer
            else:
                calls.append(lambda: store.counts_by_priority())  # ACCESS EXCLUSIVE blocks reads too
            for call in calls:
                start = time.monotonic()
                with pytest.raises(FeedbackStoreUnavailable) as info:
                    call()
                assert time.monotonic() - start < 5, "waited for the lock instead of failing fast"
                assert "unavailable" in str(info.value).lower()
        finally:
            release()
        assert store.append(submission(3))  # usable again once the lock is gone
        assert len(store.list()) == 2
    finally:
        store.close()


def test_timeouts_from_environment(store_url, monkeypatch):
    monkeypatch.setenv("LIS_FEEDBACK_STATEMENT_TIMEOUT", "1.5")
    monkeypatch.setenv("LIS_FEEDBACK_LOCK_TIMEOUT", "0.5")
    store = open_store(store_url)
    try:
        if store_url.startswith("sqlite://"):
            assert store.busy_timeout == 1.5
        else:
            with store._pool.connection() as conn:
                got = conn.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
                assert got.fetchone() == ("1500ms", "500ms")
    finally:
        store.close()


def test_postgres_defaults_are_a_few_seconds():
    from lis_data.feedback.postgres_backend import PostgresFeedbackStore
    import inspect

    defaults = inspect.signature(PostgresFeedbackStore).parameters
    assert 1 <= defaults["statement_timeout"].default <= 10
    assert 1 <= defaults["lock_timeout"].default <= 10
