"""Moving the rows of an old DuckDB feedback file into the SQLite store, once.

Until this version the embedded store was a DuckDB file (default ``data/feedback.duckdb``, or
a ``duckdb:///path/file.duckdb`` URL). DuckDB lets one process hold a file, so the embedded
store is now SQLite; `open_store` opens the SQLite file beside the DuckDB one (same name,
``.sqlite``) and calls `import_once`, which:

1. returns at once if ``legacy_imports`` records this DuckDB file (moved before) or the file
   does not exist;
2. reads every feedback and moderation row from the DuckDB file, read-only (if another process
   still holds it, e.g. an app of the previous version, the store is unavailable with a message
   saying so: the rows are never skipped);
3. in one SQLite transaction inserts the rows not already present (same id or submission key),
   the moderation history of those rows in its order, checks that every row read is now in
   the SQLite file, and records the import (file, row counts, time);
4. only after that commit (fsynced), removes the DuckDB file and its log, so no second copy of
   the rows stays behind: an erasure (`erase`) must reach every copy of a person's data.

Run again, it does nothing; two processes starting at once import once (the second sees the
record inside its own write transaction).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from lis_data.feedback.errors import FeedbackStoreUnavailable

log = logging.getLogger(__name__)

_FEEDBACK = (
    "id", "reference", "created_at", "priority", "places", "respondent_type", "organisation", "comment",
    "evidence_url", "name", "email", "consent", "workshop_code", "app_version", "submission_key",
)


def _ts(value: datetime) -> str:
    if value.tzinfo is None:  # the DuckDB store kept naive UTC timestamps
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _read_duckdb(source: str) -> tuple[list[tuple], list[tuple]]:
    import duckdb

    try:
        con = duckdb.connect(source, read_only=True)
    except duckdb.Error as exc:
        text = str(exc)
        why = ("another process has it open (an app of the previous version?): stop it and start again"
               if "lock" in text.lower() else (text.splitlines()[0] if text else type(exc).__name__))
        raise FeedbackStoreUnavailable(
            f"Feedback store unavailable: cannot move the rows of the old DuckDB file {source} "
            f"into SQLite: {why}"
        ) from exc
    try:
        tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        feedback = []
        if "feedback" in tables:
            cols = ", ".join("id::VARCHAR" if c == "id" else c for c in _FEEDBACK)
            feedback = con.execute(f"SELECT {cols} FROM feedback ORDER BY created_at, id").fetchall()
        moderation = []
        if "feedback_moderation" in tables:
            moderation = con.execute(
                "SELECT feedback_id::VARCHAR, hidden, moderated_at, note FROM feedback_moderation ORDER BY seq"
            ).fetchall()
        return feedback, moderation
    except duckdb.Error as exc:
        raise FeedbackStoreUnavailable(
            f"Feedback store unavailable: cannot read the old DuckDB file {source}: {str(exc).splitlines()[0]}"
        ) from exc
    finally:
        con.close()


def import_once(con: sqlite3.Connection, duckdb_path: Path, target: str) -> int | None:
    """Move the DuckDB file's rows into the SQLite database `con` (see the module doc).
    Returns the number of feedback rows inserted, or None when there was nothing to do."""
    source = str(Path(duckdb_path).expanduser().absolute())
    if con.execute("SELECT 1 FROM legacy_imports WHERE source = ?", [source]).fetchone():
        return None
    if not os.path.exists(source):
        return None
    try:
        feedback, moderation = _read_duckdb(source)
    except FeedbackStoreUnavailable:
        # another process may have moved (and removed) it a moment ago
        if con.execute("SELECT 1 FROM legacy_imports WHERE source = ?", [source]).fetchone():
            return None
        raise
    con.execute("BEGIN IMMEDIATE")
    try:
        if con.execute("SELECT 1 FROM legacy_imports WHERE source = ?", [source]).fetchone():
            con.execute("ROLLBACK")
            return None
        inserted = 0
        for row in feedback:
            values = dict(zip(_FEEDBACK, row))
            values["created_at"] = _ts(values["created_at"])
            values["places"] = json.dumps(list(values["places"] or []), ensure_ascii=False)
            values["consent"] = int(bool(values["consent"]))
            cur = con.execute(
                f"INSERT OR IGNORE INTO feedback ({', '.join(_FEEDBACK)}) VALUES ({', '.join('?' * len(_FEEDBACK))})",
                [values[c] for c in _FEEDBACK],
            )
            inserted += cur.rowcount
        ids = {row[0] for row in feedback}
        fresh_ids = ids - _ids_with_moderation(con, ids)
        moved_moderation = 0
        for feedback_id, hidden, moderated_at, note in moderation:
            if feedback_id in fresh_ids:
                con.execute(
                    "INSERT INTO feedback_moderation (feedback_id, hidden, moderated_at, note) VALUES (?, ?, ?, ?)",
                    [feedback_id, int(bool(hidden)), _ts(moderated_at), note or ""],
                )
                moved_moderation += 1
        keys = [row[_FEEDBACK.index("submission_key")] for row in feedback]
        present = sum(
            1 for k in keys if con.execute("SELECT 1 FROM feedback WHERE submission_key = ?", [k]).fetchone()
        )
        if present != len(feedback):
            raise FeedbackStoreUnavailable(
                f"Feedback store unavailable: moving {source} into {target} kept {present} of "
                f"{len(feedback)} rows; nothing was changed"
            )
        con.execute(
            "INSERT INTO legacy_imports (source, feedback_rows, moderation_rows, imported_at) VALUES (?, ?, ?, ?)",
            [source, len(feedback), moved_moderation, _ts(datetime.now(timezone.utc))],
        )
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    log.warning("Feedback store: moved %d rows (%d new) and %d moderation rows from %s into %s",
                len(feedback), inserted, moved_moderation, source, target)
    for leftover in (source, source + ".wal"):
        try:
            os.remove(leftover)
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.error("Feedback store: rows of %s are in %s, but the old file could not be removed: %s "
                      "(remove it by hand: it still holds personal data)", source, target, exc)
    return inserted


def _ids_with_moderation(con: sqlite3.Connection, ids: set[str]) -> set[str]:
    """Ids that already have moderation rows in SQLite (left alone: their history is there)."""
    return {i for i in ids if con.execute("SELECT 1 FROM feedback_moderation WHERE feedback_id = ?", [i]).fetchone()}
