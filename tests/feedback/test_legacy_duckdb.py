"""Feedback kept in the old embedded DuckDB store moves into SQLite once, never abandoned."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone
from multiprocessing import get_context
from pathlib import Path

import duckdb
import pytest

from lis_data.feedback import FeedbackStoreUnavailable, migrations, open_store, reference_for

from .conftest import row_matches, submission

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = (
    "id", "reference", "created_at", "priority", "places", "respondent_type", "organisation", "comment",
    "evidence_url", "name", "email", "consent", "workshop_code", "app_version", "submission_key",
)


def make_duckdb_store(path: Path, n: int = 6) -> list:
    """A feedback file as the previous version wrote it: rows, and moderation history
    (row 1 hidden; row 2 hidden then shown again)."""
    con = duckdb.connect(str(path))
    con.execute(migrations.SCHEMA_VERSION_TABLE)
    for version, description, statements in migrations.DUCKDB:
        for sql in statements:
            con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, description, datetime(2025, 1, 1)])
    subs, ids = [], []
    start = datetime(2025, 6, 1, 9, 0, 0, 123456)
    for i in range(n):
        sub = submission(i, submission_key=f"old-key-{i:04d}")
        fid = uuid.uuid4()
        con.execute(
            f"INSERT INTO feedback ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
            [fid, reference_for(fid), start + timedelta(minutes=i), sub.priority, list(sub.places),
             sub.respondent_type, sub.organisation, sub.comment, sub.evidence_url,
             sub.name if sub.consent else None, sub.email if sub.consent else None, sub.consent,
             sub.workshop_code, "0.0.9", sub.submission_key],
        )
        subs.append(sub)
        ids.append(fid)
    for fid, hidden, note in ((ids[1], True, "spam"), (ids[2], True, "check"), (ids[2], False, "fine")):
        con.execute("INSERT INTO feedback_moderation (feedback_id, hidden, moderated_at, note) VALUES (?, ?, ?, ?)",
                    [fid, hidden, datetime(2025, 7, 1), note])
    con.close()
    return list(zip(subs, ids))


def check_moved(store, made) -> None:
    rows = {r["submission_key"]: r for r in store.list(include_hidden=True).to_dict("records")}
    assert len(rows) == len(made)
    for sub, fid in made:
        row = rows[sub.submission_key]
        assert row_matches(row, sub) and row["id"] == str(fid) and row["reference"] == reference_for(fid)
        assert row["app_version"] == "0.0.9"
    assert rows["old-key-0000"]["created_at"].to_pydatetime() == datetime(2025, 6, 1, 9, 0, 0, 123456, tzinfo=timezone.utc)
    assert [rows[f"old-key-{i:04d}"]["hidden"] for i in range(3)] == [False, True, False]
    assert rows["old-key-0001"]["moderation_note"] == "spam"


def imports(sqlite_path: Path) -> list:
    with sqlite3.connect(sqlite_path) as con:
        return con.execute("SELECT source, feedback_rows, moderation_rows FROM legacy_imports").fetchall()


def test_default_duckdb_file_moves_once(monkeypatch, tmp_path):
    monkeypatch.delenv("LIS_FEEDBACK_URL", raising=False)
    monkeypatch.setenv("LIS_DATA_DIR", str(tmp_path))
    made = make_duckdb_store(tmp_path / "feedback.duckdb")
    with pytest.raises(FeedbackStoreUnavailable, match="feedback init"):  # not on the pages' path
        open_store(None, create=False)
    assert (tmp_path / "feedback.duckdb").exists() and not (tmp_path / "feedback.sqlite").exists()
    with open_store(None, create=True) as store:  # `feedback init`: the explicit request
        check_moved(store, made)
        new = store.append(submission(50))
    assert imports(tmp_path / "feedback.sqlite") == [(str(tmp_path / "feedback.duckdb"), 6, 3)]
    assert not (tmp_path / "feedback.duckdb").exists()  # no second copy of personal data left behind
    with open_store(None) as again:  # nothing moved twice
        assert len(again.list(include_hidden=True)) == 7
        assert str(new.id) in set(again.list()["id"])
    assert len(imports(tmp_path / "feedback.sqlite")) == 1


def test_duckdb_url_opens_the_sqlite_file_beside_it(tmp_path):
    made = make_duckdb_store(tmp_path / "comments.duckdb")
    with open_store(f"duckdb://{tmp_path / 'comments.duckdb'}") as store:
        assert store.url == f"sqlite://{tmp_path / 'comments.sqlite'}"
        check_moved(store, made)
    with open_store(f"sqlite://{tmp_path / 'comments.sqlite'}") as same:
        check_moved(same, made)


def test_rows_already_in_sqlite_are_not_doubled(tmp_path):
    sqlite_url = f"sqlite://{tmp_path / 'feedback.sqlite'}"
    with open_store(sqlite_url) as store:
        first = store.append(submission(0, submission_key="old-key-0000"))  # the same submission, sent again
    make_duckdb_store(tmp_path / "feedback.duckdb")
    with open_store(f"duckdb://{tmp_path / 'feedback.duckdb'}") as store:
        df = store.list(include_hidden=True)
        assert len(df) == 6 and df["submission_key"].is_unique
        assert str(first.id) in set(df["id"])


def _open_and_count(url: str) -> int:
    with open_store(url) as store:
        return len(store.list(include_hidden=True))


def test_processes_opening_at_once_move_the_rows_once(tmp_path):
    make_duckdb_store(tmp_path / "feedback.duckdb", n=30)
    url = f"duckdb://{tmp_path / 'feedback.duckdb'}"
    with ProcessPoolExecutor(3, mp_context=get_context("fork")) as pool:
        counts = list(pool.map(_open_and_count, [url] * 3))
    assert counts == [30, 30, 30]
    assert len(imports(tmp_path / "feedback.sqlite")) == 1


def test_duckdb_file_held_by_another_process_is_not_skipped(tmp_path):
    path = tmp_path / "feedback.duckdb"
    make_duckdb_store(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(FeedbackStoreUnavailable) as info:
            open_store(f"duckdb://{path}")
        assert str(path) in str(info.value) and "another process" in str(info.value)
        assert path.exists()
    finally:
        holder.stdin.close()
        holder.wait(10)
    with open_store(f"duckdb://{path}") as store:  # once let go, the rows move
        assert len(store.list(include_hidden=True)) == 6
