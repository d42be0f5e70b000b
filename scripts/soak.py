"""Soak: does the server's memory stay bounded with the project's settings (no gc after each run)?

    python3 scripts/soak.py                          # 10 minutes, 10 sessions, postScriptGC off
    python3 scripts/soak.py --minutes 1              # a quick look
    python3 scripts/soak.py --post-script-gc true    # the same with Streamlit's default, to compare

One fresh `streamlit run app.py` with the project's settings. Rounds of --sessions sessions
(scripts/load_sessions.py) open the priority pages in turn and change the "Focus districts" filter
--reruns times, with --think seconds between reruns, until --minutes have passed; the server's RSS
is sampled every --every seconds. Reported: RSS once every page has been opened (warm: caches filled), the
peak, the end, and the growth from warm to end. Exit status 1 if the growth passes --limit MiB
(default 50, issue 13's bound). Figures measured on a busy machine are provisional.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import ROOT, SHARED_ST_LOAD, app_server, rss_mib, run_load  # noqa: E402

sys.path.insert(0, str(ROOT))


def priority_pages() -> list[str]:
    from lis_data.config import load_catalogue

    return [f"/{p.id}" for p in load_catalogue().priorities]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--sessions", type=int, default=10)
    p.add_argument("--reruns", type=int, default=5)
    p.add_argument("--think", type=float, default=1.0, help="seconds before each rerun")
    p.add_argument("--every", type=float, default=5.0, help="RSS sampling interval, seconds")
    p.add_argument("--post-script-gc", choices=("false", "true"), default="false",
                   help="runner.postScriptGC for this soak (the project's default is false)")
    p.add_argument("--limit", type=float, default=50.0, help="allowed RSS growth from warm to end, MiB")
    p.add_argument("--st-load", type=Path, nargs="?", const=SHARED_ST_LOAD, default=None,
                   help="drive the load with st_load.py instead of scripts/load_sessions.py")
    a = p.parse_args(argv)
    if a.st_load is not None and not a.st_load.is_file():
        p.error(f"{a.st_load}: no load generator there")
    pages = priority_pages()
    samples: list[tuple[float, float]] = []
    with app_server("app.py", ("--runner.postScriptGC", a.post_script_gc)) as srv:
        stop = threading.Event()
        t0 = time.monotonic()

        def sample():
            while not stop.is_set():
                samples.append((time.monotonic() - t0, rss_mib(srv["pid"])))
                stop.wait(a.every)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start_rss = rss_mib(srv["pid"])
        rounds, errors, warm = 0, 0, None
        deadline = t0 + a.minutes * 60
        while time.monotonic() < deadline:
            page = pages[rounds % len(pages)]
            left = max(30.0, deadline - time.monotonic() + 60)
            res = run_load(a.st_load, srv["url"], page, a.sessions, a.reruns, think_s=a.think, duration_s=left)
            errors += sum(s.get("errors", 0) for s in res.get("pages", {}).values()) + res.get("unfinished_runs", 0)
            rounds += 1
            if rounds == len(pages):  # every page visited once: the caches hold them all
                warm = rss_mib(srv["pid"])
            print(f"{time.monotonic() - t0:6.0f} s  round {rounds:3d}  {page:14s} RSS {rss_mib(srv['pid']):7.1f} MiB",
                  flush=True)
        stop.set()
        sampler.join(a.every + 1)
        end = rss_mib(srv["pid"])
    peak = max((r for _, r in samples), default=end)
    growth = end - (warm or start_rss)
    print(f"\npostScriptGC={a.post_script_gc}: {rounds} rounds of {a.sessions} sessions x (1 + {a.reruns} reruns) "
          f"in {a.minutes:g} min, errors {errors}")
    print(f"RSS MiB: start {start_rss:.1f}, warm (every page opened once) {warm or 0:.1f}, peak {peak:.1f}, end {end:.1f}; "
          f"growth warm -> end {growth:+.1f} (limit {a.limit:g})")
    # A line per minute, to see a trend rather than a single number.
    per_minute = {}
    for t, r in samples:
        per_minute[int(t // 60)] = r
    print("RSS at the end of each minute: " + ", ".join(f"{m + 1}: {r:.0f}" for m, r in sorted(per_minute.items())))
    return 1 if growth > a.limit or errors else 0


if __name__ == "__main__":
    sys.exit(main())
