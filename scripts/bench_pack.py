"""Time the evidence pack (`lis_data.pack.build_pack`) for each of the 14 districts and for EM3.

    python3 scripts/bench_pack.py [--area CODE ...] [--out DIR] [--goal 15]

Prints one line per pack (seconds, pages, size) and the median and worst; exits 1 if any pack takes
longer than the goal (15 s, issue 11). The indicator store goes to a temporary file unless
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
    from lis_data.store import Store

    area = load_area()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--area", nargs="+", default=[*area.district_codes, EM3])
    ap.add_argument("--out", type=Path, help="keep the PDFs in this folder")
    ap.add_argument("--goal", type=float, default=15.0, help="seconds allowed per pack")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("LIS_STORE_PATH", str(Path(tmp.name) / "indicators.duckdb"))
    store = Store.open()
    url = store_url_from_env()
    from pypdf import PdfReader
    import io

    times = []
    print(f"{'area':12} {'seconds':>8} {'pages':>6} {'MB':>6}")
    for code in args.area:
        started = time.perf_counter()
        pdf = build_pack(store, code, feedback_url=url)
        took = time.perf_counter() - started
        times.append(took)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"{code:12} {took:8.1f} {pages:6d} {len(pdf) / 1e6:6.1f}", flush=True)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{code}.pdf").write_bytes(pdf)
    print(f"median {statistics.median(times):.1f} s, worst {max(times):.1f} s, goal {args.goal:.0f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if max(times) <= args.goal else 1


if __name__ == "__main__":
    sys.exit(main())
