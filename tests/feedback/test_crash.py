"""A writer killed with SIGKILL mid-stream loses nothing it acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from lis_data.feedback import open_store

from .conftest import row_matches, submission

ROOT = Path(__file__).resolve().parents[2]
ACKS_BEFORE_KILL = 150


def test_sigkill_keeps_every_acknowledged_row(store_url):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.feedback._crash_writer", store_url],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    acked: dict[int, tuple[str, str]] = {}
    try:
        assert proc.stdout.readline().strip() == b"ready", proc.stderr.read1().decode()
        deadline = time.monotonic() + 30
        while len(acked) < ACKS_BEFORE_KILL and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, proc.stderr.read().decode()
            i, fid, ref = line.decode().split()
            acked[int(i)] = (fid, ref)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        # lines printed before the kill are acknowledgements too; a torn last line is not
        for line in proc.stdout.read().splitlines(keepends=True):
            if line.endswith(b"\n"):
                i, fid, ref = line.decode().split()
                acked[int(i)] = (fid, ref)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(acked) >= ACKS_BEFORE_KILL

    store = open_store(store_url)
    try:
        rows = {r["submission_key"]: r for r in store.list(include_hidden=True).to_dict("records")}
    finally:
        store.close()
    for i, (fid, ref) in acked.items():
        row = rows[f"crash-{i:08d}"]
        assert (row["id"], row["reference"]) == (fid, ref)
    # every stored row (including one committed but not yet acknowledged) is whole
    assert len(rows) in (len(acked), len(acked) + 1)
    for key, row in rows.items():
        i = int(key.split("-")[1])
        assert row_matches(row, submission(i, submission_key=key)), row
