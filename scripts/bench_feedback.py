"""Appends per second of the feedback store, per backend, from 1 and from 4 OS processes at
once (each process with its own store, as app processes and the command line have), and the
time of the queries behind workshop mode's live panel (tally by priority + latest comments)
once the store holds those rows.

    python scripts/bench_feedback.py [-n 2000] [--pg-url postgresql://...] [--backend sqlite|postgres]
                                     [--sqlite-normal]

Uses a temporary SQLite file (the embedded default: WAL, synchronous=FULL, so every append is
fsynced before it is acknowledged) and, if PostgreSQL answers, a temporary schema (dropped
afterwards). The figure counts from the moment every process is ready until the last append is
acknowledged. Not a test.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lis_data.feedback import FeedbackStoreUnavailable, open_store, validate_submission  # noqa: E402

PRIORITIES = ("innovation", "workforce", "places", "housing", "gateways", "energy", "digital", "connections", "exports")


def make(i: int):
    return validate_submission(
        {
            "priority": PRIORITIES[i % 9],
            "respondent_type": "business",
            "comment": f"Benchmark comment {i} " + "lorem ipsum " * 20,
            "places": ["Guildford"],
            "workshop_code": "BENCH-WORKSHOP" if i % 2 else "",
            "submission_key": uuid.uuid4().hex,
        },
        priorities=PRIORITIES,
        places=("Guildford",),
    )


def _worker(url: str, count: int, offset: int, ready, go, done) -> None:
    store = open_store(url)
    subs = [make(offset + i) for i in range(count)]
    ready.wait()
    go.wait()
    try:
        for s in subs:
            store.append(s)
        done.put(None)
    except Exception as exc:  # noqa: BLE001 - reported by the parent
        done.put(f"{type(exc).__name__}: {exc}")
    finally:
        store.close()


def rate(url: str, n: int, processes: int) -> float:
    ctx = mp.get_context("fork")
    ready, go, done = ctx.Barrier(processes + 1), ctx.Event(), ctx.Queue()
    share = [n // processes + (1 if p < n % processes else 0) for p in range(processes)]
    procs = [ctx.Process(target=_worker, args=(url, share[p], sum(share[:p]), ready, go, done))
             for p in range(processes)]
    for p in procs:
        p.start()
    ready.wait()
    start = time.perf_counter()
    go.set()
    errors = [e for e in (done.get() for _ in procs) if e]
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    if errors:
        raise RuntimeError(errors[0])
    return n / elapsed


def bench(label: str, url: str, n: int) -> None:
    open_store(url).close()  # create and migrate once
    for processes in (1, 4):
        print(f"{label:<13} {processes} process(es): {rate(url, n, processes):8.0f} appends/s  (n={n})", flush=True)
    store = open_store(url)
    try:
        times = []
        for _ in range(50):
            t0 = time.perf_counter()
            store.counts_by_priority(workshop_code="BENCH-WORKSHOP")
            store.latest(workshop_code="BENCH-WORKSHOP", limit=5)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        print(f"{label:<13} live panel queries over {store.count()} rows: p50 {times[25]:.1f} ms, "
              f"p95 {times[47]:.1f} ms", flush=True)
    finally:
        store.close()


def fsync_rate(count: int = 300) -> float:
    """fsyncs per second of one 4 KB page rewritten in place, in the temporary folder."""
    with tempfile.NamedTemporaryFile(dir=os.environ.get("LIS_BENCH_DIR")) as f:
        fd = f.fileno()
        os.pwrite(fd, b"\0" * 4096, 0)
        os.fsync(fd)
        start = time.perf_counter()
        for i in range(count):
            os.pwrite(fd, bytes([i % 256]) * 4096, 0)
            os.fsync(fd)
        return count / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="appends per run (default 2000)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), action="append",
                        help="only this backend (repeatable; default both)")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("LIS_TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test?user=postgres"),
    )
    parser.add_argument("--sqlite-normal", action="store_true",
                        help="also measure SQLite with LIS_FEEDBACK_SQLITE_SYNCHRONOUS=normal")
    args = parser.parse_args()
    backends = args.backend or ["sqlite", "postgres"]
    print(f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f} at start", flush=True)

    if "sqlite" in backends:
        fsyncs = fsync_rate()
        print(f"disk: {fsyncs:.0f} fsyncs/s of a 4 KB page rewritten in place, now (sqlite with synchronous=full "
              "fsyncs its log once per append: a slow disk or a busy machine caps it)",
              flush=True)
        with tempfile.TemporaryDirectory(dir=os.environ.get("LIS_BENCH_DIR")) as tmp:
            bench("sqlite", f"sqlite://{tmp}/bench.sqlite", args.n)
        if args.sqlite_normal:
            os.environ["LIS_FEEDBACK_SQLITE_SYNCHRONOUS"] = "normal"
            with tempfile.TemporaryDirectory(dir=os.environ.get("LIS_BENCH_DIR")) as tmp:
                bench("sqlite/normal", f"sqlite://{tmp}/bench.sqlite", args.n)
            del os.environ["LIS_FEEDBACK_SQLITE_SYNCHRONOUS"]
    if "postgres" not in backends:
        return 0

    import psycopg

    schema = f"lis_fb_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(args.pg_url, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error as exc:
        print(f"postgres  skipped: {' '.join(str(exc).split())}")
        return 0
    try:
        sep = "&" if "?" in args.pg_url else "?"
        bench("postgres", f"{args.pg_url}{sep}options=-csearch_path%3D{schema}", args.n)
    except (FeedbackStoreUnavailable, RuntimeError) as exc:
        print(f"postgres  failed: {exc}")
    finally:
        with psycopg.connect(args.pg_url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return 0


if __name__ == "__main__":
    sys.exit(main())
