"""The command line: `python -m lis_data build | export | check | profile | pack | feedback ...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lis_data.config import load_area, load_catalogue
from lis_data.errors import LisDataError
from lis_data.paths import default_source_dir, extract_dir


def cmd_build(args: argparse.Namespace) -> int:
    from lis_data.ingest.extract import build_extract
    from lis_data.runtime.store import ensure_store

    result = build_extract(Path(args.source), Path(args.output), load_area(), load_catalogue())
    print("\n".join(result.lines()))
    if not args.no_store:
        db = ensure_store(Path(args.output))
        print(f"Indicator store ready: {db}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from lis_data.runtime.store import Store
    from lis_data.views.exports import figures_csv

    store = Store.open()
    text = figures_csv(store, args.area or None, args.dataset or None)
    if args.area:
        known = set(store.df("SELECT areacd FROM areas")["areacd"])
        for code in args.area:
            if code not in known:
                print(f"warning: --area {code}: no figures for this area code", file=sys.stderr)
    if args.dataset:
        known = set(store.df("SELECT DISTINCT dataset FROM observations")["dataset"])
        for name in args.dataset:
            if name not in known:
                print(f"warning: --dataset {name}: no such dataset in the extract", file=sys.stderr)
    sys.stdout.write(text)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from lis_data.runtime import queries
    from lis_data.runtime.store import Store

    area, catalogue = load_area(), load_catalogue()
    store = Store.open()
    cov = queries.coverage(store, area.district_codes)
    names = dict(zip(area.district_codes, (d.name for d in area.districts)))
    print(f"Coverage of the {len(area.districts)} {area.short_name} districts, per indicator "
          "(cells = districts x periods with a figure):")
    short = 0
    for pr in catalogue.priorities:
        print(f"\n{pr.number}. {pr.title}")
        for ind in catalogue.indicators_for(pr.id):
            c = cov[cov["indicator_id"] == ind.id]
            present = int(c["present"].sum())
            total = len(c)
            periods = c.drop_duplicates("period")
            first, last = (periods["period_label"].iloc[0], periods["period_label"].iloc[-1]) if len(periods) else ("-", "-")
            level = "" if ind.level == "district" else f"  [published at {ind.level} level only]"
            print(f"  {ind.id:32} {present:5}/{total:<5} {len(periods):3} periods {first} .. {last}{level}")
            missing = c[~c["present"]]
            if ind.level == "district" and len(missing):
                by_period = missing.groupby("period_label", sort=False)["areacd"].apply(list)
                for label, codes in by_period.items():
                    who = "all districts" if len(codes) == len(area.districts) else ", ".join(names[x] for x in codes)
                    print(f"      missing {label}: {who}")
        n_district = sum(1 for i in catalogue.indicators_for(pr.id) if i.level == "district")
        if n_district < 3:
            short += 1
            print(f"  ! only {n_district} indicators with district figures")
    return 1 if short and args.strict else 0


def cmd_profile(args: argparse.Namespace) -> int:
    import json

    from lis_data.domain.profile import district_profile, records
    from lis_data.runtime.store import Store
    from lis_data.views.exports import profile_csv

    if args.format == "json":
        rows = records(district_profile(Store.open(), args.area.strip().upper(), args.benchmark))
        json.dump(rows, sys.stdout, indent=1, allow_nan=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(profile_csv(Store.open(), args.area, args.benchmark))
    return 0


def _check_output(out: Path, option: str, suffix: str) -> None:
    """Refuse, with a message naming it, an output file that could not be written: not ending in
    `suffix`, its folder missing or not a folder or not writable, or the path itself a folder or not
    writable."""
    import os

    if out.suffix.lower() != suffix:
        raise LisDataError(f"{option} {out}: the file name must end in {suffix}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.exists():
        raise LisDataError(f"{option} {out}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise LisDataError(f"{option} {out}: {folder} is not a folder")
    if out.is_dir():
        raise LisDataError(f"{option} {out}: is a folder; give a file name ending in {suffix}")
    if out.exists() and not out.is_file():
        raise LisDataError(f"{option} {out}: exists and is not a regular file")
    if not os.access(out if out.exists() else folder, os.W_OK):
        raise LisDataError(f"{option} {out}: {'the file' if out.exists() else 'the folder ' + str(folder)} "
                           "is not writable")


def _write_built(option: str, value: str, suffix: str, build) -> int:
    """Check the output path (before building, not after), build the file's bytes, write them, and
    say what was written and how long it took."""
    import time

    out = Path(value)
    _check_output(out, option, suffix)
    started = time.perf_counter()
    data = build()
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise LisDataError(f"{option} {out}: cannot be written ({exc.strerror or type(exc).__name__})") from None
    size = f"{len(data) / 1e6:.1f} MB" if len(data) >= 1e6 else f"{len(data) / 1e3:.0f} kB"
    print(f"Wrote {out} ({size}) in {time.perf_counter() - started:.1f} s.")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    from lis_data.feedback import store_url_from_env
    from lis_data.pack import build_pack
    from lis_data.runtime.store import Store

    return _write_built("--out", args.out, ".pdf", lambda: build_pack(
        Store.open(), args.area, args.priority or (), args.since, args.benchmark,
        feedback_url=store_url_from_env() if args.full else None, full=args.full))


def cmd_workbook(args: argparse.Namespace) -> int:
    import warnings

    from lis_data.runtime.store import Store
    from lis_data.pack.workbook import workbook_bytes

    def build() -> bytes:
        with warnings.catch_warnings():  # gptables' advice on blank cells: every blank cell here says why ([x], [z])
            warnings.simplefilter("ignore", UserWarning)
            return workbook_bytes(Store.open(), args.area, args.benchmark)

    return _write_built("--out", args.out, ".xlsx", build)


def cmd_summary(args: argparse.Namespace) -> int:
    from lis_data.runtime.store import Store
    from lis_data.pack.word_summary import summary_docx

    return _write_built("--out", args.out, ".docx", lambda: summary_docx(Store.open(), args.area, args.benchmark))


#: Commands whose modules are light to import; the feedback store (and pandas with it) is imported
#: only when the command line may need it, so that `profile` starts fast.
_LIGHT_COMMANDS = ("build", "export", "check", "fetch", "profile", "pack", "workbook", "summary")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with `command` (one of the light ones), the feedback command
    is left out, since its module imports the feedback store."""
    parser = argparse.ArgumentParser(prog="python -m lis_data", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="read the upstream ONS files and write the project's extract")
    b.add_argument("--source", default=str(default_source_dir()), help="upstream data folder (holds ons-els/ and ons-geography/)")
    b.add_argument("--output", default=str(extract_dir()), help="extract folder to write")
    b.add_argument("--no-store", action="store_true", help="do not rebuild the DuckDB store afterwards")
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("export", help="write figures as CSV with their upstream identity")
    e.add_argument("--area", nargs="+", metavar="CODE", help="GSS area code(s)")
    e.add_argument("--dataset", nargs="+", metavar="NAME", help="upstream dataset name(s)")
    e.set_defaults(func=cmd_export)

    c = sub.add_parser("check", help="coverage per indicator: districts x periods present and missing")
    c.add_argument("--strict", action="store_true", help="exit 1 if a priority has fewer than 3 district indicators")
    c.set_defaults(func=cmd_check)

    from lis_data.cli import fetch as cli_fetch
    cli_fetch.register(sub)
    pr = sub.add_parser("profile", help="one district's indicators judged against a benchmark (95%% CI)")
    pr.add_argument("--area", required=True, metavar="CODE", help="GSS code of an English district")
    pr.add_argument("--benchmark", choices=("england", "region", "county"), default="england",
                    help="compare with England (default), the South East or the district's county")
    pr.add_argument("--format", choices=("csv", "json"), default="csv")
    pr.set_defaults(func=cmd_profile)

    pk = sub.add_parser("pack", help="the board pack (at most 12 pages; --full: the complete evidence pack) "
                                     "of a district or EM3 as a tagged PDF")
    pk.add_argument("--area", required=True, metavar="CODE|EM3", help="GSS code of an EM3 district, or EM3")
    pk.add_argument("--priority", nargs="+", metavar="ID", help="only these priorities (default: all nine)")
    pk.add_argument("--since", metavar="DATE", help="What's new since this date, YYYY-MM-DD (default: the board pack "
                    "LIS_PREVIOUS_BOARD_DATE or 90 days ago; the full pack the latest build)")
    pk.add_argument("--full", action="store_true", help="the complete evidence pack: every indicator, maps, the "
                    "sounding board, full caveats")
    pk.add_argument("--benchmark", choices=("england", "region", "county"), default="england",
                    help="judge against England (default), the South East or the district's county")
    pk.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    pk.set_defaults(func=cmd_pack)

    wb = sub.add_parser("workbook", help="a district's or EM3's judged figures as an accessible spreadsheet "
                                         "(gptables: cover, contents, notes, a table per priority)")
    wb.add_argument("--area", required=True, metavar="CODE|EM3", help="GSS code of an EM3 district, or EM3")
    wb.add_argument("--benchmark", choices=("england", "region", "county"), default="england")
    wb.add_argument("--out", required=True, metavar="FILE.xlsx", help="where to write the workbook")
    wb.set_defaults(func=cmd_workbook)

    sm = sub.add_parser("summary", help="the board pack's cover sentences and profile table as a Word document")
    sm.add_argument("--area", required=True, metavar="CODE|EM3", help="GSS code of an EM3 district, or EM3")
    sm.add_argument("--benchmark", choices=("england", "region", "county"), default="england")
    sm.add_argument("--out", required=True, metavar="FILE.docx", help="where to write the document")
    sm.set_defaults(func=cmd_summary)

    if command in _LIGHT_COMMANDS:
        return parser
    try:
        from lis_data.cli import feedback as cli_feedback
    except ImportError:  # the feedback store is optional for the indicator commands
        cli_feedback = None
    if cli_feedback is not None:
        cli_feedback.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    try:
        return args.func(args)
    except LisDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
