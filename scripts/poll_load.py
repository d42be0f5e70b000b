"""Load test of a workshop poll on the real server: N phones join through the short address
/j/CODE, open the poll and answer within a minute; every answer must be stored once and the
projector must show the final count within 3 s of the last answer.

What it does:

1. Starts `streamlit run app.py` on a free loopback port with its own stores in a temporary folder
   (an SQLite feedback store, the default, unless --feedback-url names another, e.g. PostgreSQL),
   opens a workshop and a poll ("How is the area doing?" about --priority) in that store.
2. Puts the poll on the projector (the workshop's state, as the facilitator does) and opens the
   projector, /workshop?code=CODE, in Debian's headless Chromium (Playwright, /usr/bin/chromium):
   the real page with its one-second live fragment.
3. Starts --phones sessions over --ramp seconds, each speaking Streamlit's websocket protocol as a
   browser tab does (the approach of ../shared/tools/st_load.py): it asks for /j/CODE, follows the
   redirect to the phone page (/sounding-board?workshop=CODE), loads it, answers the poll's fragment's automatic reruns while
   its person "thinks" (a random 1 to --think seconds), then picks an answer and presses "Send my
   answer" (the radio's and the button's widget states in one rerun), and waits for "your answer
   is counted". Each session is a new device (no cookie), as 100 phones are.
4. Checks the store: one answer row per phone, each answer key once, one counted answer per device;
   and times how long after the last acknowledged answer the projector's "answers so far" showed N.

    python3 scripts/poll_load.py [--phones 100] [--ramp 30] [--think 20] [--json out.json]

Exit status 1 when an answer failed or was not stored exactly once, or the projector was later
than --projector-limit seconds (3). Figures measured on a shared machine are provisional.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.load_sessions import client_state  # noqa: E402
from scripts.serving import app_server, cpu_seconds  # noqa: E402

CHROMIUM = os.environ.get("LIS_CHROMIUM", "/usr/bin/chromium")
OPTIONS = ("Much worse than England", "Worse than England", "About the same as England", "Better than England",
           "Much better than England")


class Phone:
    """One phone: a websocket session of the sounding-board page."""

    def __init__(self, idx: int, port: int, code: str, think: float, done: asyncio.Event, results: list):
        self.idx, self.port, self.code, self.think, self.done, self.results = idx, port, code, think, done, results
        self.path, self.query = "", ""
        self.page_hash, self.cached, self.radio, self.button, self.fragment = "", set(), None, None, None
        self.interval = None
        self.settled, self.acked_at = False, None  # answered (or failed); when the answer was acknowledged

    def _state(self, widgets=(), fragment: str | None = None):
        return client_state(self.port, self.path, self.query, self.page_hash, self.cached, widgets, fragment)

    def _join(self) -> None:
        """GET /j/CODE as a phone that scanned the QR code: the page and query it is sent to."""
        import urllib.error
        import urllib.request
        from urllib.parse import urljoin, urlsplit

        class NoFollow(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        join = f"http://127.0.0.1:{self.port}/j/{self.code}"
        try:
            urllib.request.build_opener(NoFollow).open(join, timeout=60)
            raise RuntimeError("/j/CODE did not redirect")
        except urllib.error.HTTPError as exc:
            if exc.code != 303:
                raise
            target = urlsplit(urljoin(join, exc.headers["Location"]))
        self.path, self.query = target.path, target.query

    async def _run(self, ws, state) -> list[str]:
        """Send one rerun; read until the run finishes; return the alert texts drawn."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        await ws.send(BackMsg(rerun_script=state).SerializeToString())
        alerts = []
        self.kinds = []
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
            kind = msg.WhichOneof("type")
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)
            if kind == "navigation" and msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash  # the page shown, as the browser keeps it
            elif kind == "auto_rerun":
                self.interval, self.fragment = msg.auto_rerun.interval, msg.auto_rerun.fragment_id
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                what = el.WhichOneof("type")
                self.kinds.append(what)
                if what == "radio" and el.radio.label == "Your answer":
                    self.radio = el.radio.id
                elif what == "button" and el.button.label == "Send my answer":
                    self.button = el.button.id
                elif what == "alert":
                    alerts.append(el.alert.body)
                elif what == "exception":
                    alerts.append("exception: " + el.exception.message)
            elif kind == "script_finished" and msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                                                       ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                                                                       ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                return alerts

    async def _tick(self, ws, until: float) -> int:
        """Answer the fragment's automatic reruns, as the browser does, until `until`."""
        n = 0
        while self.interval and self.fragment and time.monotonic() + self.interval < until:
            await asyncio.sleep(self.interval)
            await self._run(ws, self._state(fragment=self.fragment))
            n += 1
        await asyncio.sleep(max(0.0, until - time.monotonic()))
        return n

    async def run(self) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState
        from websockets.asyncio.client import connect

        rec = {"phone": self.idx, "error": None}
        t0 = time.monotonic()
        try:
            await asyncio.to_thread(self._join)
            rec["joined_path"] = f"{self.path}?{self.query}"
            async with connect(f"ws://127.0.0.1:{self.port}/_stcore/stream", origin=f"http://127.0.0.1:{self.port}",
                               subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], max_size=None,
                               open_timeout=60, close_timeout=2) as ws:
                await self._run(ws, self._state())
                rec["load_s"] = time.monotonic() - t0
                if not (self.radio and self.button):
                    raise RuntimeError("the poll was not on the phone page")
                rec["fragment_reruns"] = await self._tick(ws, time.monotonic() + self.think)
                choice = OPTIONS[self.idx % len(OPTIONS)]
                rec["rating"] = OPTIONS.index(choice) + 1
                t1 = time.monotonic()
                alerts = await self._run(ws, self._state([WidgetState(id=self.radio, string_value=choice),
                                                          WidgetState(id=self.button, trigger_value=True)]))
                rec["answer_s"] = time.monotonic() - t1
                if not any("answer is counted" in a for a in alerts):
                    raise RuntimeError(f"no acknowledgement: {alerts[:2]} {getattr(self, 'kinds', [])[-12:]}")
                rec["acked_at"] = self.acked_at = time.time()
                self.settled = True
                while not self.done.is_set():  # stay on the page, refreshing, until all have answered
                    await self._tick(ws, time.monotonic() + (self.interval or 4) + 0.01)
        except Exception as exc:  # noqa: BLE001 - every failure is a result
            rec["error"] = f"{type(exc).__name__}: {exc}"[:300]
        self.settled = True
        self.results.append(rec)


async def drive(port: int, code: str, phones: int, ramp: float, think: float, projector,
                timeline: list) -> tuple[list, float | None, float]:
    """Run the phones; return their records and when the projector first showed every answer."""
    done, results = asyncio.Event(), []
    sessions = [Phone(i, port, code, random.uniform(1, think), done, results) for i in range(phones)]

    async def start(i: int, s: Phone):
        await asyncio.sleep(ramp * i / max(1, phones))
        await s.run()

    tasks = [asyncio.create_task(start(i, s)) for i, s in enumerate(sessions)]
    seen_full = None
    t_start = time.time()
    timeline.append((0.0, 0))
    while True:
        settled = sum(1 for s in sessions if s.settled)
        count = await asyncio.to_thread(projector)
        if count != timeline[-1][1]:
            timeline.append((round(time.time() - t_start, 2), count))
        if count == phones and seen_full is None:
            seen_full = time.time()
        if settled == phones:
            break
        await asyncio.sleep(0.2)
    acks = [s.acked_at for s in sessions if s.acked_at]
    give_up = (max(acks) if acks else time.time()) + 30
    while seen_full is None and time.time() < give_up:
        count = await asyncio.to_thread(projector)
        if count != timeline[-1][1]:
            timeline.append((round(time.time() - t_start, 2), count))
        if count == phones:
            seen_full = time.time()
            break
        await asyncio.sleep(0.2)
    done.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return results, seen_full, t_start


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(q * len(ordered) + 0.5)) - 1)] if ordered else float("nan")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--phones", type=int, default=100)
    p.add_argument("--ramp", type=float, default=30.0, help="seconds over which the phones open the page")
    p.add_argument("--think", type=float, default=20.0, help="longest pause before answering, seconds")
    p.add_argument("--priority", default="housing")
    p.add_argument("--feedback-url", help="feedback store for the server (default: a new SQLite file)")
    p.add_argument("--projector-limit", type=float, default=3.0)
    p.add_argument("--json", help="write the figures here")
    a = p.parse_args(argv)
    if not 1 <= a.phones <= 200 or a.ramp < 0 or a.think < 1 or a.ramp + a.think > 600:
        p.error("1..200 phones; ramp + think at most 600 s")

    from playwright.sync_api import sync_playwright

    from lis_data.feedback import open_store

    tmp = Path(tempfile.mkdtemp(prefix="poll-load-"))
    feedback_url = a.feedback_url or f"sqlite://{tmp / 'feedback.sqlite'}"
    code = f"LOAD-{int(time.time())}"
    with open_store(feedback_url) as store:
        store.open_workshop(code, "load-test-pin")
        poll = store.open_poll(code, "performance", a.priority)
        store.drive_projector(code, slide="poll", priority=a.priority, indicators=[], vintage="poll-load")
    figures: dict = {"phones": a.phones, "ramp_s": a.ramp, "think_max_s": a.think, "store": feedback_url.split(":")[0]}
    # The priority pages' warm-up (LIS_WARM_VIEWS) is not what a poll needs: skipped unless asked for.
    env = {"LIS_FEEDBACK_URL": feedback_url, "LIS_WARM_VIEWS": os.environ.get("LIS_WARM_VIEWS", "0")}
    with app_server("app.py", env=env, store_dir=tmp) as server, \
            sync_playwright() as pw:
        url, port, pid = server["url"], server["port"], server["pid"]
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(f"{url}/")  # the first run of a fresh server goes through legacy page discovery
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=120_000)
        page.goto(f"{url}/workshop?code={code}")
        count_selector = ".em3-bignum[data-key='poll-count'] .em3-big"
        page.wait_for_selector(count_selector, timeout=120_000)

        js = f"""() => {{ const e = document.querySelector("{count_selector}");
                   return e ? parseInt(e.innerText.trim()) : -1; }}"""

        # Playwright's sync API must stay on this thread: the phones run in an event loop on
        # another one and ask for the projector's figure through a queue.
        import queue
        import threading

        asks: queue.Queue = queue.Queue()

        def projector() -> int:
            reply: queue.Queue = queue.Queue()
            asks.put(reply)
            return reply.get()

        box: dict = {}
        timeline: list = []
        cpu0, load0 = cpu_seconds(pid), os.getloadavg()[0]

        def loop():
            t0 = time.monotonic()
            box["out"] = asyncio.run(drive(port, code, a.phones, a.ramp, a.think, projector, timeline))
            box["wall"] = time.monotonic() - t0
            asks.put(None)

        worker = threading.Thread(target=loop)
        worker.start()
        while True:
            reply = asks.get()
            if reply is None:
                break
            try:
                reply.put(page.evaluate(js))
            except Exception:  # noqa: BLE001 - the page is between renders
                reply.put(-1)
        worker.join()
        results, seen_full, t_start = box["out"]
        cpu_used = cpu_seconds(pid) - cpu0
        load1 = os.getloadavg()[0]
        page.screenshot(path=str(tmp / "projector.png"))
        browser.close()

    ok = [r for r in results if not r["error"]]
    errors = [r["error"] for r in results if r["error"]]
    with open_store(feedback_url) as store:
        rows = store.poll_answers(code)
        latest = store.latest_answers(poll.id)
    last_ack = max((r["acked_at"] for r in ok), default=None)
    lag = None if (seen_full is None or last_ack is None) else max(0.0, seen_full - last_ack)
    first_ack = min((r["acked_at"] for r in ok), default=None)
    figures.update({
        "answered": len(ok), "errors": len(errors), "error_samples": sorted(set(errors))[:3],
        "answers_window_s": None if last_ack is None else round(last_ack - first_ack, 1),
        "wall_s": round(box["wall"], 1),
        "stored_rows": len(rows), "distinct_answer_keys": int(rows["answer_key"].nunique()),
        "counted_devices": len(latest),
        "mean_stored": None if latest.empty else round(float(latest["rating"].astype(float).mean()), 3),
        "mean_sent": None if not ok else round(statistics.mean(r["rating"] for r in ok), 3),
        "phone_load_p50_s": round(statistics.median([r["load_s"] for r in ok]), 2) if ok else None,
        "phone_load_p95_s": round(pct([r["load_s"] for r in ok], 0.95), 2) if ok else None,
        "answer_p50_s": round(statistics.median([r["answer_s"] for r in ok]), 2) if ok else None,
        "answer_p95_s": round(pct([r["answer_s"] for r in ok], 0.95), 2) if ok else None,
        "fragment_reruns": sum(r.get("fragment_reruns", 0) for r in ok),
        "last_answer_after_start_s": None if last_ack is None else round(last_ack - t_start, 1),
        "projector_after_last_answer_s": None if lag is None else round(lag, 2),
        "projector_timeline_s_count": timeline,
        "server_cpu_cores_used": round(cpu_used / box["wall"], 2),
        "machine_load_average_1min": [round(load0, 1), round(load1, 1)],
        "cpu_count": os.cpu_count(),
        "screenshot": str(tmp / "projector.png"),
        "joined_through": sorted({r.get("joined_path", "") for r in results})[:3],
    })
    print(json.dumps(figures, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(figures, indent=1))
    once = (figures["stored_rows"] == figures["distinct_answer_keys"] == figures["counted_devices"] == a.phones)
    return 0 if (not errors and once and lag is not None and lag <= a.projector_limit) else 1


if __name__ == "__main__":
    sys.exit(main())
