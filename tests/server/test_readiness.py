"""The readiness route: 200 only when the indicator store answers with figures and the feedback
store accepts a connection; 503 with short public reasons otherwise (no path, host or secret)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import json
import logging
import threading
import time

import pytest

from web import routes as server_routes
from lis_data import feedback
from lis_data.paths import extract_dir
from web.readiness import FEEDBACK_DOWN, INDICATORS_DOWN, NO_FIGURES, ReadinessProbe
from lis_data.runtime.store import Store


def _get(route, method: str = "GET") -> tuple[int, dict, dict]:
    """Call a Starlette route as an ASGI app; return (status, headers, json body)."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": route.path, "raw_path": route.path.encode(),
             "query_string": b"", "headers": [], "root_path": "", "scheme": "http",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1234), "http_version": "1.1"}
    # In a thread of its own: a browser test run earlier by the same worker leaves Playwright's
    # event loop running in this one, where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, route.handle(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, (json.loads(body) if body else {})


@pytest.fixture
def fb_url(tmp_path):
    """A feedback store made as an operator makes one (`python -m lis_data feedback init`): the running
    app never creates it."""
    url = f"sqlite:///{tmp_path / 'fb.sqlite'}"
    feedback.open_store(url, create=True).close()
    return url


@pytest.fixture
def indicators(tmp_path):
    db = tmp_path / "indicators.duckdb"
    return lambda: Store.open(extract_dir(), db)


def test_ready_when_both_stores_answer(indicators, tmp_path, fb_url):
    probe = ReadinessProbe(lambda: fb_url, open_indicators=indicators)
    route, *api = server_routes.routes(probe=probe)
    assert route.path == "/ready"
    from web import api as data_api, hub

    # after /ready: the short join path, then the hub's and the API's own routes, in the order they are matched
    assert [r.path for r in api] == ([server_routes.JOIN_PATH] + [r.path for r in hub.routes(lambda: fb_url)]
                                     + [r.path for r in data_api.routes()])
    assert {"/api/v1/figures.csv", "/api/v1/profile.csv", "/api/v1/events.ics"} <= {r.path for r in api}
    status, headers, body = _get(route)
    assert (status, body) == (200, {"status": "ready"})
    assert headers["cache-control"] == "no-store"
    assert _get(route, "HEAD")[0] == 200
    probe.close()


def test_no_extract_is_503_without_the_path(tmp_path, fb_url, caplog):
    empty = tmp_path / "no-extract"
    empty.mkdir()
    probe = ReadinessProbe(lambda: fb_url,
                           open_indicators=lambda: Store.open(empty, tmp_path / "i.duckdb"))
    route, *api = server_routes.routes(probe=probe)
    with caplog.at_level(logging.WARNING, "web.readiness"):
        status, _, body = _get(route)
    assert status == 503
    assert body == {"status": "unavailable", "reasons": [INDICATORS_DOWN]}
    assert str(tmp_path) not in json.dumps(body)
    assert "no extract found" in caplog.text  # the detail is in the log
    probe.close()


def test_a_store_with_no_figures_is_not_ready(tmp_path, fb_url):
    class Empty:
        def rows(self, *_):
            return [(0,)]

        def close(self):
            pass

    probe = ReadinessProbe(lambda: fb_url, open_indicators=Empty)
    assert probe.check().reasons == (NO_FIGURES,)
    probe.close()


def test_unreachable_feedback_store_is_503_without_host_or_secret(indicators, caplog):
    url = "postgresql://lis:s3cr3t-pw@127.0.0.1:9/lisdb?connect_timeout=1"
    probe = ReadinessProbe(lambda: url, open_indicators=indicators)
    route, *api = server_routes.routes(probe=probe)
    with caplog.at_level(logging.WARNING, "web.readiness"):
        status, _, body = _get(route)
    assert status == 503
    assert body["reasons"] == [FEEDBACK_DOWN]
    text = json.dumps(body)
    assert "127.0.0.1" not in text and "lis" not in text.replace("unavailable", "")
    assert "s3cr3t-pw" not in caplog.text
    probe.close()


def test_feedback_store_recovers_after_a_failure(indicators, tmp_path, fb_url):
    url = {"value": "postgresql://127.0.0.1:9/none?connect_timeout=1"}
    probe = ReadinessProbe(lambda: url["value"], open_indicators=indicators)
    assert not probe.check().ready
    url["value"] = fb_url
    assert probe.check().ready
    probe.close()


def test_a_hanging_check_answers_503_in_time(monkeypatch):
    release = threading.Event()

    class Slow:
        def check(self):
            release.wait(10)
            raise AssertionError("not reached in time")

    route = server_routes.Route("/ready", server_routes.ready_endpoint(Slow(), timeout_s=0.5))
    t0 = time.monotonic()
    status, _, body = _get(route)
    release.set()
    assert status == 503 and body["reasons"] == ["readiness check timed out"]
    assert time.monotonic() - t0 < 3


def test_server_routes_do_not_import_streamlit():
    import subprocess
    import sys

    code = "import sys, web.routes; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_lasting_failure_is_logged_once(indicators, caplog):
    probe = ReadinessProbe(lambda: "postgresql://127.0.0.1:9/none?connect_timeout=1", open_indicators=indicators)
    with caplog.at_level(logging.WARNING, "web.readiness"):
        for _ in range(3):
            assert not probe.check().ready
    assert caplog.text.count("not ready") == 1, caplog.text
    probe.close()


def test_not_ready_while_the_process_warms_up(indicators, tmp_path, fb_url):
    """A replica still importing the pages and building the display boundaries gets no sessions."""
    warm = []
    probe = ReadinessProbe(lambda: fb_url, open_indicators=indicators)
    route, *api = server_routes.routes(probe=probe, warm=lambda: bool(warm))
    status, headers, body = _get(route)
    assert (status, body) == (503, {"status": "unavailable", "reasons": [server_routes.WARMING_UP]})
    assert headers["cache-control"] == "no-store"
    warm.append(True)
    assert _get(route)[0] == 200
    probe.close()


def test_warm_up_builds_the_shared_map_data_once():
    from ui import data, warmup

    data.display_boundaries.clear()
    warmup.start()
    warmup._thread.join(120)  # noqa: SLF001
    assert warmup.done()
    built = []
    real = data.display_geometry.display_boundaries
    data.display_geometry.display_boundaries = lambda *a, **k: built.append(1) or real(*a, **k)
    try:
        assert data.display_boundaries()["features"]
    finally:
        data.display_geometry.display_boundaries = real
    assert built == [], "the first page run finds the display boundaries already built"

