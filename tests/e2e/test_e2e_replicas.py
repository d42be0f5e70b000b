"""Two replicas behind nginx, as README's Deployment section tells operators to run them.

nginx (Debian's package) runs as the test user with a configuration rendered from deploy/ by
deploy/render_nginx.py (pid, logs and temporary files in a temporary folder), on a free loopback
port; the replicas are `streamlit run app.py` on free loopback ports, sharing one indicator store
file (opened read-only) and a fresh PostgreSQL schema for feedback. Slow (two servers, a proxy and
several browser tabs): a few minutes.

Under a real host name, as deployed: the proxy serves `dash.test` (Chromium resolves it to
127.0.0.1 with `--host-resolver-rules`; HTTP clients here send it as the Host header), the
replicas set `server.allowedHosts` to it and `trusted_proxy_hops = 1` with a staff password in
their secrets file, as README's Deployment and Security sections say.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from conftest import (CHROMIUM, CHROMIUM_ARGS, ROOT, _feedback_url, assert_no_exception, running_server,
                      screenshot, wait_for_app)
from test_e2e_feedback import _choose

from deploy.render_nginx import BROTLI_MODULES
from deploy.wait_ready import wait_ready
from scripts.serving import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "dash.test"
STAFF_PASSWORD = "replica staff password " + uuid.uuid4().hex[:8]
#: Addresses a client writes into X-Forwarded-For itself (TEST-NET-3, never a real client here).
FORGED = [f"203.0.113.{i}" for i in range(1, 9)]


def _get(url: str, cookie: str | None = None, headers: dict | None = None) -> tuple[int, dict[str, str]]:
    """A request to the proxy (the url's 127.0.0.1) as a browser at http://dash.test:PORT sends it."""
    port = url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
    sent = {"Host": f"{HOST}:{port}", **({"Cookie": f"lis_route={cookie}"} if cookie else {}), **(headers or {})}
    req = urllib.request.Request(url, headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}


@pytest.fixture(scope="module")
def browser(playwright):
    """Chromium that resolves dash.test to 127.0.0.1, as DNS would for a deployed host (launched
    from the session's one Playwright: conftest.py)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium); .ci/run installs it")
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                   args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"])
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, browser):
    if not os.path.exists(NGINX):
        pytest.skip("nginx is not installed (Debian package nginx); .ci/run installs it")
    tmp = tmp_path_factory.mktemp("replicas")
    feedback_url, drop_schema = _feedback_url(tmp)
    if not feedback_url.startswith("postgresql"):
        pytest.skip("replicas share feedback through PostgreSQL, and none answers at LIS_TEST_POSTGRES_URL")
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'staff_password = "{STAFF_PASSWORD}"\ntrusted_proxy_hops = 1\n', encoding="utf-8")
    env = {"LIS_FEEDBACK_URL": feedback_url, "STREAMLIT_SERVER_COOKIE_SECRET": uuid.uuid4().hex * 2,
           "STREAMLIT_SERVER_ALLOWED_HOSTS": HOST}
    args = ("--secrets.files", str(secrets))
    try:
        with running_server(tmp, env, args) as a, running_server(tmp, env, args) as b:
            for replica in (a, b):  # as systemd's ExecStartPost does (deploy/wait_ready.py)
                ok, reason = wait_ready(replica["url"] + "/ready", 120)
                assert ok, f"replica not ready: {reason}\n{replica['log'].read_text()}"
            port = free_port()
            conf_dir = tmp / "nginx"
            subprocess.run([sys.executable, "deploy/render_nginx.py", "--standalone", str(conf_dir),
                            "--server-name", HOST, "--listen", f"127.0.0.1:{port}",
                            "--replica", f"127.0.0.1:{a['port']}", "--replica", f"127.0.0.1:{b['port']}",
                            "--debug-upstream-header"], cwd=ROOT, check=True, capture_output=True)
            proxy = subprocess.Popen([NGINX, "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf"),
                                      "-e", str(conf_dir / "logs" / "error.log"), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            try:
                url = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 20
                while _try(url + "/_stcore/health") != 200:
                    if proxy.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("nginx did not start: " + (conf_dir / "logs" / "error.log").read_text())
                    time.sleep(0.2)
                # Which routing cookie lands on which replica (nginx hashes it; the test-only
                # X-Lis-Upstream header says where a request went).
                to: dict[int, str] = {}
                for i in range(200):
                    _, headers = _get(url + "/_stcore/health", f"probe{i}")
                    to.setdefault(int(headers["x-lis-upstream"].rsplit(":", 1)[1]), f"probe{i}")
                    if len(to) == 2:
                        break
                assert set(to) == {a["port"], b["port"]}, to
                yield {"url": url, "site": f"http://{HOST}:{port}", "a": a, "b": b,
                       "cookie_a": to[a["port"]], "cookie_b": to[b["port"]],
                       "feedback_url": feedback_url, "nginx_dir": conf_dir}
            finally:
                proxy.terminate()
                proxy.wait(10)
    finally:
        drop_schema()


def _try(url: str) -> int | None:
    try:
        return _get(url)[0]
    except OSError:
        return None


def _tab(browser, cluster, cookie: str, width: int = 1366, height: int = 900, headers: dict | None = None):
    """A tab at http://dash.test:PORT routed by `cookie`, sending `headers` with every request (the
    websocket's handshake included); requests to any other host are refused (no internet)."""
    from urllib.parse import urlparse

    blocked: list[str] = []

    def offline(route):
        if urlparse(route.request.url).hostname == HOST:
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort("internetdisconnected")

    context = browser.new_context(viewport={"width": width, "height": height}, extra_http_headers=headers or {})
    context.route("**/*", offline)
    context.add_cookies([{"name": "lis_route", "value": cookie, "url": cluster["site"]}])
    page = context.new_page()
    page.set_default_timeout(45_000)
    page.blocked = blocked
    return page


def _fill(page, comment: str) -> None:
    _choose(page, "You are responding as", "Resident")
    page.locator("textarea").first.fill(comment)


def _send_button(page):
    import re
    return page.get_by_role("button", name=re.compile("Send to the LEP"))


def _reference(page) -> str | None:
    import re
    found = re.search(r"SB-[A-Z0-9]{6}", page.locator('[data-testid="stMain"]').inner_text())
    return found.group(0) if found else None


def _stored_comments(cluster, code: str) -> set[str]:
    from lis_data import feedback

    with feedback.open_store(cluster["feedback_url"]) as store:
        return set(store.list(workshop_code=code, include_hidden=True)["comment"])


def _host(cluster) -> dict[str, str]:
    return {"Host": f"{HOST}:{cluster['url'].rsplit(':', 1)[1]}"}


def test_proxy_headers_and_readiness(cluster):
    status, headers = _get(cluster["url"] + "/ready")
    assert status == 200
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    assert headers["set-cookie"].startswith("lis_route=")  # on /ready too
    # A first visit gets the routing cookie; an unknown Host is refused by the proxy.
    status, headers = _get(cluster["url"] + "/")
    assert status == 200 and headers["set-cookie"].startswith("lis_route=")
    # Streamlit's static files: cached for a year and compressed.
    req = urllib.request.Request(cluster["url"] + "/", headers={"Accept-Encoding": "gzip", **_host(cluster)})
    with urllib.request.urlopen(req, timeout=20) as r:
        html = r.read()
    import gzip
    import re
    script = re.search(rb'src="\.?/?(static/js/[^"]+\.js)"', gzip.decompress(html) if html[:2] == b"\x1f\x8b" else html)
    assert script, "no script in the page"
    req = urllib.request.Request(f"{cluster['url']}/{script.group(1).decode()}",
                                 headers={"Accept-Encoding": "gzip", **_host(cluster)})
    with urllib.request.urlopen(req, timeout=20) as r:
        assert r.headers["Content-Encoding"] == "gzip"
        assert "immutable" in r.headers["Cache-Control"]
        assert r.headers["Set-Cookie"].startswith("lis_route=")
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    if all(m.exists() for m in BROTLI_MODULES):  # Debian's libnginx-mod-http-brotli-* (.ci/run installs them)
        req = urllib.request.Request(f"{cluster['url']}/{script.group(1).decode()}",
                                     headers={"Accept-Encoding": "br", **_host(cluster)})
        with urllib.request.urlopen(req, timeout=20) as r:
            assert r.headers["Content-Encoding"] == "br"
    # A static file the frontend does not have: 404, not index.html cached for a year.
    status, headers = _get(cluster["url"] + "/static/js/no-such-file.1234abcd.js")
    assert status == 404 and "immutable" not in headers.get("cache-control", "")
    bad = urllib.request.Request(cluster["url"] + "/", headers={"Host": "evil.example"})
    with pytest.raises(Exception):
        urllib.request.urlopen(bad, timeout=10)


def _replica_logs(cluster) -> str:
    return cluster["a"]["log"].read_text() + cluster["b"]["log"].read_text()


def test_the_app_loads_under_its_host_name_with_allowed_hosts_set(browser, cluster):
    """The websocket reaches the replica with Host dash.test:PORT, which server.allowedHosts and
    the Origin check accept (before: Host lis_dashboard, refused, and the page never loaded)."""
    for cookie in (cluster["cookie_a"], cluster["cookie_b"]):
        page = _tab(browser, cluster, cookie)
        try:
            page.goto(f"{cluster['site']}/innovation")
            wait_for_app(page)
            assert_no_exception(page)
            page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
                                   timeout=45_000)
            assert not page.blocked, page.blocked
            if cookie == cluster["cookie_a"]:
                screenshot(page, "replicas-dash-test-innovation", full_page=False)
        finally:
            page.context.close()
    assert "Rejecting WebSocket" not in _replica_logs(cluster)


def _attempt(browser, cluster, path: str, label: str, button: str, entered: str, forged: str) -> str:
    """A new tab on replica A whose every request claims X-Forwarded-For: `forged`; type `entered`
    into the field `label`, press `button`, return the page's text."""
    import re

    page = _tab(browser, cluster, cluster["cookie_a"], headers={"X-Forwarded-For": forged})
    try:
        page.goto(f"{cluster['site']}{path}")
        wait_for_app(page)
        page.get_by_label(label).fill(entered)
        page.get_by_role("button", name=re.compile(button)).click()
        wait_for_app(page)
        assert_no_exception(page)
        return page.locator('[data-testid="stMain"]').inner_text()
    finally:
        page.context.close()


def test_forged_forwarded_for_is_not_the_client_and_the_staff_limit_holds(browser, cluster):
    """Six wrong staff passwords, each from a different forged X-Forwarded-For: all are counted
    against the one real client (127.0.0.1, the proxy's view), so the right password is then not
    even checked. (Before: the websocket carried the client's own header, each forged address had
    its own allowance, and the right password was accepted after any number of guesses.)"""
    for forged in FORGED[:6]:
        text = _attempt(browser, cluster, "/staff", "Staff password", "Open the staff page",
                        f"wrong-{uuid.uuid4().hex[:8]}", forged)
        assert "not right" in text or "Too many" in text, text
    text = _attempt(browser, cluster, "/staff", "Staff password", "Open the staff page", STAFF_PASSWORD, FORGED[6])
    assert "Too many wrong passwords" in text, text
    log = cluster["a"]["log"].read_text()
    assert "wrong password from address 127.0.0.1" in log
    assert not any(f in log for f in FORGED), "a forged address was taken for the client's"


def test_the_workshop_pin_limit_holds_across_forged_addresses(browser, cluster):
    from lis_data import feedback

    code, pin = f"PIN-{uuid.uuid4().hex[:6].upper()}", "right-pin-" + uuid.uuid4().hex[:6]
    with feedback.open_store(cluster["feedback_url"]) as store:
        store.open_workshop(code, pin=pin, hold_comments=True)
    for forged in FORGED[:6]:
        text = _attempt(browser, cluster, f"/facilitate?code={code}", "Workshop PIN", "Open the facilitator view",
                        f"wrong-{uuid.uuid4().hex[:6]}", forged)
        assert "not right" in text or "Too many" in text, text
    text = _attempt(browser, cluster, f"/facilitate?code={code}", "Workshop PIN", "Open the facilitator view",
                    pin, FORGED[7])
    assert "Too many wrong PINs" in text, text
    assert not any(f in cluster["a"]["log"].read_text() for f in FORGED)


def test_a_comment_sent_through_replica_a_shows_on_replica_b(browser, cluster):
    code = f"REPL-{uuid.uuid4().hex[:6].upper()}"
    comment = f"Rail links from Basingstoke to the south coast need the evidence base too {code}."
    # A workshop opened without "hold comments for approval", so a comment goes straight to the
    # projector (moderation has its own browser test, test_e2e_workshop_polls.py).
    from lis_data import feedback

    with feedback.open_store(cluster["feedback_url"]) as store:
        store.open_workshop(code, hold_comments=False)
    phone = _tab(browser, cluster, cluster["cookie_a"], 390, 844)
    try:
        phone.goto(f"{cluster['site']}/sounding-board?priority=gateways&workshop={code}")
        wait_for_app(phone)
        assert_no_exception(phone)
        _fill(phone, comment)
        _send_button(phone).click()
        wait_for_app(phone)
        assert _reference(phone), "no reference shown"
        assert not phone.blocked, phone.blocked
    finally:
        phone.context.close()
    presenter = _tab(browser, cluster, cluster["cookie_b"])
    try:
        presenter.goto(f"{cluster['site']}/workshop?priority=gateways&code={code}")
        wait_for_app(presenter)
        assert_no_exception(presenter)
        # The page works under the proxy's Content-Security-Policy: its charts draw.
        presenter.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
                                    timeout=30_000)
        with feedback.open_store(cluster["feedback_url"]) as store:
            store.drive_projector(code, slide="wall")  # as the facilitator does: the projector follows
        presenter.get_by_text(comment[:60], exact=False).first.wait_for(timeout=30_000)
        screenshot(presenter, "replicas-workshop-on-b", full_page=False)
        assert not presenter.blocked, presenter.blocked
    finally:
        presenter.context.close()
    # Replica B's live panel read it from the shared PostgreSQL table, where it is stored once.
    assert _stored_comments(cluster, code) == {comment}


def test_replica_a_killed_mid_load_loses_nothing_acknowledged(browser, cluster):
    code = f"KILL-{uuid.uuid4().hex[:6].upper()}"
    tabs, comments = [], []
    try:
        for i in range(4):
            tab = _tab(browser, cluster, cluster["cookie_a"], 390, 844)
            tab.goto(f"{cluster['site']}/sounding-board?priority=housing&workshop={code}")
            wait_for_app(tab)
            comments.append(f"Comment {i} on housing costs near the stations, sent as replica A dies {code}.")
            _fill(tab, comments[-1])
            tabs.append(tab)
        for i, tab in enumerate(tabs):
            _send_button(tab).click(no_wait_after=True)
            if i == 1:
                os.kill(cluster["a"]["proc"].pid, signal.SIGKILL)  # mid-load: two sent, two to come
        cluster["a"]["proc"].wait(10)
        time.sleep(3)
        acknowledged = {c for c, tab in zip(comments, tabs) if _reference(tab)}
        # A new session with replica A's cookie is served by B, and its comment is stored.
        after = _tab(browser, cluster, cluster["cookie_a"], 390, 844)
        tabs.append(after)
        _, headers = _get(cluster["url"] + "/_stcore/health", cluster["cookie_a"])
        assert headers["x-lis-upstream"].endswith(f":{cluster['b']['port']}"), headers
        after.goto(f"{cluster['site']}/sounding-board?priority=housing&workshop={code}")
        wait_for_app(after)
        assert_no_exception(after)
        late = f"Sent after replica A died, through the same proxy {code}."
        _fill(after, late)
        _send_button(after).click()
        wait_for_app(after)
        assert _reference(after), "the surviving replica did not acknowledge"
        acknowledged.add(late)
        stored = _stored_comments(cluster, code)
        assert acknowledged <= stored, f"acknowledged but lost: {acknowledged - stored}"
        assert stored <= set(comments) | {late}
    finally:
        for tab in tabs:
            tab.context.close()


def test_replicas_share_the_research_library_and_ideas(browser, cluster):
    """The LIS hub's library (with its PDFs) and ideas live in the shared store: a document added once
    is found by a word of its PDF's body through either replica, and an idea supported from a tab on
    replica A and one on replica B counts both. Replica A, killed by the test before, is started
    again on its port first, as systemd would."""
    import re

    import weasyprint

    from lis_data import feedback
    from lis_data.hub import pdf_check
    from lis_data.hub import validation as hub_validation
    from scripts.serving import stop

    a = cluster["a"]
    restarted = None
    if a["proc"].poll() is not None:
        restarted = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(a["port"]), "--server.headless", "true"],
            cwd=ROOT, env=a["env"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    tabs = []
    try:
        ok, reason = wait_ready(a["url"] + "/ready", 120)
        assert ok, reason
        deadline = time.monotonic() + 40  # nginx skips a failed replica for 10 s
        while not _get(cluster["url"] + "/_stcore/health", cluster["cookie_a"])[1].get(
                "x-lis-upstream", "").endswith(f":{a['port']}"):
            assert time.monotonic() < deadline, "the proxy never routed to the restarted replica A"
            time.sleep(1)
        word = f"qv{uuid.uuid4().hex[:8]}"
        title = f"Replicated study {word[-4:]}"
        pdf = weasyprint.HTML(string=f"<p>The body alone says {word}.</p>").write_pdf()
        item = hub_validation.validate_research({"title": title, "authors": "EM3", "published": "2026-06-01",
                                                 "summary": "A study both replicas list.", "priorities": ["housing"],
                                                 "licence": hub_validation.LICENCES[0], "added_by": "A. Staff"},
                                   priorities=["housing"], indicators=(), has_file=True)
        idea = hub_validation.validate_idea({"priority": "housing", "title": f"Shared idea {word[-4:]}",
                                             "description": "An idea both replicas show and count support for.",
                                             "indicators": ["affordability-ratio"], "submission_key": uuid.uuid4().hex},
                               priorities=["housing"], indicators=["affordability-ratio"])
        assert isinstance(item, hub_validation.ResearchItem) and isinstance(idea, hub_validation.IdeaItem), (item, idea)
        with feedback.open_store(cluster["feedback_url"]) as store:
            store.add_research(item, pdf_check.check_pdf(pdf), pdf, "study.pdf")
            idea_id = store.propose_idea(idea).id
        for n, cookie in enumerate((cluster["cookie_a"], cluster["cookie_b"]), start=1):
            tab = _tab(browser, cluster, cookie)
            tabs.append(tab)
            tab.goto(f"{cluster['site']}/research?q={word}")
            wait_for_app(tab)
            tab.get_by_text(title).first.wait_for(timeout=30_000)
            tab.goto(f"{cluster['site']}/ideas?id={idea_id}")
            wait_for_app(tab)
            tab.get_by_role("button", name="Support this idea").click()
            tab.get_by_text("your support is counted").wait_for(timeout=30_000)
            supporters = tab.evaluate("""() => { for (const m of document.querySelectorAll('[data-testid="stMetric"]'))
                { if (m.innerText.includes('Supporters')) return m.querySelector('[data-testid="stMetricValue"]').innerText.trim(); }
                return null; }""")
            assert supporters == str(n), (cookie, supporters)
            assert_no_exception(tab)
            assert not tab.blocked, tab.blocked
        served = {re.sub(r".*:", "", _get(cluster["url"] + "/_stcore/health", c)[1]["x-lis-upstream"])
                  for c in (cluster["cookie_a"], cluster["cookie_b"])}
        assert served == {str(a["port"]), str(cluster["b"]["port"])}
    finally:
        for tab in tabs:
            tab.context.close()
        if restarted is not None:
            stop(restarted, 10)
