"""A deleted feedback store comes back only by being restored: /ready, the evidence pack and the
commands open it without creating it (503 / unavailable until restored); only the first-time
set-up, `python -m lis_data feedback init`, creates it."""

from __future__ import annotations

import shutil

import pytest

from lis_data import feedback
from lis_data.cli import main
from web.readiness import FEEDBACK_DOWN, ReadinessProbe
from lis_data.runtime.store import Store

from .conftest import submission


@pytest.fixture
def store_file(tmp_path, capsys):
    """A store set up with `feedback init`, holding one comment; its URL and path."""
    path = tmp_path / "feedback.sqlite"
    url = f"sqlite://{path}"
    assert main(["feedback", "init", "--url", url]) == 0
    assert "created" in capsys.readouterr().out
    with feedback.open_store(url, create=False) as store:
        store.append(submission(0))
    return url, path


def _delete(path) -> None:
    for suffix in ("", "-wal", "-shm"):
        (path.parent / (path.name + suffix)).unlink(missing_ok=True)


def test_ready_stays_503_after_the_file_is_deleted_and_recovers_when_restored(store_file, tmp_path):
    url, path = store_file
    backup = tmp_path / "backup.sqlite"
    with feedback.open_store(url, create=False) as store:
        store.ping()
    shutil.copy(path, backup)
    db = tmp_path / "indicators.duckdb"
    probe = ReadinessProbe(lambda: url, open_indicators=lambda: Store.open(db=db))
    try:
        assert probe.check().ready
        _delete(path)
        for _ in range(3):
            result = probe.check()
            assert not result.ready and FEEDBACK_DOWN in result.reasons
            assert not path.exists(), "readiness created an empty store"
        shutil.copy(backup, path)
        assert probe.check().ready
    finally:
        probe.close()


@pytest.mark.parametrize("command", [["feedback", "export"], ["feedback", "count"],
                                     ["feedback", "export", "--format", "parquet"]])
def test_commands_do_not_create_a_deleted_store(store_file, command, capsys):
    url, path = store_file
    _delete(path)
    assert main([*command, "--url", url]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "feedback init" in err
    assert not path.exists()


def test_the_pack_does_not_create_a_deleted_store(store_file):
    from lis_data.pack import content

    url, path = store_file
    _delete(path)
    got = content._feedback(url, "innovation", None)
    assert not got.available  # "the input could not be read", not an empty store's "no comments"
    assert not path.exists()


def test_open_without_create_refuses_a_store_never_set_up(tmp_path):
    path = tmp_path / "never.sqlite"
    with pytest.raises(feedback.FeedbackStoreUnavailable, match="feedback init"):
        feedback.open_store(f"sqlite://{path}", create=False)
    assert not path.exists()


def test_init_creates_once_and_then_reports_what_is_there(tmp_path, capsys):
    url = f"sqlite://{tmp_path / 'f.sqlite'}"
    assert main(["feedback", "init", "--url", url]) == 0
    assert "created" in capsys.readouterr().out
    assert main(["feedback", "init", "--url", url]) == 0
    assert "already exists (0 comments)" in capsys.readouterr().out
