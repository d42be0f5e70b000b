"""Capacity on this machine: a trivial baseline app, the dashboard on one process, and the dashboard
on two replicas behind nginx (deploy/), each with the project's tuned settings and with Streamlit's
defaults, side by side.

    python3 scripts/capacity.py                                   # 20 and 50 sessions, both settings
    python3 scripts/capacity.py --sessions 5 --settings tuned     # a quick look
    python3 scripts/capacity.py --json capacity.json

For every target, settings and session count, fresh servers are started (the dashboard's are ready
once its warm-up has built the common views: ui/warmup.py); one untimed pass of the
load runs first (--warm-passes), so that one-time costs such as the baseline's first imports are
not counted per run; then, measured, N sessions open the page together (--page, default a priority
page) and each changes the "Focus districts" filter (--reruns times). The load generator is scripts/load_sessions.py (Streamlit's websocket protocol;
its reruns rerun the page in view, as a browser's do); --st-load runs ../shared/tools/st_load.py
instead, whose reruns of this app run the overview page (load_sessions.py says why). Reported: p50/p95 of the first load and of the reruns, first-load
kB (serialized and on the wire), and the server CPU time per script run (all replicas together),
whose ratio to the baseline's is the per-run cost ratio. First, unless --no-restart, start -> ready:
seconds from launching the dashboard to `/ready` on a first start and on a restart with the same
extract (goal, issue 19: <= 5 s). Goals (issue 13): 20 sessions' first load
p95 <= 2 s; a priority page's per-run cost <= 1.5 x the baseline's. Figures measured on a busy
machine are provisional.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import SHARED_ST_LOAD, UNTUNED, app_server, cpu_seconds, proxy, run_load  # noqa: E402

TARGETS = ("baseline", "one", "two")
BASELINE_PAGE = "/"


def measure(target: str, settings: str, sessions: int, page: str, reruns: int, st_load: Path | None,
            timeout_s: float, warm_passes: int = 1) -> dict:
    flags = UNTUNED if settings == "default" else ()
    with ExitStack() as stack:
        if target == "baseline":
            servers = [stack.enter_context(app_server("scripts/baseline_app.py", flags, ready_path=None))]
            url, path = servers[0]["url"], BASELINE_PAGE
        else:
            n = 1 if target == "one" else 2
            store = Path(stack.enter_context(_tempdir()))
            servers = [stack.enter_context(app_server("app.py", flags, store_dir=store)) for _ in range(n)]
            url = servers[0]["url"] if n == 1 else stack.enter_context(proxy([s["port"] for s in servers]))["url"]
            path = page
        for _ in range(warm_passes):  # untimed: one-time costs (the baseline's first imports) are not per-run costs
            run_load(st_load, url, path, sessions, reruns, timeout_s=timeout_s)
        cpu0 = sum(cpu_seconds(s["pid"]) for s in servers)
        result = run_load(st_load, url, path, sessions, reruns, timeout_s=timeout_s,
                          pid=servers[0]["pid"] if len(servers) == 1 else None)
        cpu = sum(cpu_seconds(s["pid"]) for s in servers) - cpu0
    summary = next(iter(result.get("pages", {}).values()), {})
    runs = sessions * (1 + reruns) - result.get("unfinished_runs", 0)
    return {"target": target, "settings": settings, "sessions": sessions, "page": path,
            "first_p50": summary.get("first_all", {}).get("p50"), "first_p95": summary.get("first_all", {}).get("p95"),
            "rerun_p50": summary.get("rerun_all", {}).get("p50"), "rerun_p95": summary.get("rerun_all", {}).get("p95"),
            "first_kb": (summary.get("first_bytes") or 0) / 1e3, "first_wire_kb": (summary.get("first_wire_bytes") or 0) / 1e3,
            "errors": summary.get("errors", 0), "page_not_found": summary.get("page_not_found", 0),
            "unfinished": result.get("unfinished_runs", 0), "runs": runs, "wall_s": result.get("wall_s"),
            "cpu_ms_per_run": 1000 * cpu / runs if runs else None, "rss_mib": result.get("rss_kib")}


class _tempdir:
    def __enter__(self):
        import tempfile
        self.path = tempfile.mkdtemp(prefix="lis-store-")
        return self.path

    def __exit__(self, *exc):
        import shutil
        shutil.rmtree(self.path, ignore_errors=True)


def _fmt(v, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def report(rows: list[dict]) -> str:
    base = {(r["settings"], r["sessions"]): r["cpu_ms_per_run"] for r in rows if r["target"] == "baseline"}
    head = ("| target | settings | sessions | first p50 s | first p95 s | rerun p50 s | rerun p95 s | "
            "first load kB (wire) | CPU ms/run | x baseline | errors |")
    lines = [head, "| " + " | ".join(["---"] * 11) + " |"]
    for r in rows:
        b = base.get((r["settings"], r["sessions"]))
        ratio = r["cpu_ms_per_run"] / b if b and r["cpu_ms_per_run"] else None
        lines.append(f"| {r['target']} | {r['settings']} | {r['sessions']} | {_fmt(r['first_p50'], '.2f')} | "
                     f"{_fmt(r['first_p95'], '.2f')} | {_fmt(r['rerun_p50'], '.2f')} | {_fmt(r['rerun_p95'], '.2f')} | "
                     f"{r['first_kb']:.0f} ({r['first_wire_kb']:.0f}) | {_fmt(r['cpu_ms_per_run'], '.0f')} | "
                     f"{_fmt(ratio, '.2f')} | {r['errors'] + r['unfinished'] + r['page_not_found']} |")
    return "\n".join(lines)


def start_to_ready(settings: str) -> dict:
    """Seconds from launching the dashboard to `/ready`, twice on one store folder: a first start
    (the runtime store, its judged table and the warmed views built) and a restart with the same
    extract (all three read back, keyed by the store's fingerprint). Goal (issue 19): a restart
    is ready within 5 s."""
    flags = UNTUNED if settings == "default" else ()
    with _tempdir() as store:
        with app_server("app.py", flags, store_dir=Path(store)) as first:
            cold = first["ready_s"]
        with app_server("app.py", flags, store_dir=Path(store)) as again:
            warm = again["ready_s"]
    return {"settings": settings, "first_start_ready_s": cold, "restart_ready_s": warm}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sessions", default="20,50", help="comma-separated session counts (default 20,50)")
    p.add_argument("--page", default="/innovation", help="the dashboard page to open (default /innovation)")
    p.add_argument("--reruns", type=int, default=1, help="filter changes per session after the first load")
    p.add_argument("--targets", default=",".join(TARGETS), help="baseline, one (process), two (replicas + nginx)")
    p.add_argument("--settings", default="tuned,default",
                   help="tuned (.streamlit/config.toml) and/or default (Streamlit's defaults for those settings)")
    p.add_argument("--timeout", type=float, default=120, help="cap on one run, seconds")
    p.add_argument("--warm-passes", type=int, default=1,
                   help="untimed passes of the same load before the measured one (default 1; 0: measure a cold server)")
    p.add_argument("--st-load", type=Path, nargs="?", const=SHARED_ST_LOAD, default=None,
                   help="drive the load with st_load.py (default path: ../shared/tools/st_load.py) "
                        "instead of scripts/load_sessions.py")
    p.add_argument("--json", type=Path, help="also write every row here")
    p.add_argument("--no-restart", action="store_true",
                   help="skip the start -> ready measure (a first start, then a restart on the same store)")
    a = p.parse_args(argv)
    if a.st_load is not None and not a.st_load.is_file():
        p.error(f"{a.st_load}: no load generator there")
    counts = [int(x) for x in a.sessions.split(",") if x.strip()]
    targets = [t for t in a.targets.split(",") if t]
    settings = [s for s in a.settings.split(",") if s]
    if not set(targets) <= set(TARGETS) or not set(settings) <= {"tuned", "default"} or not counts:
        p.error("targets: baseline,one,two; settings: tuned,default; sessions: numbers")
    rows = []
    starts = []
    if not a.no_restart and set(targets) & {"one", "two"}:
        for setting in settings:
            print(f"... start -> ready, {setting} settings", file=sys.stderr, flush=True)
            starts.append(start_to_ready(setting))
        for r in starts:
            print(f"start -> ready ({r['settings']} settings): first start {r['first_start_ready_s']:.1f} s, "
                  f"restart with the same extract {r['restart_ready_s']:.1f} s")
    for sessions in counts:
        for setting in settings:
            for target in targets:
                print(f"... {target}, {setting} settings, {sessions} sessions", file=sys.stderr, flush=True)
                rows.append(measure(target, setting, sessions, a.page, a.reruns, a.st_load, a.timeout,
                                    a.warm_passes))
    print(report(rows))
    if a.json:
        a.json.write_text(json.dumps({"start_to_ready": starts, "load": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
