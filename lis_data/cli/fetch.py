"""`python -m lis_data fetch`: refresh the upstream files from the ONS, build, and only then
replace the extract (lis_data.ingest.fetch does the work)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lis_data.config import load_area, load_catalogue
from lis_data.errors import LisDataError
from lis_data.paths import default_source_dir, extract_dir


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
        return value
    return parse


def _not_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def cmd_fetch(args: argparse.Namespace) -> int:
    from lis_data.ingest.fetch import FetchError, load_settings, refresh

    try:
        settings = load_settings().with_overrides(
            base_url=args.base_url, timeout_seconds=args.timeout, attempts=args.attempts,
            backoff_seconds=args.backoff)
        result = refresh(
            settings=settings, source_dir=Path(args.source), out_dir=Path(args.output),
            area=load_area(), catalogue=load_catalogue(), datasets=args.dataset,
            source_out=Path(args.source_out) if args.source_out else None)
    except (LisDataError, OSError) as exc:
        if isinstance(exc, OSError):
            message = f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)
        else:
            message = str(exc)
        print(f"error: {message}", file=sys.stderr)
        if not (isinstance(exc, FetchError) and exc.extract_replaced):
            print("Nothing was changed: the extract and the source folder are as they were.", file=sys.stderr)
        return 1
    print("\n".join(result.lines()))
    return 0


def register(sub) -> None:
    f = sub.add_parser(
        "fetch", help="download the catalogued datasets from the ONS, build, and only then replace the extract",
        description="Download every dataset the catalogue reads from the ONS Explore local statistics data "
                    "repository into a staging folder (checked file by file), build the extract from it with "
                    "the usual validation and diff, and only then replace the extract. Any failure changes nothing.")
    f.add_argument("--base-url", metavar="URL",
                   help="where the datasets are (<URL><dataset>/<dataset>.csv and .json); "
                        "default: base_url in lis_data/config/fetch.toml")
    f.add_argument("--dataset", nargs="+", metavar="NAME",
                   help="fetch only these datasets; the others are taken from --source (default: every dataset)")
    f.add_argument("--source", default=str(default_source_dir()), metavar="DIR",
                   help="the current upstream folder: its ons-geography/ (not published by the data repository) "
                        "and any dataset not fetched go into the build (default: %(default)s)")
    f.add_argument("--source-out", metavar="DIR",
                   help="keep the fetched upstream folder here (replaced only after a successful build; "
                        "outside the repository); default: discard it")
    f.add_argument("--output", default=str(extract_dir()), metavar="DIR", help="extract folder to replace")
    f.add_argument("--timeout", type=_positive(float), metavar="SECONDS",
                   help="give up on an attempt after this long without bytes (default: fetch.toml)")
    f.add_argument("--attempts", type=_positive(int), metavar="N",
                   help="attempts per file for failures that may pass (default: fetch.toml)")
    f.add_argument("--backoff", type=_not_negative, metavar="SECONDS",
                   help="pause before the second attempt, doubled after (default: fetch.toml)")
    f.set_defaults(func=cmd_fetch)
