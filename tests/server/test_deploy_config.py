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
