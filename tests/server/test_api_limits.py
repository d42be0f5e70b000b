"""The figures export under a burst: an over-large answer is refused without being built, what is
returned is streamed, and exports beyond a few at once answer 503 with Retry-After."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from web import api as server_api
from scripts.serving import app_server, rss_mib

BURST = 40
#: What a burst may add to the server's memory. Streaming holds about 2,000 rows per open export (at most 4
#: at once); what the process keeps afterwards is the allocator's, and grows with how many exports ran
#: (+61 to +74 MiB for 4 to 6 streamed on a quiet machine, +113 MiB for 8 streamed while another test run
#: shared the two cores). Buffering whole answers, the failure this guards against, cost +200 MB each.
RSS_BUDGET_MIB = 160


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_a_burst_of_unbounded_exports_keeps_memory_flat_and_the_server_ready(tmp_path):
    """40 requests at once for every figure (185,000 rows, over the 50,000 limit): each is refused
    (400) after a count, none is read into memory; RSS stays within 100 MiB of where it started and
    /ready answers 200 throughout. (Before: +200 MB per request, 5.3 GB for 40, /ready 503.)"""
    with app_server(store_dir=tmp_path, env={"LIS_FEEDBACK_URL": f"sqlite://{tmp_path / 'feedback.sqlite'}",
                                             "LIS_WARM_VIEWS": "0"}) as srv:
        url, pid = srv["url"], srv["pid"]
        assert _get(f"{url}/api/v1/figures.csv?area=E07000217")[0] == 200  # the store opened once
        start = rss_mib(pid)
        peak, ready, stop = [start], [], threading.Event()

        def watch():
            while not stop.is_set():
                peak.append(rss_mib(pid))
                ready.append(_get(f"{url}/ready")[0])
                time.sleep(0.1)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with ThreadPoolExecutor(BURST) as pool:
                answers = list(pool.map(lambda _: _get(f"{url}/api/v1/figures.csv"), range(BURST)))
            time.sleep(0.5)
        finally:
            stop.set()
            watcher.join()
        statuses = [a[0] for a in answers]
        assert statuses == [400] * BURST, statuses
        assert all(b"more than the limit of 50000" in a[2] for a in answers)
        grew = max(peak) - start
        print(f"\nRSS at start {start:.0f} MiB, peak {max(peak):.0f} MiB (+{grew:.0f}) over {BURST} requests; "
              f"/ready polled {len(ready)} times: {sorted(set(ready))}")
        assert grew < RSS_BUDGET_MIB, f"RSS grew {grew:.0f} MiB"
        assert ready and set(ready) == {200}, ready


def test_a_burst_of_large_exports_is_streamed_within_the_cap(tmp_path):
    """40 requests at once for 50 areas' figures (under the limit, about 3 MB each): every answer is
    either the whole file or 503 with Retry-After; memory stays within the budget."""
    with app_server(store_dir=tmp_path, env={"LIS_FEEDBACK_URL": f"sqlite://{tmp_path / 'feedback.sqlite'}",
                                             "LIS_WARM_VIEWS": "0"}) as srv:
        url, pid = srv["url"], srv["pid"]
        from lis_data.runtime.store import Store

        store = Store.open(db=tmp_path / "indicators.duckdb")
        areas = [r[0] for r in store.rows("SELECT DISTINCT areacd FROM observations ORDER BY 1 LIMIT 50")]
        expected = store.rows(f"SELECT count(*) FROM observations WHERE areacd IN ({','.join('?' * len(areas))})",
                              areas)[0][0]
        store.close()
        query = f"{url}/api/v1/figures.csv?area={','.join(areas)}"
        status, _, whole = _get(query)
        assert status == 200 and whole.count(b"\n") == expected + 1
        start = rss_mib(pid)
        peak, stop = [start], threading.Event()

        def watch():
            while not stop.is_set():
                peak.append(rss_mib(pid))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with ThreadPoolExecutor(BURST) as pool:
                answers = list(pool.map(lambda _: _get(query), range(BURST)))
        finally:
            stop.set()
            watcher.join()
        ok = [a for a in answers if a[0] == 200]
        busy = [a for a in answers if a[0] == 503]
        assert len(ok) + len(busy) == BURST, [a[0] for a in answers]
        assert ok and all(a[2] == whole for a in ok)
        assert all(a[1]["retry-after"] == str(server_api.RETRY_AFTER_S) for a in busy)
        print(f"\n{len(ok)} streamed, {len(busy)} answered 503; RSS +{max(peak) - start:.0f} MiB")
        assert max(peak) - start < RSS_BUDGET_MIB


def _asgi_get(path: str, query: str = "") -> tuple[int, dict[str, str], bytes]:
    """GET through the API's routes as an ASGI app, in this process."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from starlette.applications import Starlette

    app = Starlette(routes=server_api.routes())
    sent: list[dict] = []
    requested = False

    async def receive():
        # The request once; then, as a server does, nothing until the response is complete, then
        # the disconnect (a receive that kept answering "http.request" would spin forever inside
        # a streaming response's disconnect listener).
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        while not any(m["type"] == "http.response.body" and not m.get("more_body") for m in sent):
            await asyncio.sleep(0.01)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "headers": [], "root_path": "", "scheme": "http", "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 1234), "http_version": "1.1"}
    with ThreadPoolExecutor(1) as pool:  # a loop of its own (Playwright may hold this thread's)
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body


def test_exports_beyond_the_cap_answer_503_with_retry_after():
    """With every export slot taken, the next export is refused at once, not queued."""
    query = "area=E07000217&dataset=claimant-count"
    taken = 0
    try:
        while server_api._export_slots.acquire(blocking=False):
            taken += 1
        assert taken == server_api.MAX_CONCURRENT_EXPORTS
        status, headers, _ = _asgi_get(server_api.FIGURES_PATH, query)
        assert status == 503 and headers["retry-after"] == str(server_api.RETRY_AFTER_S)
        assert headers["cache-control"] == "no-store"
        # A request refused for its size is still told why (the count needs no slot).
        assert _asgi_get(server_api.FIGURES_PATH)[0] == 400
    finally:
        for _ in range(taken):
            server_api._export_slots.release()
    status, _, body = _asgi_get(server_api.FIGURES_PATH, query)
    assert status == 200 and body.startswith(b"areacd,dataset,")
