"""Timings of the data layer: a full build and the query functions as the pages call them.

    python scripts/benchmark.py                      # every section
    python scripts/benchmark.py --section queries    # one section (repeatable)
    python scripts/benchmark.py --list
    python scripts/benchmark.py --section weight     # first-load bytes per page (starts the app)

Sections are functions registered in SECTIONS with @section("name"); a page-rerun
section is added the same way. Each takes the parsed arguments and prints its lines.
Nothing is written inside the repository: builds go to a temporary folder and the
store to a temporary DuckDB file.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECTIONS: dict[str, Callable[[argparse.Namespace], None]] = {}


def section(name: str):
    """Register a benchmark section under `name`."""
    def register(fn: Callable[[argparse.Namespace], None]):
        SECTIONS[name] = fn
        return fn
    return register


def percentiles_ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """p50 and p95 wall time in ms over `runs` warm calls (one untimed call first)."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return statistics.median(times), p95


def report(rows: list[tuple[str, float, float]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"  {'call':{width}}  {'p50 ms':>8}  {'p95 ms':>8}")
    for name, p50, p95 in rows:
        print(f"  {name:{width}}  {p50:8.2f}  {p95:8.2f}")


_STORE = None


def open_store():
    """The store built from the committed extract into a temporary DuckDB file (once per run)."""
    global _STORE
    if _STORE is None:
        from lis_data.paths import extract_dir
        from lis_data.runtime.store import Store

        folder = tempfile.mkdtemp(prefix="lis-bench-")
        atexit.register(shutil.rmtree, folder, True)
        db = Path(folder) / "indicators.duckdb"
        os.environ["LIS_STORE_PATH"] = str(db)
        t0 = time.perf_counter()
        _STORE = Store.open(extract_dir(), db)
        print(f"  (store built from {extract_dir()} in {time.perf_counter() - t0:.2f} s)")
    return _STORE


@section("build")
def bench_build(args: argparse.Namespace) -> None:
    """A full build of the upstream folder into a temporary folder, and of the DuckDB store from it."""
    from lis_data.config import load_area, load_catalogue
    from lis_data.ingest.extract import build_extract
    from lis_data.paths import default_source_dir
    from lis_data.runtime.store import ensure_store

    source = Path(args.source or default_source_dir())
    if not (source / "ons-els").is_dir():
        print(f"  skipped: no upstream folder at {source}")
        return
    with tempfile.TemporaryDirectory(prefix="lis-bench-build-") as tmp:
        t0 = time.perf_counter()
        result = build_extract(source, Path(tmp) / "extract", load_area(), load_catalogue())
        t1 = time.perf_counter()
        ensure_store(Path(tmp) / "extract", Path(tmp) / "indicators.duckdb")
        t2 = time.perf_counter()
    print(f"  full build: {t1 - t0:.2f} s ({result.rows} figures from {sum(r.rows for r in result.reports)} "
          f"upstream rows, {len(result.reports)} datasets, extract {result.size_bytes / 1e6:.1f} MB)")
    print(f"  store from the extract: {t2 - t1:.2f} s")


@section("queries")
def bench_queries(args: argparse.Namespace) -> None:
    """Each query function of lis_data.runtime.queries as a page calls it, warm."""
    from lis_data.runtime import queries as q
    from lis_data.config import load_area

    store = open_store()
    area = load_area()
    districts = list(area.district_codes)
    comparators = [a.code for a in area.comparators.values()]
    one = districts[0]
    indicators = ["gva-per-hour", "claimant-count", "anxiety"]
    calls: list[tuple[str, Callable[[], object]]] = []
    for iid in indicators:
        calls.append((f"series {iid} (14 districts + {len(comparators)} comparators)",
                      lambda iid=iid: q.series(store, iid, districts + comparators)))
    for iid in indicators:
        calls.append((f"latest {iid}", lambda iid=iid: q.latest(store, iid, districts + comparators)))
    for iid in indicators:
        calls.append((f"snapshot {iid}", lambda iid=iid: q.snapshot(store, iid, districts + comparators)))
    calls += [
        ("group_summary gva-per-hour", lambda: q.group_summary(store, "gva-per-hour", districts)),
        ("periods gva-per-hour", lambda: q.periods(store, "gva-per-hour")),
        (f"neighbours {one} economic 5", lambda: q.neighbours(store, one, area.default_neighbour_kind, 5)),
        ("indicators", lambda: q.indicators(store)),
        ("area_names 14 districts", lambda: q.area_names(store, districts)),
        ("coverage 14 districts", lambda: q.coverage(store, districts)),
        (f"export --area {one}", lambda: q.export(store, [one])),
    ]
    rows = []
    for name, fn in calls:
        p50, p95 = percentiles_ms(fn, args.runs)
        rows.append((name, p50, p95))
    print(f"  {args.runs} warm runs each")
    report(rows)


def _app_test(url_path: str, query: dict | None = None):
    """An AppTest of app.py switched to the page at url_path (as tests/app/page_helpers.py does)."""
    from scripts.app_test_pages import open_page

    at = open_page(url_path, query, timeout=120)
    if at.exception:
        raise RuntimeError(f"{url_path}: {at.exception[0].value}")
    return at


def page_paths() -> list[str]:
    from lis_data.config import load_catalogue

    return ["overview", *(p.id for p in load_catalogue().priorities), "profile", "sources", "towns", "workshop"]


@section("pages")
def bench_pages(args: argparse.Namespace) -> None:
    """Warm rerun (median of --page-runs reruns, nothing changed) and a filter change (a new focus
    district each time, so its queries are not yet cached) for every page, through AppTest."""
    os.environ.setdefault("LIS_STORE_PATH", str(Path(tempfile.mkdtemp(prefix="lis-bench-")) / "indicators.duckdb"))
    os.environ.setdefault("LIS_FEEDBACK_URL", f"sqlite:///{Path(tempfile.mkdtemp(prefix='lis-bench-fb-')) / 'f.sqlite'}")
    from lis_data.feedback import open_store as open_feedback

    open_feedback(os.environ["LIS_FEEDBACK_URL"]).close()  # the set-up: the pages never create the store
    from lis_data.config import load_area

    districts = list(load_area().district_codes)
    rows = []
    runs = args.page_runs
    for path in page_paths():
        try:
            at = _app_test(path)
        except Exception as exc:  # a page that does not exist in this tree yet
            print(f"  {path}: skipped ({exc})")
            continue
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            at.run()
            warm.append((time.perf_counter() - t0) * 1000)
        change = []
        for i in range(min(runs, len(districts))):
            at.session_state["f_districts"] = [districts[i]]  # AppTest stays on the page
            t0 = time.perf_counter()
            at.run()
            change.append((time.perf_counter() - t0) * 1000)
        rows.append((path, statistics.median(warm), max(warm), statistics.median(change)))
    if not rows:
        print("  no page could be opened")
        return
    base = _baseline_runs(runs)
    rows.insert(0, ("baseline app", *base))
    width = max(len(r[0]) for r in rows)
    print(f"  {'page':{width}}  {'warm rerun p50 ms':>18}  {'max ms':>8}  {'filter change p50 ms':>21}  "
          f"{'x baseline (rerun, change)':>27}")
    for name, p50, mx, ch in rows:
        ratio = f"{p50 / base[0]:.1f}, {ch / base[2]:.1f}"
        print(f"  {name:{width}}  {p50:18.1f}  {mx:8.1f}  {ch:21.1f}  {ratio:>27}")


def _baseline_runs(runs: int) -> tuple[float, float, float]:
    """The trivial baseline app (scripts/baseline_app.py: one filter, one chart) timed the same way in
    the same process: warm rerun p50 and max, and a filter change p50 (a different district each
    time), so the pages' figures read as multiples of Streamlit's own cost."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "scripts" / "baseline_app.py"), default_timeout=60)
    at.run()
    warm, change = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        warm.append((time.perf_counter() - t0) * 1000)
    options = list(at.multiselect[0].options)
    for i in range(runs):
        at.multiselect[0].set_value([options[i % len(options)]])
        t0 = time.perf_counter()
        at.run()
        change.append((time.perf_counter() - t0) * 1000)
    return statistics.median(warm), max(warm), statistics.median(change)


@section("profile")
def bench_profile(args: argparse.Namespace) -> None:
    """The district profile: the page's first load and warm rerun (one district, and the EM3 view),
    and the `profile` command for one district (in process, and as a command with its start-up)."""
    import subprocess

    store = open_store()  # also points LIS_STORE_PATH at the temporary store for the page and command
    os.environ.setdefault("LIS_FEEDBACK_URL", f"sqlite:///{Path(tempfile.mkdtemp(prefix='lis-bench-fb-')) / 'f.sqlite'}")
    from lis_data.feedback import open_store as open_feedback

    open_feedback(os.environ["LIS_FEEDBACK_URL"]).close()  # the set-up: the pages never create the store
    from lis_data.domain.profile import district_profile

    code = "E07000217"
    for what, query in ((f"profile page ?d={code}", {"d": code}), ("profile page, EM3 view", {})):
        t0 = time.perf_counter()
        at = _app_test("profile", query)
        first = (time.perf_counter() - t0) * 1000
        warm = []
        for _ in range(args.page_runs):
            t0 = time.perf_counter()
            at.run()
            warm.append((time.perf_counter() - t0) * 1000)
        print(f"  {what}: first load {first:.0f} ms (app and page runs, caches cold); "
              f"warm rerun p50 {statistics.median(warm):.1f} ms, max {max(warm):.1f} ms over {len(warm)}")
    p50, p95 = percentiles_ms(lambda: district_profile(store, code), max(5, args.runs // 5))
    print(f"  district_profile({code}) in process: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lis_data", "profile", "--area", code], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, env=dict(os.environ))
        times.append((time.perf_counter() - t0) * 1000)
    base = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pandas, duckdb"], check=True)
        base.append((time.perf_counter() - t0) * 1000)
    print(f"  python -m lis_data profile --area {code}: median {statistics.median(times):.0f} ms over 3; for scale, "
          f"`python -c 'import pandas, duckdb'` alone: median {statistics.median(base):.0f} ms over 3")


def _draw_chart(spec_json: str) -> None:
    """The whole script AppTest runs for the charts section (AppTest.from_function: self-contained)."""
    import json

    import streamlit as st

    st.vega_lite_chart(json.loads(spec_json))


@section("charts")
def bench_charts(args: argparse.Namespace) -> None:
    """What a rerun costs with a trend chart's spec, through st.vega_lite_chart in AppTest (the script
    is that one call; prepare, move the data to the proto, serialise): Altair's named datasets,
    converted to Arrow each time, against the data inlined as JSON values (ui/payload.py), as the
    pages send it; an empty script run the same way is the baseline."""
    import json

    from streamlit.testing.v1 import AppTest

    from lis_data.runtime import queries as q
    from lis_data.config import load_area
    from lis_data.views import charts
    from ui import payload

    store, area = open_store(), load_area()
    codes = [*list(area.district_codes)[:3], area.comparators["england"].code, area.comparators["region"].code]
    roles = {c: "district" for c in codes[:3]} | {codes[3]: "england", codes[4]: "region"}
    prepared = charts.prepare_trend(q.with_gaps(q.series(store, "gva-per-hour", codes)), roles, "£", 2)
    altair_spec = charts.trend_chart(prepared, "£", 2, "Title", "Subtitle").to_dict(validate=False)

    rows = []
    for name, spec in (("Altair datasets (Arrow each run)", altair_spec),
                       ("inline values (payload.inline_data)", payload.inline_data(altair_spec))):
        at = AppTest.from_function(_draw_chart, args=(json.dumps(spec, default=str),)).run()
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")
        size = at.main.children[0].proto.ByteSize()  # the chart element as sent
        p50, p95 = percentiles_ms(at.run, args.runs)
        rows.append((f"{name}, {size / 1000:.1f} kB", p50, p95))
    empty = AppTest.from_string("pass").run()
    p50, p95 = percentiles_ms(empty.run, args.runs)
    rows.insert(0, ("baseline: an empty script", p50, p95))
    print(f"  trend chart of 3 districts, England and the South East; {args.runs} AppTest runs each")
    report(rows)


@section("weight")
def bench_weight(args: argparse.Namespace) -> None:
    """First-load bytes per page (websocket messages before compression, a fresh session on the
    real server started on a free loopback port; scripts/page_weight.py), and where they go."""
    from scripts.page_weight import first_load, running_app

    paths = ["/" + p for p in page_paths()]
    rows = []
    with running_app() as url:
        for path in paths:
            res = first_load(url, path)
            top = ", ".join(f"{k} {v / 1000:.1f}" for k, v in res.by_element.most_common(3))
            rows.append((path, res.total_bytes, res.messages, top + (" (exception)" if res.exceptions else "")))
    width = max(len(r[0]) for r in rows)
    print(f"  {'page':{width}}  {'kB':>7}  {'msgs':>5}  largest parts (kB)")
    for path, size, n, top in rows:
        print(f"  {path:{width}}  {size / 1000:7.1f}  {n:5d}  {top}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--section", action="append", metavar="NAME",
                        help=f"section(s) to run (default: all): {', '.join(SECTIONS)}")
    parser.add_argument("--page-runs", type=int, default=15, help="reruns per page in the pages section")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per call (default 50)")
    parser.add_argument("--source", help="upstream folder for the build section (default: ../shared/data)")
    parser.add_argument("--list", action="store_true", help="list the sections and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, fn in SECTIONS.items():
            print(f"{name}: {(fn.__doc__ or '').strip().splitlines()[0] if fn.__doc__ else ''}")
        return 0
    names = args.section or list(SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    for name in names:
        print(f"[{name}]")
        SECTIONS[name](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
