"""End-to-end fixtures: the real Streamlit server on loopback and Debian's headless Chromium.

The browser is /usr/bin/chromium driven by Playwright through `executable_path` (no browser
download). Every request that is not to 127.0.0.1 is aborted, so the pages are shown to work with
no internet. Screenshots go to artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from scripts.serving import free_port, stop

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = os.environ.get("LIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


def _feedback_url(tmp: Path):
    """The server's feedback store: a fresh schema on the PostgreSQL server when one answers (so the
    command line can export while the server runs), else a DuckDB file. Returns (url, cleanup)."""
    import uuid

    import psycopg

    base = os.environ.get("LIS_TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test?user=postgres")
    schema = f"lis_e2e_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error:
        from lis_data import feedback

        url = f"sqlite://{tmp / 'feedback.sqlite'}"
        feedback.open_store(url, create=True).close()  # the set-up (`feedback init`); the server never creates it
        return url, lambda: None

    def drop():
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", drop


@contextmanager
def running_server(tmp: Path, env: dict | None = None, args: tuple[str, ...] = (), script: str = "app.py"):
    """`streamlit run app.py` on a free loopback port, started fresh (no session has run yet) with
    its own indicator store under `tmp`; yields {"url", "port", "proc", "log"}; stopped on exit."""
    port = free_port()
    env = {**os.environ, "LIS_STORE_PATH": str(tmp / "indicators.duckdb"),
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})}
    log_path = tmp / f"server-{port}.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"streamlit did not start; log:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield {"url": url, "port": port, "proc": proc, "log": log_path, "env": env}
    finally:
        stop(proc, 10)
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Start `streamlit run app.py` on a free loopback port with its own stores; yield its base URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium); .ci/run installs it")
    tmp = tmp_path_factory.mktemp("e2e")
    feedback_url, drop_schema = _feedback_url(tmp)
    try:
        with running_server(tmp, {"LIS_FEEDBACK_URL": feedback_url}) as srv:
            yield {"url": srv["url"], "env": srv["env"], "log": srv["log"], "feedback_url": feedback_url}
    finally:
        drop_schema()


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the process: its sync API refuses a second one while the first is open
    (it finds the first one's event loop running), so every browser is launched from this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        yield b
    finally:
        b.close()


def new_page(browser, width=1366, height=900):
    """A page in a fresh context whose requests beyond loopback are refused (the internet is
    disconnected); the refused URLs are kept on page.blocked."""
    blocked: list[str] = []

    def offline(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", "::1"):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort("internetdisconnected")

    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", offline)
    page = context.new_page()
    page.set_default_timeout(45_000)
    page.blocked = blocked
    return page


@pytest.fixture(scope="session")
def warm_server(server, browser):
    """Open "/" once, so the tests that follow find the server's caches filled (a fresh server's
    first request is tested on its own in test_e2e_first_request.py)."""
    page = new_page(browser)
    page.goto(server["url"] + "/")
    wait_for_app(page)
    page.context.close()
    return server


@pytest.fixture
def page(browser, warm_server):
    p = new_page(browser)
    yield p
    p.context.close()
    # The pages work offline: nothing a page loads may leave this machine.
    assert not p.blocked, f"requests beyond loopback: {p.blocked}"


def wait_for_app(page, settle_ms: int = 600) -> None:
    """Wait until the script has finished running and the page has settled."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    # The state reads "notRunning" for a moment after connecting, before the first run has drawn
    # anything: every page has a title, so wait for it too.
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, timeout=90_000)
    return path


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()
