"""How many bytes a page's first load sends: Streamlit's own websocket protocol, one fresh session.

    python scripts/page_weight.py --url http://127.0.0.1:8501 /innovation /towns
    python scripts/page_weight.py --start /innovation     # start the app on a free port, measure, stop it

A session does what a browser tab does on its first visit: it opens ws://HOST:PORT/_stcore/stream
(subprotocols "streamlit" and a placeholder token, Origin = the server), sends a BackMsg
rerun_script naming the page's url path and query string with no cached message hashes, and reads
ForwardMsgs until the run's script_finished. The size counted is the sum of the serialized
ForwardMsgs, i.e. before websocket compression; the elements are also counted by type, so the
report says where the bytes go (deck.gl map, Vega-Lite charts, dataframes...).

Only ever talks to 127.0.0.1. Used by tests/e2e/test_page_weight.py and scripts/benchmark.py
(section "weight"); needs the `websockets` package (requirements.txt, tests section).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the project's own modules (scripts.load_sessions, serving)
    sys.path.insert(0, str(ROOT))
LOOPBACK = ("127.0.0.1", "localhost")


@dataclass
class FirstLoad:
    """One page's first load: total bytes before compression, message count, bytes by element type."""

    page: str
    total_bytes: int = 0
    messages: int = 0
    by_element: Counter = field(default_factory=Counter)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False

    def summary(self) -> str:
        parts = ", ".join(f"{k} {v / 1000:.1f}" for k, v in self.by_element.most_common())
        return f"{self.page}: {self.total_bytes / 1000:.1f} kB in {self.messages} messages ({parts})"


def _element_kind(msg) -> str:
    kind = msg.WhichOneof("type")
    if kind != "delta":
        return kind or "other"
    delta = msg.delta
    if delta.WhichOneof("type") == "new_element":
        return delta.new_element.WhichOneof("type") or "element"
    return delta.WhichOneof("type") or "delta"


async def _first_load(port: int, page: str, timeout: float) -> FirstLoad:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from scripts.load_sessions import client_state
    from websockets.asyncio.client import connect

    path, _, query = page.partition("?")
    out = FirstLoad(page)
    done = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
    async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", origin=f"http://127.0.0.1:{port}",
                       subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], max_size=None,
                       open_timeout=timeout, close_timeout=2, compression=None) as ws:
        await ws.send(BackMsg(rerun_script=client_state(port, path, query)).SerializeToString())
        while True:
            raw = await asyncio.wait_for(ws.recv(), timeout)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            out.total_bytes += len(raw)
            out.messages += 1
            kind = _element_kind(msg)
            out.by_element[kind] += len(raw)
            if kind == "exception":
                el = msg.delta.new_element.exception
                out.exceptions.append(f"{el.type}: {el.message}"[:300])
            elif kind == "page_not_found":
                out.page_not_found = True
            elif kind == "script_finished" and msg.script_finished in done:
                return out


def first_load(url: str, page: str, timeout: float = 120) -> FirstLoad:
    """The first load of `page` ("/innovation", "/towns?d=E07000209") from the server at `url`
    (http://127.0.0.1:PORT) in a fresh session."""
    u = urlsplit(url)
    if u.scheme != "http" or u.hostname not in LOOPBACK or not u.port:
        raise ValueError(f"url {url!r}: expected http://127.0.0.1:PORT (this tool only talks to this machine)")
    def run() -> FirstLoad:
        return asyncio.run(_first_load(u.port, page, timeout))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    # Called from code that runs an event loop (Playwright's sync API does): use a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@contextmanager
def running_app(env: dict[str, str] | None = None, timeout: float = 90):
    """`streamlit run app.py` on a free loopback port with its own temporary stores
    (scripts/serving.py); yields its base url, and stops it on exit. The first visit ("/") is made
    here, so a page measured afterwards is not the server's very first script run."""
    from scripts.serving import app_server

    with app_server(env=env) as server:
        first_load(server["url"], "/", timeout)
        yield server["url"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("pages", nargs="+", help="url paths, each with an optional ?query (e.g. /innovation)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running server: http://127.0.0.1:PORT")
    where.add_argument("--start", action="store_true", help="start the app on a free loopback port for the run")
    args = p.parse_args(argv)

    def measure(url: str) -> int:
        bad = 0
        for page in args.pages:
            res = first_load(url, page)
            print(res.summary())
            for e in res.exceptions:
                print(f"  exception: {e}")
            bad += bool(res.exceptions)
        return 1 if bad else 0

    if args.start:
        with running_app() as url:
            return measure(url)
    return measure(args.url)


if __name__ == "__main__":
    sys.exit(main())
