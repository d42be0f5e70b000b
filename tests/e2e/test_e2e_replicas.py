"""Two replicas behind nginx, as README's Deployment section tells operators to run them.

nginx (Debian's package) runs as the test user with a configuration rendered from deploy/ by
deploy/render_nginx.py (pid, logs and temporary files in a temporary folder), on a free loopback
port; the replicas are `streamlit run app.py` on free loopback ports, sharing one indicator store
file (opened read-only) and a fresh PostgreSQL schema for feedback. Slow (two servers, a proxy and
several browser tabs): about a minute.
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
from conftest import (ROOT, _feedback_url, assert_no_exception, new_page, running_server,
                      screenshot, wait_for_app)
from test_e2e_feedback import _choose

from deploy.render_nginx import BROTLI_MODULES
from deploy.wait_ready import wait_ready
from scripts.serving import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str]]:
    req = urllib.request.Request(url, headers={"Cookie": f"lis_route={cookie}"} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, browser):
    if not os.path.exists(NGINX):
        pytest.skip("nginx is not installed (Debian package nginx); .ci/run installs it")
    tmp = tmp_path_factory.mktemp("replicas")
    feedback_url, drop_schema = _feedback_url(tmp)
    if not feedback_url.startswith("postgresql"):
        pytest.skip("replicas share feedback through PostgreSQL, and none answers at LIS_TEST_POSTGRES_URL")
    env = {"LIS_FEEDBACK_URL": feedback_url, "STREAMLIT_SERVER_COOKIE_SECRET": uuid.uuid4().hex * 2}
    try:
        with running_server(tmp, env) as a, running_server(tmp, env) as b:
            for replica in (a, b):  # as systemd's ExecStartPost does (deploy/wait_ready.py)
                ok, reason = wait_ready(replica["url"] + "/ready", 120)
                assert ok, f"replica not ready: {reason}\n{replica['log'].read_text()}"
            port = free_port()
            conf_dir = tmp / "nginx"
            subprocess.run([sys.executable, "deploy/render_nginx.py", "--standalone", str(conf_dir),
                            "--server-name", "127.0.0.1", "--listen", f"127.0.0.1:{port}",
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
                yield {"url": url, "a": a, "b": b, "cookie_a": to[a["port"]], "cookie_b": to[b["port"]],
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


def _tab(browser, cluster, cookie: str, width: int = 1366, height: int = 900):
    page = new_page(browser, width, height)
    page.context.add_cookies([{"name": "lis_route", "value": cookie, "url": cluster["url"]}])
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


def test_proxy_headers_and_readiness(cluster):
    status, headers = _get(cluster["url"] + "/ready")
    assert status == 200
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    # A first visit gets the routing cookie; an unknown Host is refused by the proxy.
    status, headers = _get(cluster["url"] + "/")
    assert status == 200 and headers["set-cookie"].startswith("lis_route=")
    # Streamlit's static files: cached for a year and compressed.
    req = urllib.request.Request(cluster["url"] + "/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, timeout=20) as r:
        html = r.read()
    import gzip
    import re
    script = re.search(rb'src="\.?/?(static/js/[^"]+\.js)"', gzip.decompress(html) if html[:2] == b"\x1f\x8b" else html)
    assert script, "no script in the page"
    req = urllib.request.Request(f"{cluster['url']}/{script.group(1).decode()}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, timeout=20) as r:
        assert r.headers["Content-Encoding"] == "gzip"
        assert "immutable" in r.headers["Cache-Control"]
    if all(m.exists() for m in BROTLI_MODULES):  # Debian's libnginx-mod-http-brotli-* (.ci/run installs them)
        req = urllib.request.Request(f"{cluster['url']}/{script.group(1).decode()}", headers={"Accept-Encoding": "br"})
        with urllib.request.urlopen(req, timeout=20) as r:
            assert r.headers["Content-Encoding"] == "br"
    bad = urllib.request.Request(cluster["url"] + "/", headers={"Host": "evil.example"})
    with pytest.raises(Exception):
        urllib.request.urlopen(bad, timeout=10)


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
        phone.goto(f"{cluster['url']}/sounding-board?priority=gateways&workshop={code}")
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
        presenter.goto(f"{cluster['url']}/workshop?priority=gateways&code={code}")
        wait_for_app(presenter)
        assert_no_exception(presenter)
        presenter.get_by_text(comment[:60], exact=False).first.wait_for(timeout=30_000)
        # The page works under the proxy's Content-Security-Policy: its charts draw.
        presenter.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
                                    timeout=30_000)
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
            tab.goto(f"{cluster['url']}/sounding-board?priority=housing&workshop={code}")
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
        after.goto(f"{cluster['url']}/sounding-board?priority=housing&workshop={code}")
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
    from lis_data.hub import validation as V
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
        item = V.validate_research({"title": title, "authors": "EM3", "published": "2026-06-01",
                                    "summary": "A study both replicas list.", "priorities": ["housing"],
                                    "licence": V.LICENCES[0], "added_by": "A. Staff"},
                                   priorities=["housing"], indicators=(), has_file=True)
        idea = V.validate_idea({"priority": "housing", "title": f"Shared idea {word[-4:]}",
                                "description": "An idea both replicas show and count support for.",
                                "indicators": ["affordability-ratio"], "submission_key": uuid.uuid4().hex},
                               priorities=["housing"], indicators=["affordability-ratio"])
        assert isinstance(item, V.ResearchItem) and isinstance(idea, V.IdeaItem), (item, idea)
        with feedback.open_store(cluster["feedback_url"]) as store:
            store.add_research(item, pdf_check.check_pdf(pdf), pdf, "study.pdf")
            idea_id = store.propose_idea(idea).id
        for n, cookie in enumerate((cluster["cookie_a"], cluster["cookie_b"]), start=1):
            tab = _tab(browser, cluster, cookie)
            tabs.append(tab)
            tab.goto(f"{cluster['url']}/research?q={word}")
            wait_for_app(tab)
            tab.get_by_text(title).first.wait_for(timeout=30_000)
            tab.goto(f"{cluster['url']}/ideas?id={idea_id}")
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
