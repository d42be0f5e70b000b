"""``feedback`` commands of the lis_data command line.

``lis_data/cli.py`` wires them with ``cli_feedback.register(subparsers)`` and
dispatches with ``args.func(args)``; each func returns a process exit code
(0 success, 1 store unavailable). Usable on its own too:
``python -m lis_data.cli_feedback feedback export``.

    feedback export [--format csv|parquet] [--since YYYY-MM-DD] [--workshop CODE] [--url URL] [--output FILE]
    feedback count  [--url URL] [--workshop CODE] [--include-hidden]

--url defaults to $LIS_FEEDBACK_URL, then the default DuckDB file.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from .feedback import FeedbackFilter, FeedbackStoreUnavailable, open_store, store_url_from_env


def _iso_date(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``feedback`` command (with ``export`` and ``count``) to an
    argparse subparsers object. Returns the ``feedback`` parser."""
    parser = subparsers.add_parser("feedback", help="export or count sounding-board feedback")
    commands = parser.add_subparsers(dest="feedback_command", metavar="{export,count}")
    commands.required = True

    url_help = "feedback store URL (default: $LIS_FEEDBACK_URL, else data/feedback.duckdb)"
    export = commands.add_parser("export", help="write every feedback row as CSV or Parquet")
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")
    export.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD", help="only rows from this date (UTC)")
    export.add_argument("--url", help=url_help)
    export.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout")
    export.add_argument("--no-personal", action="store_true", help="leave out names and email addresses")
    export.add_argument("--workshop", metavar="CODE", help="only the comments of this workshop code")
    export.set_defaults(func=cmd_export)

    count = commands.add_parser("count", help="number of comments per strategic priority")
    count.add_argument("--url", help=url_help)
    count.add_argument("--workshop", metavar="CODE", help="only this workshop code")
    count.add_argument("--include-hidden", action="store_true", help="count hidden comments too")
    count.set_defaults(func=cmd_count)
    return parser


def _open(args):
    return open_store(args.url or store_url_from_env())


def cmd_export(args: argparse.Namespace) -> int:
    try:
        store = _open(args)
        try:
            chosen = None
            if args.workshop:
                chosen = FeedbackFilter(since=args.since, workshop_code=args.workshop.strip().upper(),
                                        include_hidden=True)
            data = store.export(args.format, args.since, filters=chosen, include_personal=not args.no_personal)
        finally:
            store.close()
    except FeedbackStoreUnavailable as exc:
        print(f"feedback export: {exc}", file=sys.stderr)
        return 1
    if args.output:
        args.output.write_bytes(data)
        print(f"feedback export: wrote {len(data):,} bytes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def cmd_count(args: argparse.Namespace) -> int:
    try:
        store = _open(args)
        try:
            counts = store.counts_by_priority(args.workshop, include_hidden=args.include_hidden)
        finally:
            store.close()
    except FeedbackStoreUnavailable as exc:
        print(f"feedback count: {exc}", file=sys.stderr)
        return 1
    width = max([len(p) for p in counts] + [len("total")])
    for priority, n in counts.items():
        print(f"{priority:<{width}}  {n:>6,}")
    print(f"{'total':<{width}}  {sum(counts.values()):>6,}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lis_data")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
