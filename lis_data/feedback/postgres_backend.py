"""PostgreSQL backend of the feedback store (psycopg 3).

A small thread-safe pool of connections (psycopg_pool is not a dependency):
idle connections are reused, broken ones are dropped, and at most
`max_connections` are open at once. Appends use
``INSERT ... ON CONFLICT (submission_key) DO NOTHING`` and are retried once on
a fresh connection if a pooled one has died (safe: the submission key makes
the retry idempotent).

Every connection sets ``statement_timeout`` and ``lock_timeout`` (seconds from `open_store`,
default 5 and 3; see `settings`): a table locked by someone else, or a statement stuck for any
reason, makes the call fail within seconds with FeedbackStoreUnavailable instead of hanging
the person's submit. Only a dead connection counts as worth a retry, so a timeout is reported
once, not waited for twice.

Tables live in the first schema of the connection's search_path, so a URL
like ``postgresql://host/db?options=-csearch_path%3Dfeedback`` keeps them in
their own schema (which must exist).
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from lis_data.feedback import migrations
from lis_data.feedback.redaction import remember_values, without_quoted
from lis_data.feedback.hooks import Runner
from lis_data.feedback.redaction import redact
from lis_data.feedback.errors import FeedbackStoreUnavailable
from lis_data.feedback.store import FEEDBACK_COLUMNS, _SqlStore, _Transient

log = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT = 5  # seconds
_MIGRATION_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('lis_feedback_migrations:' || current_schema()))"


class _Pool:
    def __init__(self, conninfo: str, label: str, max_connections: int, wait_timeout: float,
                 session_settings: dict[str, str] | None = None):
        self.conninfo = conninfo
        self.session_settings = dict(session_settings or {})
        self.label = label
        self.wait_timeout = wait_timeout
        self._idle: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_connections)
        self.closed = False

    def _connect(self) -> psycopg.Connection:
        try:
            conn = psycopg.connect(self.conninfo, autocommit=True)
            for name, value in self.session_settings.items():
                conn.execute("SELECT set_config(%s, %s, false)", [name, value])
            return conn
        except psycopg.Error as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable: cannot connect to PostgreSQL at {self.label}: {reason}"
            ) from exc

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        if self.closed:
            raise FeedbackStoreUnavailable(f"Feedback store {self.label} has been closed")
        if not self._slots.acquire(timeout=self.wait_timeout):
            raise FeedbackStoreUnavailable(
                f"Feedback store busy: no PostgreSQL connection free after {self.wait_timeout:g} s"
            )
        conn = None
        try:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = self._connect()
            yield conn
        finally:
            if conn is not None:
                healthy = (
                    not conn.closed
                    and not conn.broken
                    and conn.info.transaction_status == pq.TransactionStatus.IDLE
                )
                with self._lock:
                    if healthy and not self.closed:
                        self._idle.append(conn)
                        conn = None
                if conn is not None:
                    conn.close()
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            self.closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def _is_connection_error(conn: psycopg.Connection, exc: psycopg.Error) -> bool:
    """A dead connection (worth one retry on a fresh one). Timeouts (QueryCanceled,
    LockNotAvailable) are OperationalErrors too, but the connection is fine: not retried."""
    return conn.broken or conn.closed


class PostgresFeedbackStore(_SqlStore):
    """The feedback store in PostgreSQL. Safe to share across threads and
    across processes."""

    write_attempts = 2
    places_any_sql = "f.places && ?::text[]"
    workshop_lock_sql = "SELECT pg_advisory_xact_lock(hashtext('lis_workshop:' || ?::text))"

    def __init__(self, url: str, *, max_connections: int = 8, wait_timeout: float = 30.0,
                 statement_timeout: float = 5.0, lock_timeout: float = 3.0):
        self.url = redact(url)
        self.statement_timeout = float(statement_timeout)
        self.lock_timeout = float(lock_timeout)
        try:
            params = conninfo_to_dict(url)
        except psycopg.Error as exc:  # libpq quotes the part it could not parse: left out
            raise FeedbackStoreUnavailable(f"Feedback store URL {self.url!r} is not valid: "
                                           f"{without_quoted(exc)}") from exc
        remember_values(params)  # the password as libpq reads it, masked wherever it appears
        params.setdefault("connect_timeout", DEFAULT_CONNECT_TIMEOUT)
        params.setdefault("application_name", "lis_data feedback")
        timeouts = {
            "statement_timeout": f"{max(1, round(self.statement_timeout * 1000))}ms",
            "lock_timeout": f"{max(1, round(self.lock_timeout * 1000))}ms",
        }
        # a caller waits for a free connection no longer than a statement may run
        wait = min(wait_timeout, self.statement_timeout + self.lock_timeout)
        self._pool = _Pool(make_conninfo("", **params), self.url, max_connections, wait, timeouts)
        self._migrate()

    def _migrate(self) -> None:
        """Apply pending migrations in one transaction under an advisory lock,
        so two processes starting at once apply each migration once."""
        with self._write() as run:
            schema = run("SELECT current_schema()")[0][0]
            if schema is None:
                raise FeedbackStoreUnavailable(
                    f"Feedback store unavailable: no schema on the search_path of {self.url}"
                )
            run(_MIGRATION_LOCK_SQL)
            run(migrations.SCHEMA_VERSION_TABLE)
            applied = {int(v) for (v,) in run("SELECT version FROM schema_version")}
            for version, description, statements in migrations.pending(applied, migrations.POSTGRES):
                for sql in statements:
                    run(sql)
                run(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                    [version, description, datetime.now(timezone.utc).replace(tzinfo=None)],
                )

    def _insert_marks(self) -> list[str]:
        return ["?::text[]" if c == "places" else "?" for c in FEEDBACK_COLUMNS]

    def _insert_new(self, run: Runner, insert_sql: str, params: list) -> bool:
        # Two processes may race on the same key: let the unique index decide.
        return bool(run(insert_sql + " ON CONFLICT (submission_key) DO NOTHING RETURNING id", params))

    @staticmethod
    def _runner(cur: psycopg.Cursor) -> Runner:
        def run(sql: str, params=()) -> list:
            cur.execute(sql.replace("?", "%s"), list(params))
            return cur.fetchall() if cur.description else []

        return run

    @contextmanager
    def _read(self) -> Iterator[Runner]:
        with self._pool.connection() as conn:
            try:
                with conn.cursor() as cur:
                    yield self._runner(cur)
            except psycopg.Error as exc:
                raise FeedbackStoreUnavailable(f"Feedback store unavailable ({self.url}): {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[Runner]:
        with self._pool.connection() as conn:
            try:
                with conn.transaction(), conn.cursor() as cur:
                    yield self._runner(cur)
            except psycopg.Error as exc:
                if _is_connection_error(conn, exc):
                    raise _Transient(f"{self.url}: {exc}") from exc
                raise FeedbackStoreUnavailable(
                    f"Feedback store unavailable ({self.url}); nothing was saved: {exc}"
                ) from exc

    def _purge_erased(self) -> None:
        """After an erasure: VACUUM the tables so the erased rows' dead versions are pruned
        (PostgreSQL keeps them until then). Best effort: needs the table owner's rights."""
        try:
            with self._pool.connection() as conn:
                conn.execute("VACUUM feedback, feedback_moderation, board_members")
        except (psycopg.Error, FeedbackStoreUnavailable) as exc:
            log.warning("Feedback store %s: VACUUM after an erasure failed: %s", self.url, redact(str(exc)))

    def close(self) -> None:
        self._pool.close()

    def __repr__(self) -> str:
        return f"PostgresFeedbackStore({self.url!r})"
