"""The build's swap of data/extract survives a kill -9 at any moment (lis_data.runtime.extract_swap).

A build subprocess (tests/data/interrupted_build.py) is stopped at each step of the swap and
killed with SIGKILL. Then:
* with the atomic exchange (Linux), the extract folder is at once the complete old or the
  complete new extract, before any repair;
* with the two-rename fallback, the next start (Store.open) or build puts the old one back;
* either way the next start or build removes every leftover (data/.extract-*, extract.previous).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lis_data.runtime import extract_swap as sw
from lis_data.config import Catalogue, load_catalogue
from lis_data.ingest.extract import build_extract
from lis_data.runtime.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SOURCE_A = FIXTURES / "source-a"
DRIVER = Path(__file__).resolve().parent / "interrupted_build.py"

# The steps of each swap, in order (see interrupted_build.py for the names).
# (Steps before the first and after the last are the plain old and new extracts: not repeated here.)
EXCHANGE_STEPS = ["before-exchange-1", "after-exchange-1", "mid-remove-1"]
# Fallback with an old extract: remove-1 is the (absent) extract.previous, then two renames, then
# the deletion of the old extract.
FALLBACK_STEPS = ["after-rename-1", "after-rename-2", "mid-remove-2"]


def read_fixture_catalogue(drop: tuple[str, ...] = ()) -> Catalogue:
    full = load_catalogue(FIXTURES / "catalogue.toml")
    return Catalogue(full.priorities, tuple(i for i in full.indicators if i.id not in drop))


def _snapshot(folder: Path) -> dict[str, bytes] | None:
    if not folder.is_dir():
        return None
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory, area):
    """Snapshots of the old extract (without anxiety) and the new one (the whole fixture catalogue,
    built over a copy of the old, so that its release log holds the same history)."""
    import shutil

    root = tmp_path_factory.mktemp("swap-reference")
    old = build_extract(SOURCE_A, root / "old" / "extract", area, read_fixture_catalogue(drop=("anxiety",))).out_dir
    shutil.copytree(old, root / "new" / "extract")
    new = build_extract(SOURCE_A, root / "new" / "extract", area, read_fixture_catalogue()).out_dir
    old_snap, new_snap = _snapshot(old), _snapshot(new)
    assert old_snap != new_snap
    return old, old_snap, new_snap


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


def _kill_at_each_step(steps: list[str], mode: str, tmp_path: Path, old: Path) -> dict[str, Path]:
    """Start one build per step (in parallel), each over its own copy of the old extract, and kill
    each with SIGKILL once it reports the step. Returns {step: extract folder}."""
    import shutil

    runs = {}
    for step in steps:
        folder = tmp_path / step / "data"
        folder.mkdir(parents=True)
        out = folder / "extract"
        shutil.copytree(old, out)
        signal_file = tmp_path / step / "reached"
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(SOURCE_A), str(out), str(FIXTURES / "catalogue.toml"),
             step, str(signal_file), mode],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        runs[step] = (proc, signal_file, out)
    deadline = time.monotonic() + 120
    try:
        for step, (proc, signal_file, _) in runs.items():
            while not signal_file.exists():
                if proc.poll() is not None:
                    pytest.fail(f"{step}: the build ended before the step: {proc.stderr.read().decode()[-2000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{step}: the build did not reach the step in time")
                time.sleep(0.02)
            assert signal_file.read_text() == step, f"{step}: the build finished without passing the step"
            os.kill(proc.pid, signal.SIGKILL)
            assert proc.wait(30) == -signal.SIGKILL
    finally:
        for proc, _, _ in runs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
    return {step: out for step, (_, _, out) in runs.items()}


def _check_recovered_by_store_open(out: Path, old_snap, new_snap, step: str) -> None:
    db = out.parent / "indicators.duckdb"
    store = Store.open(out, db)  # the next start
    try:
        n = store.rows("SELECT count(*) FROM observations")[0][0]
    finally:
        store.close()
    snap = _snapshot(out)
    assert snap in (old_snap, new_snap), f"{step}: after the next start the extract is neither the old nor the new"
    assert _leftovers(out) == sorted(["indicators.duckdb", "indicators.duckdb.lock"]), step
    assert n == (23 if snap == old_snap else 32)


def test_kill_at_each_step_of_the_atomic_exchange(old_and_new, tmp_path):
    old, old_snap, new_snap = old_and_new
    if not sw._exchange(tmp_path, tmp_path):  # exchanging a folder with itself: a harmless probe
        pytest.skip("this kernel or file system has no atomic exchange (renameat2 RENAME_EXCHANGE): "
                    "the fallback is tested below")
    outs = _kill_at_each_step(EXCHANGE_STEPS, "exchange", tmp_path, old)
    for step, out in outs.items():
        # the invariant, before any repair: the extract is there, complete, old or new
        snap = _snapshot(out)
        assert snap in (old_snap, new_snap), f"killed at {step}: the extract is neither the old nor the new one"
        expected = old_snap if step == "before-exchange-1" else new_snap
        assert snap == expected, step
        _check_recovered_by_store_open(out, old_snap, new_snap, step)


def test_kill_at_each_step_of_the_fallback_swap(old_and_new, tmp_path, area, fixture_catalogue):
    old, old_snap, new_snap = old_and_new
    outs = _kill_at_each_step(FALLBACK_STEPS, "fallback", tmp_path, old)
    gap = outs.pop("after-rename-1")
    for step, out in outs.items():
        _check_recovered_by_store_open(out, old_snap, new_snap, step)
        assert _snapshot(out) == new_snap, step

    # killed between the renames: no extract at all until the next start or build repairs it
    assert _snapshot(gap) is None and "extract.previous" in _leftovers(gap)
    result = build_extract(SOURCE_A, gap, area, fixture_catalogue)  # the next build
    assert _snapshot(gap) == new_snap
    assert _leftovers(gap) == []
    report = "\n".join(result.lines())
    assert "Repaired after an interrupted build: restored extract from extract.previous." in report
    assert "Repaired after an interrupted build: removed .extract-" in report
    # the diff is against the old extract that was put back, not a first build
    assert "No previous extract" not in report and "new indicator: anxiety" in report


def test_the_next_start_restores_the_previous_extract(old_and_new, tmp_path):
    """The state a kill between the fallback's renames leaves, repaired by Store.open."""
    import shutil

    old, old_snap, new_snap = old_and_new
    out = tmp_path / "data" / "extract"
    out.parent.mkdir()
    shutil.copytree(old, sw.previous_path(out))
    shutil.copytree(old, out.parent / ".extract-half-written")
    (out.parent / ".extract-half-written" / "manifest.json").unlink()
    _check_recovered_by_store_open(out, old_snap, new_snap, "between the renames")
    assert _snapshot(out) == old_snap


def test_recover_leaves_a_running_builds_folder_alone(tmp_path):
    out = tmp_path / "extract"
    out.mkdir()
    (out / "a").write_text("old")
    writing = tmp_path / ".extract-running"
    writing.mkdir()
    with sw.extract_lock(out):  # a build under way in another process holds this lock
        assert subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; from lis_data.runtime.extract_swap import recover; "
             "print(recover(Path(sys.argv[1])))", str(out)],
            capture_output=True, text=True, timeout=60).stdout.strip() == "[]"
        assert writing.is_dir()
    assert sw.recover(out) == ["removed .extract-running"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extract"]


def test_recover_when_nothing_is_wrong_does_nothing(fixture_extract):
    assert sw.recover(fixture_extract) == []


def test_the_store_does_not_load_an_extract_while_a_build_holds_it(old_and_new, tmp_path):
    """While a build holds the extract (writing, then swapping), a store that needs a rebuild waits,
    then loads the new extract whole: its tables and its fingerprint match the new one."""
    import shutil
    import threading

    from lis_data.config import load_area
    from lis_data.runtime.fingerprint import store_fingerprint

    old, old_snap, new_snap = old_and_new
    out = tmp_path / "data" / "extract"
    shutil.copytree(old, out)
    staged = out.parent / ".extract-staged"
    shutil.copytree(old.parent.parent / "new" / "extract", staged)
    got = {}

    def start():
        store = Store.open(out, tmp_path / "db.duckdb")
        try:
            got["rows"] = store.rows("SELECT count(*) FROM observations")[0][0]
            got["fingerprint"] = store.rows("SELECT value FROM meta WHERE key = 'fingerprint'")[0][0]
        finally:
            store.close()

    with sw.extract_lock(out):  # a build under way
        thread = threading.Thread(target=start)
        thread.start()
        thread.join(1.5)
        assert thread.is_alive(), "the store loaded the extract while a build held it"
        sw.swap_in(staged, out)
    thread.join(60)
    assert _snapshot(out) == new_snap
    assert got["rows"] == 32
    assert got["fingerprint"] == store_fingerprint(out, load_area(), load_catalogue())
