"""web/middleware.py, in a real server: a public session's websocket cannot clear the
server-wide caches, a message larger than the app needs closes the connection, and a missing
/static/ file is a 404, not the app's index.html."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

import pytest

from scripts.load_sessions import client_state
from scripts.serving import app_server
from coroutines import run_coroutine

PROBE = "tests/server/cache_probe_app.py"


async def _session(port: int, actions: list[str]) -> list[str]:
    """Open a websocket as a browser tab does and do `actions` in order: "run" (a rerun; its token
    is recorded), "clear" (Streamlit's "Clear cache" message). Returns the tokens seen."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    tokens: list[str] = []
    async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", origin=f"http://127.0.0.1:{port}",
                       subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], max_size=None) as ws:
        for action in actions:
            if action == "clear":
                msg = BackMsg()
                msg.clear_cache = True
                await ws.send(msg.SerializeToString())
                await asyncio.sleep(0.5)
                continue
            await ws.send(BackMsg(rerun_script=client_state(port, "/")).SerializeToString())
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
                kind = fwd.WhichOneof("type")
                if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    body = fwd.delta.new_element.markdown.body
                    if body.startswith("token-"):
                        tokens.append(body)
                elif kind == "script_finished":
                    break
    return tokens


def test_a_public_session_cannot_clear_the_server_caches():
    with app_server(PROBE, ready_path=None) as srv:
        first, second = run_coroutine(_session(srv["port"], ["run"])), run_coroutine(
            _session(srv["port"], ["run", "clear", "run"]))
        assert len(first) == 1 and second == [first[0], first[0]], (first, second)
        assert "'clear_cache' refused" in srv["log"].read_text()


def test_the_probe_sees_a_clear_without_the_middleware():
    """The control: the same server without server_middleware clears its caches for everyone."""
    with app_server(PROBE, ready_path=None, env={"LIS_PROBE_PLAIN": "1"}) as srv:
        tokens = run_coroutine(_session(srv["port"], ["run", "clear", "run"]))
        assert len(tokens) == 2 and tokens[0] != tokens[1], tokens


def _status(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_a_missing_static_file_is_404_and_a_real_one_is_served():
    import re

    with app_server(PROBE, ready_path=None) as srv:
        status, headers, page = _status(srv["url"] + "/")
        assert status == 200
        script = re.search(rb'src="\.?/?(static/js/[^"]+\.js)"', page)
        assert script, "no script in the page"
        status, headers, _ = _status(f"{srv['url']}/{script.group(1).decode()}")
        assert status == 200 and "immutable" in headers["cache-control"]
        for missing in ("/static/js/no-such-file.js", "/static/css/gone.css", "/static/",
                        "/static/../index.html", "/static/%2e%2e/index.html"):
            status, headers, body = _status(srv["url"] + missing)
            assert status in (400, 404), (missing, status)  # 400: Streamlit refuses a ".." path itself
            assert b"<html" not in body.lower() and "immutable" not in headers.get("cache-control", "")


@pytest.mark.parametrize("size_kib, closed", [(64, False), (1100, True)])
def test_a_websocket_message_larger_than_the_app_needs_closes_the_connection(size_kib, closed):
    """The largest message a browser sends is a rerun with the widget states: a comment is at most
    4,000 characters (16 kB in UTF-8). server.maxWidgetStateSize = 1 (MB) closes a connection that
    sends more (code 1009); Streamlit's default accepted 25 MB, and 200 MB frames were read."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    async def send_big(port: int) -> int | None:
        async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", origin=f"http://127.0.0.1:{port}",
                           subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], max_size=None) as ws:
            big = WidgetState(id="$$ID-0123456789abcdef-comment", string_value="x" * (size_kib * 1024))
            await ws.send(BackMsg(rerun_script=client_state(port, "/", widgets=[big])).SerializeToString())
            try:
                while True:
                    await asyncio.wait_for(ws.recv(), 30)
            except ConnectionClosed as exc:
                return exc.rcvd.code if exc.rcvd else None
            except TimeoutError:
                return None

    with app_server(PROBE, ready_path=None) as srv:
        code = run_coroutine(send_big(srv["port"]))
    assert (code == 1009) == closed, code
