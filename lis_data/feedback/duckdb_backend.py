"""DuckDB backend of the feedback store.

DuckDB allows one writing process per file. Within a process this module
keeps one connection per database file (a module-level cache guarded by a
lock, reference-counted across `DuckDBFeedbackStore` objects), gives each
thread its own cursor (``con.cursor()``), and serialises writes with a
per-file lock so each append is one short transaction. Because this
process is the only writer and the lock serialises its threads, an append
looks the submission_key up and then inserts (cheaper in DuckDB than
ON CONFLICT); the UNIQUE constraint still guards the table.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from . import migrations
from .store import FeedbackStoreUnavailable, Runner, _SqlStore


class _Database:
    """One open DuckDB file in this process."""

    def __init__(self, path: str):
        self.path = path
        self.con = duckdb.connect(path)
        self.write_lock = threading.Lock()
        self.refs = 0
        self._cursors: dict[threading.Thread, duckdb.DuckDBPyConnection] = {}
        self._cursor_lock = threading.Lock()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor, made on first use. Cursors of threads that
        have ended are closed here."""
        me = threading.current_thread()
        cur = self._cursors.get(me)
        if cur is not None:
            return cur
        with self._cursor_lock:
            for thread in [t for t in self._cursors if not t.is_alive()]:
                try:
                    self._cursors.pop(thread).close()
                except duckdb.Error:
                    pass
            if self.con is None:
                raise FeedbackStoreUnavailable(f"Feedback store {self.path} is closed")
            cur = self.con.cursor()
            self._cursors[me] = cur
            return cur

    def close(self) -> None:
        with self._cursor_lock:
            for cur in self._cursors.values():
                try:
                    cur.close()
                except duckdb.Error:
                    pass
            self._cursors.clear()
            if self.con is not None:
                self.con.close()
                self.con = None


_databases: dict[str, _Database] = {}
_databases_lock = threading.Lock()


def _acquire(path: str) -> _Database:
    with _databases_lock:
        db = _databases.get(path)
        if db is None:
            try:
                db = _Database(path)
                _migrate(db)
            except duckdb.Error as exc:
                if db is not None:
                    db.close()
                raise FeedbackStoreUnavailable(_describe_open_error(path, exc)) from exc
            _databases[path] = db
        db.refs += 1
        return db


def _release(db: _Database) -> None:
    with _databases_lock:
        db.refs -= 1
        if db.refs <= 0:
            _databases.pop(db.path, None)
            db.close()


def _describe_open_error(path: str, exc: Exception) -> str:
    text = str(exc)
    if "lock" in text.lower():
        why = "another process has it open (DuckDB allows one writer per file)"
    elif not Path(path).parent.is_dir():
        why = f"the folder {Path(path).parent} does not exist"
    else:
        why = text.splitlines()[0] if text else type(exc).__name__
    return f"Feedback store unavailable: cannot open DuckDB file {path}: {why}"


def _migrate(db: _Database) -> None:
    """Apply pending migrations in one transaction (caller holds the module lock)."""
    cur = db.cursor()
    with db.write_lock:
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.execute(migrations.SCHEMA_VERSION_TABLE)
            applied = {int(v) for (v,) in cur.execute("SELECT version FROM schema_version").fetchall()}
            for version, description, statements in migrations.pending(applied, migrations.DUCKDB):
                for sql in statements:
                    cur.execute(sql)
                cur.execute(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                    [version, description, datetime.now(timezone.utc).replace(tzinfo=None)],
                )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise


class DuckDBFeedbackStore(_SqlStore):
    """The feedback store in a DuckDB file. Safe to share across threads."""

    places_any_sql = "list_has_any(f.places, ?::VARCHAR[])"

    def __init__(self, path: str | Path):
        self.path = str(Path(path).expanduser().absolute())
        self.url = "duckdb://" + self.path
        self._db: _Database | None = _acquire(self.path)

    def _database(self) -> _Database:
        if self._db is None:
            raise FeedbackStoreUnavailable(f"Feedback store {self.path} has been closed")
        return self._db

    def _ts_param(self, value: datetime) -> datetime:
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    @contextmanager
    def _read(self) -> Iterator[Runner]:
        cur = self._database().cursor()

        def run(sql: str, params=()) -> list:
            cur.execute(sql, list(params))
            return cur.fetchall() if cur.description else []

        try:
            yield run
        except duckdb.Error as exc:
            raise FeedbackStoreUnavailable(f"Feedback store unavailable ({self.path}): {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[Runner]:
        db = self._database()
        cur = db.cursor()

        def run(sql: str, params=()) -> list:
            cur.execute(sql, list(params))
            return cur.fetchall() if cur.description else []

        with db.write_lock:
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    yield run
                    cur.execute("COMMIT")
                except BaseException:
                    try:
                        cur.execute("ROLLBACK")
                    except duckdb.Error:
                        pass
                    raise
            except duckdb.Error as exc:
                raise FeedbackStoreUnavailable(
                    f"Feedback store unavailable ({self.path}); nothing was saved: {exc}"
                ) from exc

    def close(self) -> None:
        """Release this store; the file closes when the last store on it closes."""
        db, self._db = self._db, None
        if db is not None:
            _release(db)

    def __repr__(self) -> str:
        return f"DuckDBFeedbackStore({self.path!r})"
