"""Several OS processes on one store at once, on the embedded default and on PostgreSQL:
appends from every process kept exactly once, SIGKILL of every writer at once loses nothing
acknowledged, and the command line exports while an app process holds the store and appends."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from lis_data.feedback import open_store

from .conftest import row_matches, submission

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4
PER_PROCESS = 60
ENV = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _append_many(url: str, p: int) -> dict[str, tuple[str, bool]]:
    out = {}
    with open_store(url) as store:
        for i in range(PER_PROCESS):
            key = f"proc{p}-{i:06d}"
            receipt = store.append(submission(p * PER_PROCESS + i, submission_key=key))
            out[key] = (str(receipt.id), receipt.duplicate)
    return out


def _append_same(url: str, key: str) -> tuple[str, bool]:
    with open_store(url) as store:
        receipts = [store.append(submission(7, submission_key=key)) for _ in range(20)]
    return str(receipts[0].id), sum(not r.duplicate for r in receipts)


def _pool(n: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(n, mp_context=get_context("fork"))  # children open their own stores


def test_processes_append_at_once(store_url):
    open_store(store_url).close()  # schema in place (first open from processes is tested elsewhere)
    with _pool(PROCESSES) as pool:
        results = list(pool.map(_append_many, [store_url] * PROCESSES, range(PROCESSES)))
    acked = {k: v for r in results for k, v in r.items()}
    assert len(acked) == PROCESSES * PER_PROCESS and not any(dup for _, dup in acked.values())
    with open_store(store_url) as store:
        df = store.list(include_hidden=True)
    assert len(df) == len(acked) and df["id"].is_unique and df["submission_key"].is_unique
    for row in df.to_dict("records"):
        key = row["submission_key"]
        p, i = int(key[4:key.index("-")]), int(key.split("-")[1])
        assert row["id"] == acked[key][0]
        assert row_matches(row, submission(p * PER_PROCESS + i, submission_key=key))


def test_same_key_from_several_processes_stored_once(store_url):
    open_store(store_url).close()
    with _pool(PROCESSES) as pool:
        results = list(pool.map(_append_same, [store_url] * PROCESSES, ["one-key-for-all"] * PROCESSES))
    assert len({fid for fid, _ in results}) == 1
    assert sum(new for _, new in results) == 1
    with open_store(store_url) as store:
        assert len(store.list(include_hidden=True)) == 1


def _start_writer(url: str, prefix: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "tests.feedback._crash_writer", url, prefix],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"ready", proc.stderr.read1().decode()
    return proc


def _read_acks(proc: subprocess.Popen, acked: dict, prefix: str, at_least: int) -> None:
    deadline = time.monotonic() + 60
    while sum(k.startswith(prefix) for k in acked) < at_least and time.monotonic() < deadline:
        line = proc.stdout.readline()
        assert line, proc.stderr.read().decode()
        i, fid, ref = line.decode().split()
        acked[f"{prefix}-{int(i):08d}"] = (fid, ref)


def test_sigkill_of_several_writers_at_once(store_url):
    open_store(store_url).close()
    prefixes = [f"writer{n}" for n in range(3)]
    procs = [_start_writer(store_url, p) for p in prefixes]
    acked: dict[str, tuple[str, str]] = {}
    try:
        for proc, prefix in zip(procs, prefixes):
            _read_acks(proc, acked, prefix, 40)
        for proc in procs:
            os.kill(proc.pid, signal.SIGKILL)
        for proc, prefix in zip(procs, prefixes):
            proc.wait(10)
            assert proc.returncode == -signal.SIGKILL
            for line in proc.stdout.read().splitlines(keepends=True):
                if line.endswith(b"\n"):  # a torn last line is not an acknowledgement
                    i, fid, ref = line.decode().split()
                    acked[f"{prefix}-{int(i):08d}"] = (fid, ref)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
    with open_store(store_url) as store:
        rows = {r["submission_key"]: r for r in store.list(include_hidden=True).to_dict("records")}
    for key, (fid, ref) in acked.items():
        assert (rows[key]["id"], rows[key]["reference"]) == (fid, ref)
    assert len(acked) <= len(rows) <= len(acked) + len(procs)  # at most one unacknowledged commit each
    for key, row in rows.items():
        assert row_matches(row, submission(int(key.split("-")[1]), submission_key=key))


def test_cli_export_while_another_process_appends(store_url):
    """The app keeps its store open and appends; `feedback export` reads at the same time."""
    writer = _start_writer(store_url, "app")
    acked: dict[str, tuple[str, str]] = {}
    try:
        _read_acks(writer, acked, "app", 20)
        before = dict(acked)
        proc = subprocess.run([sys.executable, "-m", "lis_data.cli.feedback", "feedback", "export", "--url", store_url],
                              cwd=ROOT, env=ENV, capture_output=True, timeout=60)
        assert proc.returncode == 0, proc.stderr.decode()
        _read_acks(writer, acked, "app", len(before) + 5)  # the writer kept going meanwhile
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
        writer.stderr.close()
    df = pd.read_csv(io.BytesIO(proc.stdout), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    exported = dict(zip(df["submission_key"], df["id"]))
    for key, (fid, _) in before.items():
        assert exported[key] == fid
