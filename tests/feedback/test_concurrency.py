"""Many threads writing at once, as in one Streamlit process."""

from __future__ import annotations

import threading

from lis_data.feedback import open_store

from .conftest import row_matches, submission

THREADS = 16
PER_THREAD = 100


def run_threads(n, target):
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def body(t):
        try:
            barrier.wait()
            target(t)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(t,)) for t in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors[:3]


def test_16_threads_x_100_appends(store):
    subs = {t: [submission(t * PER_THREAD + i) for i in range(PER_THREAD)] for t in range(THREADS)}
    receipts = {}

    def writer(t):
        for sub in subs[t]:
            r = store.append(sub)
            assert not r.duplicate
            receipts[sub.submission_key] = r

    run_threads(THREADS, writer)
    df = store.list(include_hidden=True)
    assert len(df) == THREADS * PER_THREAD == len(receipts)
    assert df["submission_key"].is_unique and df["id"].is_unique
    by_key = {row["submission_key"]: row for row in df.to_dict("records")}
    for batch in subs.values():
        for sub in batch:
            row = by_key[sub.submission_key]
            assert row_matches(row, sub)
            assert row["id"] == str(receipts[sub.submission_key].id)


def test_same_key_from_many_threads_stores_once(store):
    sub = submission(7)
    results = []
    run_threads(8, lambda t: results.append(store.append(sub)))
    assert len({r.id for r in results}) == 1
    assert sum(not r.duplicate for r in results) == 1
    assert len(store.list(include_hidden=True)) == 1


def test_concurrent_first_open_migrates_once(store_url):
    stores = []
    lock = threading.Lock()

    def opener(t):
        s = open_store(store_url)
        with lock:
            stores.append(s)

    run_threads(6, opener)
    try:
        versions = {s.schema_version() for s in stores}
        assert len(versions) == 1
        stores[0].append(submission(1))
        assert all(len(s.list()) == 1 for s in stores)
    finally:
        for s in stores:
            s.close()
