"""Render deploy/nginx/lis-dashboard.conf for a set of replicas.

    # a site for Debian's nginx (/etc/nginx/sites-available/lis-dashboard)
    python3 deploy/render_nginx.py --server-name dashboard.example.org --tls \
        --replica 127.0.0.1:8501 --replica 127.0.0.1:8502 --listen 127.0.0.1:8080 > lis-dashboard

    # a complete nginx.conf that an ordinary user can run (`nginx -p DIR -c DIR/nginx.conf`), its
    # pid, logs and temporary files in DIR: what the tests and scripts/capacity.py run
    python3 deploy/render_nginx.py --standalone DIR --server-name 127.0.0.1 --listen 127.0.0.1:8080 \
        --replica 127.0.0.1:8501 --replica 127.0.0.1:8502

Standard library only. Every value is checked before it is written into the configuration.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "lis-dashboard.conf"
BROTLI_MODULES = (Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so"),
                  Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"))

SECURITY_HEADERS = """\
    add_header X-Content-Type-Options "nosniff" always;
    add_header Referrer-Policy "strict-origin-when-cross-origin" always;
    add_header X-Frame-Options "SAMEORIGIN" always;
    add_header Permissions-Policy "camera=(), microphone=(), geolocation=(), payment=()" always;
    add_header Cross-Origin-Opener-Policy "same-origin" always;
    # Streamlit's frontend needs inline styles, and Vega compiles chart expressions at run time.
    # An online base map (map_style) needs its tile host added to img-src and connect-src.
    add_header Content-Security-Policy "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'" always;"""

BROTLI = """\
    brotli on;
    brotli_comp_level 5;
    brotli_min_length 1024;
    brotli_types text/plain text/css application/javascript text/javascript application/json image/svg+xml application/wasm;"""

_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])"
_HOST_PORT = re.compile(rf"^{_HOST}:\d{{1,5}}$")
_LISTEN = re.compile(rf"^(?:{_HOST}:)?\d{{1,5}}$")
_SERVER_NAME = re.compile(rf"^(?:\*\.)?{_HOST}$")


def _check(pattern: re.Pattern, value: str, what: str) -> str:
    if not pattern.match(value):
        raise SystemExit(f"{what} {value!r} is not valid")
    return value


def render(replicas: list[str], server_names: list[str], listen: str, *, tls: bool = False,
           brotli: bool = False, max_fails: int = 1, fail_timeout_s: int = 10,
           debug_upstream_header: bool = False) -> str:
    if not replicas:
        raise SystemExit("give at least one --replica HOST:PORT")
    servers = "\n".join(
        f"    server {_check(_HOST_PORT, r, '--replica')} max_fails={max_fails} fail_timeout={fail_timeout_s}s;"
        for r in replicas)
    names = " ".join(_check(_SERVER_NAME, n, "--server-name") for n in server_names)
    values = {
        "UPSTREAM_SERVERS": servers,
        "LISTEN": _check(_LISTEN, listen, "--listen"),
        "SERVER_NAME": names,
        "COOKIE_SECURE": "; Secure" if tls else "",
        "SECURITY_HEADERS": SECURITY_HEADERS,
        "HSTS": '    add_header Strict-Transport-Security "max-age=31536000" always;' if tls else "",
        "BROTLI": BROTLI if brotli else "",
        # Tests only: says which replica answered. Never in production (it names internal addresses).
        "DEBUG_UPSTREAM": '    add_header X-Lis-Upstream $upstream_addr always;' if debug_upstream_header else "",
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    left = re.findall(r"\{\{[A-Z_]+\}\}", text)
    if left:
        raise SystemExit(f"template placeholders left unfilled: {left}")
    return text


def standalone(site: str, prefix: Path, brotli: bool) -> str:
    """A complete nginx.conf for an ordinary user: pid, logs and temporary files under `prefix`."""
    prefix = prefix.resolve()
    for sub in ("logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    modules = "".join(f"load_module {m};\n" for m in BROTLI_MODULES) if brotli else ""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    site = "\n".join("    " + line if line else line for line in site.splitlines())
    return f"""{modules}{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
{site}
}}
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--replica", action="append", default=[], help="HOST:PORT of an app process (repeat)")
    p.add_argument("--server-name", action="append", default=[], help="the public host name (repeat)")
    p.add_argument("--listen", default="80", help="[ADDRESS:]PORT nginx listens on (default 80)")
    p.add_argument("--tls", action="store_true", help="TLS ends here or before: Secure cookie and HSTS")
    p.add_argument("--brotli", choices=("auto", "on", "off"), default="auto",
                   help="brotli for static files (auto: when Debian's libnginx-mod-http-brotli-* is installed)")
    p.add_argument("--max-fails", type=int, default=1)
    p.add_argument("--fail-timeout", type=int, default=10, help="seconds a failed replica is skipped")
    p.add_argument("--standalone", type=Path, metavar="DIR", help="write DIR/nginx.conf, a complete configuration")
    p.add_argument("--debug-upstream-header", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--output", type=Path, help="write here instead of standard output")
    a = p.parse_args(argv)
    if not a.server_name:
        p.error("give --server-name (the host name browsers use; others are refused)")
    brotli = a.brotli == "on" or (a.brotli == "auto" and all(m.exists() for m in BROTLI_MODULES))
    site = render(a.replica, a.server_name, a.listen, tls=a.tls, brotli=brotli, max_fails=a.max_fails,
                  fail_timeout_s=a.fail_timeout, debug_upstream_header=a.debug_upstream_header)
    if a.standalone:
        out = standalone(site, a.standalone, brotli)
        target = a.output or a.standalone / "nginx.conf"
        target.write_text(out, encoding="utf-8")
        print(target)
        return 0
    if a.output:
        a.output.write_text(site, encoding="utf-8")
    else:
        sys.stdout.write(site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
