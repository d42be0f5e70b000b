"""/j/CODE, the short join address a workshop's QR code encodes: a redirect to the sounding board
with the code, relative (so a dashboard served under a path prefix keeps it); a bad code is a 404
that does not echo it."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from starlette.routing import Router

from web import routes as server_routes
from coroutines import run_coroutine


def _get(path: str) -> SimpleNamespace:
    """One GET through the route, as the server would answer it (plain ASGI, no HTTP client)."""
    app = Router(routes=[r for r in server_routes.routes(lambda: None) if r.path == server_routes.JOIN_PATH])
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode("latin-1"), "query_string": b"",
             "headers": [], "root_path": ""}
    run_coroutine(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return SimpleNamespace(status_code=start["status"], text=body.decode("utf-8"),
                           headers={k.decode().lower(): v.decode() for k, v in start["headers"]})


def test_a_code_redirects_to_the_sounding_board_tagged_with_it():
    r = _get("/j/basingstoke-2026")
    assert r.status_code == 303
    assert r.headers["location"] == "../sounding-board?workshop=BASINGSTOKE-2026"
    assert r.headers["cache-control"] == "no-store"


def test_a_bad_code_is_refused_without_echoing_it():
    for bad in ("ab", "x" * 41, "<script>", "a\r\nSet-Cookie:x=1"):
        r = _get(f"/j/{bad}")
        assert r.status_code == 404 and "workshop code" in r.text
        assert "script" not in r.text and "Set-Cookie" not in r.headers.get("set-cookie", "")


def test_the_route_is_served_beside_ready():
    assert any(getattr(r, "path", None) == server_routes.JOIN_PATH for r in server_routes.routes(lambda: None))
