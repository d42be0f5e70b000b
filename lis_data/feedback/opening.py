"""Opening the feedback store named by a URL: the one place that picks a backend.

Kept out of store.py, which the backends build on (they subclass store._SqlStore), so that the
store and its backends import each other in one direction only (tests/test_layering.py).
"""

from __future__ import annotations

from pathlib import Path

from lis_data.feedback import settings
from lis_data.feedback.redaction import remember_secrets
from lis_data.feedback.redaction import redact
from lis_data.feedback.errors import FeedbackStoreUnavailable
from lis_data.feedback.store import FeedbackStore, default_duckdb_path, default_sqlite_path


def open_store(url: str | None = None, *, statement_timeout: float | None = None,
               lock_timeout: float | None = None, create: bool = True) -> FeedbackStore:
    """Open (migrating if needed) the feedback store at `url`.

    create: whether a SQLite file that does not exist may be created. True is the first-time
    set-up (``python -m lis_data feedback init``, and tests on fresh folders); everything that
    serves or reads the store (the app's pages, /ready, the evidence pack, the other commands)
    passes False, so a deleted store is reported unavailable, never replaced by an empty one.
    PostgreSQL tables are created by the migrations whenever they are missing.

    statement_timeout / lock_timeout: seconds (default: the environment variables
    ``LIS_FEEDBACK_STATEMENT_TIMEOUT`` / ``LIS_FEEDBACK_LOCK_TIMEOUT``, else 5 and 3); see
    `settings`. Raises FeedbackStoreUnavailable if the store cannot be opened. Hold one store
    per process (e.g. inside ``st.cache_resource``) and share it across threads.
    """
    # Before anything can fail: every later message and log line masks this URL's secrets.
    remember_secrets(url)
    timeout = settings.statement_timeout(statement_timeout)
    text = (url or "").strip()
    # The backends are imported when asked for (psycopg only for a PostgreSQL URL).
    if text in ("", "sqlite", "sqlite://", "duckdb", "duckdb://"):
        from lis_data.feedback.sqlite_backend import SQLiteFeedbackStore

        path = default_sqlite_path()
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable: cannot create the data folder {path.parent}: "
                f"{exc.strerror or exc}"
            ) from exc
        # The legacy DuckDB import (removed in release 0.3.0) is off the everyday path: only the set-up
        # (`feedback init`, create=True) or a duckdb:// URL asks for it.
        if not create and not path.exists() and default_duckdb_path().exists():
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable: the SQLite file {path} does not exist, but an earlier version's "
                f"{default_duckdb_path()} does: `python -m lis_data feedback init` moves its rows into {path.name}")
        return SQLiteFeedbackStore(path, busy_timeout=timeout, create=create,
                                   legacy_duckdb=default_duckdb_path() if create else None)
    if text.startswith(("sqlite://", "duckdb://")):
        from lis_data.feedback.sqlite_backend import SQLiteFeedbackStore

        scheme, _, rest = text.partition("://")
        if not rest:
            raise FeedbackStoreUnavailable(f"Feedback store URL {redact(text)!r} names no file")
        if scheme == "sqlite":
            return SQLiteFeedbackStore(rest, busy_timeout=timeout, create=create)
        legacy = Path(rest)
        return SQLiteFeedbackStore(legacy.with_suffix(".sqlite"), busy_timeout=timeout, legacy_duckdb=legacy,
                                   create=create)
    if text.startswith(("postgresql://", "postgres://")):
        from lis_data.feedback.postgres_backend import PostgresFeedbackStore

        return PostgresFeedbackStore(text, statement_timeout=timeout,
                                     lock_timeout=settings.lock_timeout(lock_timeout))
    raise FeedbackStoreUnavailable(
        f"Feedback store URL {redact(text)!r} is not supported: "
        "use sqlite:///path/to/file.sqlite or postgresql://..."
    )
