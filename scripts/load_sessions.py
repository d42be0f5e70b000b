"""Load generator: N sessions that open a page together and then change a filter, as browser tabs do.

    python3 scripts/load_sessions.py --url http://127.0.0.1:8501 --page /innovation --sessions 20 --reruns 1

Why not only ../shared/tools/st_load.py: on a rerun it sends the page hash of the ``new_session``
message, which for an app with ``st.navigation`` is the hash of the main script, with no page name.
Streamlit then runs the navigation's default page, so its "filter changes" of a priority page were
timed on the overview page (about 75 % of the server's time in scorecard.render during such a run).
A browser sends the hash the ``navigation`` message names (the page in view); this generator does
the same, and otherwise behaves like st_load.py: each session opens ws://127.0.0.1:PORT/_stcore/stream
(subprotocols "streamlit" and a placeholder token, Origin = the server, permessage-deflate offered),
sends BackMsg.rerun_script with the page's path and query, reads ForwardMsgs until script_finished,
then reruns --reruns times with the multiselect labelled --vary set to one option, a different one
for each session and rerun (option (session + rerun) mod count), sending the cached message hashes
it holds. A trivial app without navigation is driven identically (its page hash is new_session's).

Reported (JSON with --json, a summary on stdout): p50/p95/max of first loads and of reruns,
first-load bytes (serialized ForwardMsgs) and bytes on the wire, errors (exception elements,
compile errors, disconnects, timeouts), page_not_found messages, unfinished runs, and with --pid
the server's RSS. The summary's keys are st_load.py's, so scripts/serving.run_load reads either.
Only ever talks to 127.0.0.1; needs the `websockets` package (requirements.txt).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_SESSIONS, MAX_RERUNS = 200, 100


@dataclass
class Run:
    kind: str  # "first" or "rerun"
    secs: float
    bytes: int = 0
    wire: int = 0
    error: str | None = None
    page_not_found: int = 0
    title: str = ""  # the run's page title (its first h1): which page ran


@dataclass
class Session:
    """One simulated browser tab."""

    idx: int
    page: str
    vary_label: str
    timeout: float
    runs: list[Run] = field(default_factory=list)
    page_hash: str = ""
    query: str = ""
    vary: tuple[str, list[str]] | None = None
    cached: set[str] = field(default_factory=set)

    async def run(self, port: int, reruns: int, think: float) -> None:
        from websockets.asyncio.client import ClientConnection, connect
        from websockets.exceptions import WebSocketException

        class Counting(ClientConnection):
            wire = 0

            def data_received(self, data: bytes) -> None:
                self.wire += len(data)
                super().data_received(data)

        path, _, self.query = self.page.partition("?")
        t0, kind = time.perf_counter(), "first"
        try:
            async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", origin=f"http://127.0.0.1:{port}",
                               subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], max_size=None,
                               open_timeout=self.timeout, close_timeout=2, create_connection=Counting) as ws:
                await self._one(ws, port, path, "first", None, t0)
                for r in range(1, reruns + 1):
                    kind = "rerun"
                    await asyncio.sleep(think)
                    choice = self.vary[1][(self.idx + r) % len(self.vary[1])] if self.vary and self.vary[1] else None
                    await self._one(ws, port, path, "rerun", choice, time.perf_counter())
        except TimeoutError:
            self.runs.append(Run(kind, time.perf_counter() - t0, error="timeout"))
        except (WebSocketException, OSError) as exc:
            self.runs.append(Run(kind, time.perf_counter() - t0, error=f"disconnect: {type(exc).__name__}"))

    async def _one(self, ws, port: int, path: str, kind: str, choice: str | None, t0: float) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        done = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
        widgets = []
        if choice is not None and self.vary:
            widgets.append(WidgetState(id=self.vary[0]))
            widgets[0].string_array_value.data.append(choice)
        state = client_state(port, path, self.query, self.page_hash, self.cached, widgets)
        wire0, size, errors, not_found, title = ws.wire, 0, [], 0, ""
        await ws.send(BackMsg(rerun_script=state).SerializeToString())
        while True:
            raw = await asyncio.wait_for(ws.recv(), self.timeout)
            size += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)
            which = msg.WhichOneof("type")
            if which == "new_session" and not self.page_hash:
                self.page_hash = msg.new_session.page_script_hash
            elif which == "navigation" and msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash  # the page in view, as a browser keeps it
            elif which == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif which == "page_not_found":
                not_found += 1
            elif which == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                if el.WhichOneof("type") == "exception":
                    errors.append(f"{el.exception.type}: {el.exception.message}"[:300])
                elif el.WhichOneof("type") == "heading" and el.heading.tag == "h1" and not title:
                    title = el.heading.body
                elif el.WhichOneof("type") == "multiselect" and el.multiselect.label == self.vary_label:
                    self.vary = (el.multiselect.id, list(el.multiselect.options))
            elif which == "script_finished" and msg.script_finished in done:
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    errors.append("compile error")
                break
        self.runs.append(Run(kind, time.perf_counter() - t0, size, ws.wire - wire0, "; ".join(errors) or None,
                             not_found, title))


def client_state(port: int, path: str, query: str = "", page_hash: str = "", cached=(), widgets=(),
                 fragment: str | None = None):
    """The ClientState a browser tab sends with a rerun: the page by its hash once the server has
    named it (else by its url path), the query string, the widget states, the hashes of the cached
    messages it holds and, for a fragment's own rerun, the fragment. Shared by the project's
    protocol clients (this module, page_weight.py, poll_load.py)."""
    from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    state = ClientState(query_string=query, page_script_hash=page_hash,
                        page_name="" if page_hash else path.strip("/"),
                        widget_states=WidgetStates(widgets=list(widgets)), cached_message_hashes=sorted(cached),
                        context_info=ContextInfo(timezone="UTC", timezone_offset=0, locale="en-GB",
                                                 url=f"http://127.0.0.1:{port}{path}", is_embedded=False,
                                                 color_scheme="light"))
    if fragment:
        state.fragment_id = fragment
        state.is_auto_rerun = True
    return state


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _rss_kib(pid: int | None) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
    except (OSError, StopIteration, TypeError):
        return 0


def summarise(page: str, sessions: list[Session]) -> dict:
    runs = [r for s in sessions for r in s.runs]
    out: dict = {"errors": sum(1 for r in runs if r.error), "page_not_found": sum(r.page_not_found for r in runs),
                 "error_samples": sorted({r.error for r in runs if r.error})[:3],
                 "titles": {kind: sorted({r.title for r in runs if r.kind == kind}) for kind in ("first", "rerun")}}
    for kind in ("first", "rerun"):
        ok = [r for r in runs if r.kind == kind and not r.error]
        if ok:
            t = [r.secs for r in ok]
            out[f"{kind}_all"] = {"n": len(t), "p50": statistics.median(t), "p95": _pct(t, 0.95), "max": max(t)}
            out[f"{kind}_bytes"] = statistics.median(r.bytes for r in ok)
            out[f"{kind}_wire_bytes"] = statistics.median(r.wire for r in ok)
    return {page: out}


async def drive(port: int, page: str, sessions: int, reruns: int, timeout: float, duration: float,
                think: float = 0.0, vary: str = "Focus districts", pid: int | None = None) -> dict:
    """Run the sessions together (a burst) and summarise; runs not done within `duration` s are
    cancelled and counted as unfinished."""
    tabs = [Session(i, page, vary, timeout) for i in range(sessions)]
    peak = [_rss_kib(pid)]
    before = peak[0]

    async def sample():
        while True:
            peak[0] = max(peak[0], _rss_kib(pid))
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample()) if pid else None
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(t.run(port, reruns, think)) for t in tabs]
    _, pending = await asyncio.wait(tasks, timeout=duration)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    wall = time.perf_counter() - t0
    if sampler:
        sampler.cancel()
    finished = sum(len(t.runs) for t in tabs)
    after = _rss_kib(pid)
    return {"sessions": sessions, "reruns": reruns, "wall_s": wall,
            "unfinished_runs": sessions * (1 + reruns) - finished, "pages": summarise(page, tabs),
            "rss_kib": {"before": before, "peak": max(peak[0], after), "after": after}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:8501")
    p.add_argument("--page", default="/", help="the url path (with an optional ?query) every session opens")
    p.add_argument("--sessions", type=int, default=1)
    p.add_argument("--reruns", type=int, default=1)
    p.add_argument("--timeout", type=float, default=120, help="cap on one run, seconds")
    p.add_argument("--duration", type=float, default=600, help="cap on the whole load, seconds")
    p.add_argument("--think", type=float, default=0.0, help="pause before each rerun, seconds")
    p.add_argument("--vary", default="Focus districts", help="label of the multiselect the reruns change")
    p.add_argument("--pid", type=int, help="the server's process id, for its RSS")
    p.add_argument("--json", help="write the summary here too")
    a = p.parse_args(argv)
    u = urlsplit(a.url)
    if u.scheme != "http" or u.hostname not in ("127.0.0.1", "localhost") or not u.port:
        p.error("--url must be http://127.0.0.1:PORT (this tool only talks to this machine)")
    if not (1 <= a.sessions <= MAX_SESSIONS and 0 <= a.reruns <= MAX_RERUNS and 0 <= a.think <= 60
            and 0 < a.timeout and 0 < a.duration <= 3600):
        p.error(f"bounds: 1..{MAX_SESSIONS} sessions, 0..{MAX_RERUNS} reruns, think <= 60 s, duration <= 3600 s")
    result = asyncio.run(drive(u.port, a.page, a.sessions, a.reruns, a.timeout, a.duration, a.think, a.vary, a.pid))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(result, fh, indent=1)
    s = result["pages"][a.page]
    print(f"{a.page}: {a.sessions} sessions x (1 + {a.reruns}), wall {result['wall_s']:.1f} s, errors {s['errors']}, "
          f"unfinished {result['unfinished_runs']}")
    for key in ("first_all", "rerun_all"):
        if key in s:
            v = s[key]
            print(f"  {key:9s} n={v['n']:4d}  p50 {v['p50']:.3f} s  p95 {v['p95']:.3f} s  max {v['max']:.3f} s")
    return 1 if s["errors"] or result["unfinished_runs"] else 0


if __name__ == "__main__":
    sys.exit(main())
