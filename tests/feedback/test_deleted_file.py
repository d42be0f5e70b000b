"""The SQLite file deleted or replaced under a running store: refused, never acknowledged."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lis_data.feedback import FeedbackStoreUnavailable, open_store

from .conftest import submission

ROOT = Path(__file__).resolve().parents[2]


def _remove_all(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(str(path) + suffix)
        except FileNotFoundError:
            pass


@pytest.mark.parametrize("leftovers", ["file only", "file and log"])
def test_append_after_delete_is_refused(tmp_path, leftovers):
    path = tmp_path / "feedback.sqlite"
    store = open_store(f"sqlite://{path}")
    try:
        store.append(submission(1))
        if leftovers == "file only":
            os.remove(path)
        else:
            _remove_all(path)
        with pytest.raises(FeedbackStoreUnavailable) as info:
            store.append(submission(2))
        assert str(path) in str(info.value) and "deleted" in str(info.value)
        with pytest.raises(FeedbackStoreUnavailable):
            store.ping()
        with pytest.raises(FeedbackStoreUnavailable):  # still refused: never silently a new empty file
            store.append(submission(3))
        assert not path.exists()
    finally:
        store.close()


def test_delete_by_another_process_is_seen(tmp_path):
    path = tmp_path / "feedback.sqlite"
    store = open_store(f"sqlite://{path}")
    try:
        for i in range(5):
            store.append(submission(i))
        subprocess.run([sys.executable, "-c", "import os,sys; os.remove(sys.argv[1])", str(path)], check=True)
        with pytest.raises(FeedbackStoreUnavailable):
            store.append(submission(9))
    finally:
        store.close()


def test_replaced_file_is_refused_then_used(tmp_path):
    """A file restored from a copy: the write in flight is refused; the next call uses the new file."""
    path = tmp_path / "feedback.sqlite"
    store = open_store(f"sqlite://{path}")
    try:
        one, three = submission(1), submission(3)
        store.append(one)
        backup = tmp_path / "backup.sqlite"
        with sqlite3.connect(path) as src, sqlite3.connect(backup) as dst:
            src.backup(dst)  # a consistent copy (a plain file copy would miss the log)
        store.append(submission(2))  # in the live file only
        _remove_all(path)
        shutil.copy(backup, path)
        with pytest.raises(FeedbackStoreUnavailable) as info:
            store.append(three)
        assert "replaced" in str(info.value)
        receipt = store.append(three)
        assert not receipt.duplicate
        keys = set(store.list()["submission_key"])
        assert keys == {one.submission_key, three.submission_key}
    finally:
        store.close()


def test_write_not_acknowledged_when_file_vanishes_during_commit(tmp_path, monkeypatch):
    """Deleted between the insert and the commit: the commit goes to a deleted file, so the
    receipt is never returned."""
    path = tmp_path / "feedback.sqlite"
    store = open_store(f"sqlite://{path}")
    try:
        store.append(submission(1))
        real_runner = store._runner

        def deleting_runner(con):
            run = real_runner(con)

            def wrapped(sql, params=()):
                rows = run(sql, params)
                if sql.startswith("INSERT INTO feedback "):
                    _remove_all(path)
                return rows

            return wrapped

        monkeypatch.setattr(store, "_runner", deleting_runner)
        with pytest.raises(FeedbackStoreUnavailable):
            store.append(submission(2))
    finally:
        store.close()
