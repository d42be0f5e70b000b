"""Time the board pack (`lis_data.pack.build_pack`, the default) for each of the 14 districts and for EM3;
`--full` the complete evidence pack; `--workbook` the officers' workbook (lis_data.pack.workbook).

    python3 scripts/bench_pack.py [--area CODE ...] [--out DIR] [--full | --workbook] [--goal SECONDS]

Prints one line per file (seconds, pages, size) and the median and worst; exits 1 if the median takes
longer than the goal (board pack 5 s, issue 20; full pack 15 s, issue 11; workbook 2 s). The indicator store goes to a temporary file unless
LIS_STORE_PATH is set; the feedback store is the configured one (LIS_FEEDBACK_URL). Figures taken on
a shared or loaded machine are provisional.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    from lis_data.config import load_area
    from lis_data.feedback import store_url_from_env
    from lis_data.pack import EM3, build_pack
    from lis_data.runtime.store import Store

    area = load_area()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--area", nargs="+", default=[*area.district_codes, EM3])
    ap.add_argument("--out", type=Path, help="keep the PDFs in this folder")
    ap.add_argument("--full", action="store_true", help="the complete evidence pack (goal 15 s)")
    ap.add_argument("--workbook", action="store_true", help="the officers' workbook (goal 2 s)")
    ap.add_argument("--goal", type=float, help="seconds allowed for the median (default: 5, 15 with --full, "
                                                 "2 with --workbook)")
    args = ap.parse_args(argv)
    goal = args.goal or (2.0 if args.workbook else 15.0 if args.full else 5.0)
    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("LIS_STORE_PATH", str(Path(tmp.name) / "indicators.duckdb"))
    store = Store.open()
    url = store_url_from_env()
    from pypdf import PdfReader
    import io

    times = []
    print(f"{'area':12} {'seconds':>8} {'pages':>6} {'MB':>6}")
    import warnings

    from lis_data.pack.workbook import workbook_bytes

    warnings.simplefilter("ignore", UserWarning)  # gptables' advice on blank cells ([x], [z] say why)
    for code in args.area:
        started = time.perf_counter()
        if args.workbook:
            out = workbook_bytes(store, code)
        else:
            out = build_pack(store, code, feedback_url=url if args.full else None, full=args.full)
        took = time.perf_counter() - started
        times.append(took)
        pages = 0 if args.workbook else len(PdfReader(io.BytesIO(out)).pages)
        print(f"{code:12} {took:8.2f} {pages:6d} {len(out) / 1e6:6.2f}", flush=True)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{code}.{'xlsx' if args.workbook else 'pdf'}").write_bytes(out)
    print(f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s, goal {goal:g} s (median); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if statistics.median(times) <= goal else 1


if __name__ == "__main__":
    sys.exit(main())
