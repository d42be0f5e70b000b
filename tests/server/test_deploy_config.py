"""deploy/render_nginx.py writes a configuration nginx accepts, and refuses values that would
inject directives into it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from deploy import render_nginx

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def test_rendered_configuration_passes_nginx_t(tmp_path):
    if not shutil.os.path.exists(NGINX):
        pytest.skip("nginx is not installed (Debian package nginx); .ci/run installs it")
    render_nginx.main(["--standalone", str(tmp_path), "--server-name", "127.0.0.1", "--listen", "127.0.0.1:18080",
                       "--replica", "127.0.0.1:18501", "--replica", "127.0.0.1:18502"])
    text = (tmp_path / "nginx.conf").read_text()
    assert "{{" not in text
    assert "hash $lis_route_key consistent;" in text and "X-Lis-Upstream" not in text
    out = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                          "-e", str(tmp_path / "logs" / "error.log")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("args", [
    ["--server-name", "example.org; return 200", "--replica", "127.0.0.1:8501"],
    ["--server-name", "example.org", "--replica", "127.0.0.1:8501 backup; include /etc/passwd"],
    ["--server-name", "example.org", "--replica", "127.0.0.1:8501", "--listen", "80 ssl; x"],
    ["--server-name", "example.org"],
])
def test_values_that_would_inject_directives_are_refused(args):
    with pytest.raises(SystemExit):
        render_nginx.main(args)


def test_tls_marks_the_cookie_secure_and_sends_hsts():
    text = render_nginx.render(["127.0.0.1:8501"], ["dashboard.example.org"], "80", tls=True)
    assert "SameSite=Lax; Secure" in text and "Strict-Transport-Security" in text
    assert "Strict-Transport-Security" not in render_nginx.render(["127.0.0.1:8501"], ["a.example"], "80")


# --- The rendered configuration in front of an upstream that echoes what it receives -------------

import json  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

from scripts.serving import free_port, stop  # noqa: E402


class _Echo(BaseHTTPRequestHandler):
    """Answers every request with the request headers it received, as JSON; `/static/missing.js`
    as Streamlit alone would (index.html, no-cache) and `/static/app.js` as a hashed asset."""

    def do_GET(self):  # noqa: N802
        body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if self.path == "/static/app.js":
            self.send_header("Cache-Control", "public, immutable, max-age=31536000")
        elif self.path.startswith("/static/") or self.path == "/ready":
            self.send_header("Cache-Control", "no-cache" if self.path.startswith("/static/") else "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    if not shutil.os.path.exists(NGINX):
        pytest.skip("nginx is not installed (Debian package nginx); .ci/run installs it")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    tmp = tmp_path_factory.mktemp("edge")
    port = free_port()
    render_nginx.main(["--standalone", str(tmp), "--server-name", "dash.test", "--tls", "--listen", f"127.0.0.1:{port}",
                       "--replica", f"127.0.0.1:{upstream.server_address[1]}", "--brotli", "off"])
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "logs" / "error.log"),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                _request(url, "/ready", port)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("nginx did not start: " + (tmp / "logs" / "error.log").read_text())
                time.sleep(0.2)
        yield {"url": url, "port": port}
    finally:
        stop(proc, 10)
        upstream.shutdown()


def _request(url: str, path: str, port: int, headers: dict | None = None):
    req = urllib.request.Request(url + path, headers={"Host": f"dash.test:{port}", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


FORGED = {"X-Forwarded-For": "203.0.113.7, 198.51.100.9", "X-Real-IP": "203.0.113.7",
          "X-Forwarded-Host": "evil.example", "Forwarded": "for=203.0.113.7"}


@pytest.mark.parametrize("path, extra", [
    ("/_stcore/stream", {"Upgrade": "websocket", "Connection": "Upgrade"}),  # the websocket location
    ("/sounding-board", {}),
    ("/static/app.js", {}),
    ("/ready", {}),
])
def test_every_location_passes_the_host_and_overwrites_forwarding_headers(edge, path, extra):
    status, _, body = _request(edge["url"], path, edge["port"], {**FORGED, **extra})
    assert status == 200
    seen = json.loads(body)
    # The host as the browser sent it, port included (the replica compares it with the Origin).
    assert seen["host"] == f"dash.test:{edge['port']}"
    # The proxy is the edge: a client's forwarding headers are replaced, never appended to.
    assert seen["x-forwarded-for"] == "127.0.0.1" and seen["x-real-ip"] == "127.0.0.1"
    assert seen["x-forwarded-proto"] == "http" and seen["x-forwarded-host"] == "dash.test"
    assert "forwarded" not in seen
    if extra:
        assert seen["upgrade"] == "websocket" and seen["connection"] == "upgrade"
    else:
        assert "upgrade" not in seen and seen.get("connection", "") in ("", "keep-alive")


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/static/missing.js", "/ready", "/no-such-page"])
def test_every_response_carries_hsts_the_routing_cookie_and_security_headers(edge, path):
    _, headers, _ = _request(edge["url"], path, edge["port"])
    assert headers["strict-transport-security"] == "max-age=31536000"
    assert headers["set-cookie"].startswith("lis_route=") and "Secure" in headers["set-cookie"]
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]


def test_the_proxy_keeps_the_replicas_caching(edge):
    """The replica marks hashed assets immutable and answers a missing file with no-cache (or 404,
    web/middleware.py); the proxy never turns the latter into a year-long immutable answer."""
    assert "immutable" in _request(edge["url"], "/static/app.js", edge["port"])[1]["cache-control"]
    assert _request(edge["url"], "/static/missing.js", edge["port"])[1]["cache-control"] == "no-cache"
    assert _request(edge["url"], "/ready", edge["port"])[1]["cache-control"] == "no-store"
