"""SQLite backend of the feedback store: the embedded default (Python's standard library).

Why SQLite, and how it keeps the form's guarantees:

* Several processes on one host (app processes, ``python -m lis_data feedback ...``) share the
  file. The database is in WAL mode: readers never block the writer nor each other, and writers
  queue on SQLite's file lock, each waiting up to the busy timeout (`busy_timeout`, seconds).
  No connection is held between calls for longer than a call: connections sit in a small
  per-process pool and hold no lock while idle.
* Exactly once: an append is one ``BEGIN IMMEDIATE`` transaction (the write lock is taken
  first) that looks the submission_key up and inserts only if absent, so two processes racing
  on one key store it once; the UNIQUE constraint backs this up.
* Durable once acknowledged: ``synchronous=FULL`` (the default) makes SQLite fsync the
  write-ahead log at every commit, so a row whose receipt was returned survives SIGKILL of the
  process *and* a power cut or kernel crash. The price is one fsync per append, and SQLite
  commits one writer at a time, so appends per second across all processes are bounded by the
  disk's fsync rate. ``LIS_FEEDBACK_SQLITE_SYNCHRONOUS=normal`` (see `settings`) fsyncs only
  at checkpoints: still SIGKILL-safe (the log is in the kernel's cache once committed) but the
  last commits can be lost if the machine loses power; for disks whose fsync is slow.
* The file vanishing under a running server is detected: each connection remembers the
  device and inode of the file it opened; before a write, and again after its commit, the
  path must still name that file. If the file was deleted, the write is refused (or, after a
  commit into the deleted file, not acknowledged) with FeedbackStoreUnavailable. If the path
  now names another file (a restored copy), idle connections to the old one are dropped and
  the call is refused, so the next call uses the new file. Connections never create the file
  again once the store is open (``mode=rw``): an emptied store is never silently used.
* Nor is the file created by opening the store, unless asked (``create=True``: the first-time
  set-up, ``python -m lis_data feedback init``, or the import of an earlier version's DuckDB
  file): the app, ``/ready``, the evidence pack and the other commands open with
  ``create=False``, so a deleted store stays unavailable until it is restored.
* Erasure overwrites: ``secure_delete`` zeroes deleted content in the file, and after an
  erasure the log is checkpointed and truncated so no old page of the row stays in it.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from lis_data.feedback import migrations
from lis_data.feedback.hooks import Runner
from lis_data.feedback.errors import FeedbackStoreUnavailable
from lis_data.feedback.store import _SqlStore

log = logging.getLogger(__name__)

_MAX_IDLE = 8


def _ts_text(value: datetime) -> str:
    """UTC, fixed width, so text order is time order."""
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _adapt(value: object) -> object:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return _ts_text(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple)):
        import json

        return json.dumps(list(value), ensure_ascii=False)
    return value


class _Connection:
    def __init__(self, con: sqlite3.Connection, identity: tuple[int, int]):
        self.con = con
        self.identity = identity


class SQLiteFeedbackStore(_SqlStore):
    """The feedback store in a SQLite file. Safe to share across threads and processes."""

    places_any_sql = (
        "EXISTS (SELECT 1 FROM json_each(f.places) AS p WHERE p.value IN (SELECT value FROM json_each(?)))"
    )

    def __init__(self, path: str | Path, *, busy_timeout: float = 5.0, legacy_duckdb: str | Path | None = None,
                 synchronous: str | None = None, create: bool = True):
        from lis_data.feedback.settings import sqlite_synchronous

        self.synchronous = sqlite_synchronous(synchronous)
        self.path = str(Path(path).expanduser().absolute())
        if self.path.startswith("//"):  # sqlite:////abs/path: the same file on Linux, and no URI authority
            self.path = "/" + self.path.lstrip("/")
        self.url = "sqlite://" + self.path
        self.busy_timeout = float(busy_timeout)
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False
        parent = Path(self.path).parent
        if not parent.is_dir():
            why = f"{parent} is not a folder" if parent.exists() else f"the folder {parent} does not exist"
            raise FeedbackStoreUnavailable(f"Feedback store unavailable: cannot open SQLite file {self.path}: {why}")
        # Creating the file is the set-up's (or the legacy import's) to do, never a reader's.
        may_create = create or (legacy_duckdb is not None and Path(legacy_duckdb).exists())
        if not may_create and not os.path.exists(self.path):
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable: the SQLite file {self.path} does not exist. If it was deleted or "
                "moved, restore it from the backup; if no store was ever set up here, create it with "
                "`python -m lis_data feedback init`")
        first = self._connect(create=may_create, first=True)
        try:
            self._migrate(first.con)
            if legacy_duckdb is not None:
                from lis_data.feedback.legacy_duckdb import import_once

                import_once(first.con, Path(legacy_duckdb), self.path)
        except sqlite3.Error as exc:
            first.con.close()
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable: cannot open SQLite file {self.path}: {exc}"
            ) from exc
        except BaseException:
            first.con.close()
            raise
        self._idle.append(first)

    # -- connections ---------------------------------------------------------
    def _identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable: cannot read SQLite file {self.path}: {exc.strerror or exc}"
            ) from exc
        return (st.st_dev, st.st_ino)

    def _connect(self, create: bool = False, first: bool = False) -> _Connection:
        mode = "rwc" if create else "rw"
        uri = f"file:{quote(self.path)}?mode={mode}"
        try:
            con = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout, isolation_level=None,
                                  check_same_thread=False)
        except sqlite3.Error as exc:
            why = "it does not exist (deleted or moved?)" if not os.path.exists(self.path) else str(exc)
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable: cannot open SQLite file {self.path}: {why}"
            ) from exc
        try:
            identity = self._identity()
            if identity is None:
                raise sqlite3.OperationalError("the file vanished while being opened")
            if first:
                mode_now = self._set_wal(con)
                if str(mode_now).lower() != "wal":
                    raise sqlite3.OperationalError(f"cannot use WAL mode (journal_mode is {mode_now})")
            con.execute(f"PRAGMA synchronous={self.synchronous.upper()}")  # 'full' or 'normal', checked
            con.execute("PRAGMA secure_delete=ON")
            con.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        except sqlite3.Error as exc:
            con.close()
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable: cannot open SQLite file {self.path}: {exc}"
            ) from exc
        return _Connection(con, identity)

    def _set_wal(self, con: sqlite3.Connection) -> str:
        """PRAGMA journal_mode=WAL, tried again for up to the busy timeout while another process
        holds the lock: SQLite answers "database is locked" at once here, without its busy handler,
        when several processes open a new file together (tests/feedback/test_concurrency.py)."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                return con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    def _check_same_file(self, conn: _Connection, committed: bool = False) -> None:
        identity = self._identity()
        if identity == conn.identity:
            return
        with self._lock:  # every idle connection points at the same, now stale, file
            stale, self._idle = self._idle, []
        for other in stale:
            other.con.close()
        what = "has been deleted or moved" if identity is None else "has been replaced by another file"
        done = "the last write went to the old file and is not counted as saved" if committed else "nothing was saved"
        log.error("Feedback store %s %s; %s", self.path, what, done)
        raise FeedbackStoreUnavailable(f"Feedback store unavailable: the SQLite file {self.path} {what}; {done}")

    @contextmanager
    def _connection(self) -> Iterator[_Connection]:
        if self._closed:
            raise FeedbackStoreUnavailable(f"Feedback store {self.path} has been closed")
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
        stale = False
        try:
            try:
                self._check_same_file(conn)
            except FeedbackStoreUnavailable:
                stale = True
                raise
            yield conn
        finally:
            with self._lock:
                keep = not stale and not conn.con.in_transaction
                if keep and not self._closed and len(self._idle) < _MAX_IDLE:
                    self._idle.append(conn)
                    conn = None
            if conn is not None:
                conn.con.close()

    @staticmethod
    def _runner(con: sqlite3.Connection) -> Runner:
        def run(sql: str, params=()) -> list:
            cur = con.execute(sql, [_adapt(p) for p in params])
            return cur.fetchall() if cur.description else []

        return run

    def _ts_param(self, value: datetime) -> str:  # type: ignore[override]
        return _ts_text(value)

    @contextmanager
    def _read(self) -> Iterator[Runner]:
        try:
            with self._connection() as conn:
                yield self._runner(conn.con)
        except sqlite3.Error as exc:
            raise FeedbackStoreUnavailable(f"Feedback store unavailable ({self.path}): {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[Runner]:
        # Threads of this process queue here, in turn, rather than poll SQLite's lock (its busy
        # handler sleeps and retries, which under load can starve one waiter past the timeout);
        # only other processes are waited for through the busy timeout.
        if not self._write_lock.acquire(timeout=self.busy_timeout):
            raise FeedbackStoreUnavailable(
                f"Feedback store busy ({self.path}): no turn to write within {self.busy_timeout:g} s; nothing was saved"
            )
        try:
            with self._write_turn() as run:
                yield run
        finally:
            self._write_lock.release()

    @contextmanager
    def _write_turn(self) -> Iterator[Runner]:
        try:
            with self._connection() as conn:
                con = conn.con
                con.execute("BEGIN IMMEDIATE")
                try:
                    yield self._runner(con)
                    self._check_same_file(conn)
                    con.execute("COMMIT")
                except BaseException:
                    if con.in_transaction:
                        try:
                            con.execute("ROLLBACK")
                        except sqlite3.Error:
                            pass
                    raise
                self._check_same_file(conn, committed=True)
        except sqlite3.Error as exc:
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable ({self.path}); nothing was saved: {exc}"
            ) from exc

    def _migrate(self, con: sqlite3.Connection) -> None:
        """Apply pending migrations in one write transaction (so concurrent first opens by
        several processes apply each once)."""
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute(migrations.SCHEMA_VERSION_TABLE)
            applied = {int(v) for (v,) in con.execute("SELECT version FROM schema_version").fetchall()}
            for version, description, statements in migrations.pending(applied, migrations.SQLITE):
                for sql in statements:
                    con.execute(sql)
                con.execute(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                    [version, description, _ts_text(datetime.now(timezone.utc))],
                )
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    def _purge_erased(self) -> None:
        """After an erasure: copy the log into the file and truncate it, so the erased row's old
        pages are gone from the log too (secure_delete already zeroed them in the file). If a
        reader holds an old snapshot the truncation waits for the next checkpoint; logged."""
        try:
            with self._connection() as conn:
                busy, _, _ = conn.con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy:
                log.warning("Feedback store %s: log not truncated after an erasure (a reader was busy)", self.path)
        except (sqlite3.Error, FeedbackStoreUnavailable) as exc:
            log.warning("Feedback store %s: checkpoint after an erasure failed: %s", self.path, exc)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.con.close()

    def __repr__(self) -> str:
        return f"SQLiteFeedbackStore({self.path!r})"
