"""Appends per second of the feedback store, per backend, 1 and 4 threads, and the time of the
queries behind workshop mode's live panel (tally by priority + latest comments) once the store
holds those rows.

    python scripts/bench_feedback.py [-n 500] [--pg-url postgresql://...]

Uses a temporary DuckDB file and, if PostgreSQL answers, a temporary schema
(dropped afterwards). Not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
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


def rate(store, n: int, threads: int) -> float:
    subs = [make(i) for i in range(n)]
    chunks = [subs[t::threads] for t in range(threads)]
    barrier = threading.Barrier(threads + 1)

    def work(chunk):
        barrier.wait()
        for s in chunk:
            store.append(s)

    workers = [threading.Thread(target=work, args=(c,)) for c in chunks]
    for w in workers:
        w.start()
    barrier.wait()
    start = time.perf_counter()
    for w in workers:
        w.join()
    return n / (time.perf_counter() - start)


def bench(label: str, url: str, n: int) -> None:
    store = open_store(url)
    try:
        for threads in (1, 4):
            print(f"{label:<10} {threads} thread(s): {rate(store, n, threads):8.0f} appends/s  (n={n})", flush=True)
        times = []
        for _ in range(50):
            t0 = time.perf_counter()
            store.counts_by_priority(workshop_code="BENCH-WORKSHOP")
            store.latest(workshop_code="BENCH-WORKSHOP", limit=5)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        print(f"{label:<10} live panel queries over {store.count()} rows: p50 {times[25]:.1f} ms, "
              f"p95 {times[47]:.1f} ms", flush=True)
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="appends per run (default 500)")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("LIS_TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test?user=postgres"),
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        bench("duckdb", f"duckdb://{tmp}/bench.duckdb", args.n)

    import psycopg

    schema = f"lis_fb_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(args.pg_url, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error as exc:
        print(f"postgres   skipped: {' '.join(str(exc).split())}")
        return 0
    try:
        sep = "&" if "?" in args.pg_url else "?"
        bench("postgres", f"{args.pg_url}{sep}options=-csearch_path%3D{schema}", args.n)
    except FeedbackStoreUnavailable as exc:
        print(f"postgres   failed: {exc}")
    finally:
        with psycopg.connect(args.pg_url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return 0


if __name__ == "__main__":
    sys.exit(main())
