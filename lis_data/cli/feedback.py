"""``feedback`` commands of the lis_data command line.

``lis_data/cli/__init__.py`` wires them with ``cli_feedback.register(subparsers)`` and
dispatches with ``args.func(args)``; each func returns a process exit code
(0 success; 1 store unavailable, reference not found or output not writable, with one line
on stderr and no traceback; 2 bad arguments). Usable on its own too:
``python -m lis_data.cli.feedback feedback export``.

    feedback export [--format csv|parquet|summary] [--since YYYY-MM-DD] [--workshop CODE] [--url URL]
                    [--table comments|answers|polls|shifts|matrix|approved] [--districts CODES]
                    [--output FILE] [--no-personal] [--no-bom]

--format summary (with --workshop) writes a workshop's results as text: comment counts, every poll
round with its distribution, the shifts, the room against the evidence, the approved comments.
--table picks what a CSV or Parquet file holds: the comments (default), every poll answer row
(answers), the poll rounds with their distributions (polls), the shifts, the matrix, or the approved
comments; all but comments and answers need --workshop.
    feedback count  [--url URL] [--workshop CODE] [--include-hidden]
    feedback erase  REFERENCE --scope personal|all --actor NAME [--reason TEXT] [--url URL]
    feedback submit --priority ID --respondent-type TYPE --comment TEXT|- [--place PLACE ...]
                    [--organisation TEXT] [--evidence-url URL] [--name TEXT --email ADDRESS --consent]
                    [--workshop CODE] [--key KEY] [--url URL]

`submit` records a comment that reached the team another way (a paper form, an email) through the same
submission service as the page's Send button (lis_data.feedback.submission): checked field by field as
the form checks it (exit 2 with every field's problem), stored once per --key (a second run with the
same key prints the first reference), and the reference printed.

--url defaults to $LIS_FEEDBACK_URL, then the default SQLite file (data/feedback.sqlite), which
the command reads and writes while the app runs. Every message is redacted (no credential of a
store URL is printed).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from lis_data.errors import LisDataError
from lis_data.feedback import (
    RESPONDENT_TYPES,
    FeedbackFilter,
    FeedbackNotFound,
    FeedbackStoreUnavailable,
    open_store,
    redact,
    store_url_from_env,
)


def _iso_date(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``feedback`` command (with ``init``, ``export``, ``count``, ``submit`` and ``erase``) to an
    argparse subparsers object. Returns the ``feedback`` parser."""
    parser = subparsers.add_parser("feedback", help="export, count, record or erase sounding-board feedback")
    commands = parser.add_subparsers(dest="feedback_command", metavar="{init,export,count,submit,erase}")
    commands.required = True

    url_help = "feedback store URL (default: $LIS_FEEDBACK_URL, else data/feedback.sqlite)"
    export = commands.add_parser("export", help="write every feedback row as CSV or Parquet")
    export.add_argument("--format", choices=("csv", "parquet", "summary"), default="csv",
                        help="summary: a workshop's results as text (needs --workshop)")
    export.add_argument("--table", choices=TABLES, default="comments",
                        help="what a CSV or Parquet file holds (default: the comments)")
    export.add_argument("--districts", metavar="CODES", default="",
                        help="districts in focus for the evidence in the matrix, comma-separated GSS codes "
                             "(default: all EM3 districts)")
    export.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD", help="only rows from this date (UTC)")
    export.add_argument("--url", help=url_help)
    export.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout")
    export.add_argument("--no-personal", action="store_true", help="leave out names and email addresses")
    export.add_argument("--workshop", metavar="CODE", help="only the comments of this workshop code")
    export.add_argument("--no-bom", action="store_true",
                        help="CSV without the UTF-8 byte-order mark (by default it has one, so Excel reads "
                             "accents and emoji)")
    export.set_defaults(func=cmd_export)

    count = commands.add_parser("count", help="number of comments per strategic priority")
    count.add_argument("--url", help=url_help)
    count.add_argument("--workshop", metavar="CODE", help="only this workshop code")
    count.add_argument("--include-hidden", action="store_true", help="count hidden comments too")
    count.set_defaults(func=cmd_count)

    erase = commands.add_parser("erase", help="erase a person's submission (or its personal details) by reference")
    erase.add_argument("reference", metavar="REFERENCE", help="the reference the person was given, e.g. SB-7F3K2Q (a comment) or BM-7F3K2Q (a sounding-board member)")
    erase.add_argument("--scope", choices=("personal", "all"), required=True,
                       help="personal: empty name, email and organisation, keep the comment; all: delete it")
    erase.add_argument("--actor", required=True, metavar="NAME", help="who is erasing (kept in the audit)")
    erase.add_argument("--reason", default="", metavar="TEXT", help="why (kept in the audit)")
    erase.add_argument("--url", help=url_help)
    erase.set_defaults(func=cmd_erase)

    submit = commands.add_parser("submit", help="record a comment sent on paper or by email, checked as the form checks it")
    submit.add_argument("--priority", required=True, metavar="ID", help="the strategic priority's id, e.g. workforce")
    submit.add_argument("--respondent-type", required=True, choices=RESPONDENT_TYPES, metavar="TYPE",
                        help=f"who sent it: {', '.join(RESPONDENT_TYPES)}")
    submit.add_argument("--comment", required=True, metavar="TEXT", help="the comment; - reads it from standard input")
    submit.add_argument("--place", action="append", default=[], metavar="PLACE",
                        help="a district (GSS code or name) or town it concerns; repeat for more")
    submit.add_argument("--organisation", default="", metavar="TEXT")
    submit.add_argument("--evidence-url", default="", metavar="URL", help="a link to evidence (http or https)")
    submit.add_argument("--name", default="", metavar="TEXT")
    submit.add_argument("--email", default="", metavar="ADDRESS")
    submit.add_argument("--consent", action="store_true",
                        help="the sender agreed to their name and email being kept (needed with either)")
    submit.add_argument("--workshop", metavar="CODE", help="count it with this workshop")
    submit.add_argument("--key", metavar="KEY",
                        help="a submission key (8 to 100 visible characters): the same key again stores nothing new "
                             "(default: a new key each run)")
    submit.add_argument("--url", help=url_help)
    submit.set_defaults(func=cmd_submit)

    init = commands.add_parser("init", help="first-time set-up: create the store if none exists (nothing else creates it)")
    init.add_argument("--url", help=url_help)
    init.set_defaults(func=cmd_init)
    return parser


def _open(args):
    return open_store(args.url or store_url_from_env(), create=False)  # only `feedback init` creates


def cmd_init(args: argparse.Namespace) -> int:
    """The first-time set-up: create the store (SQLite file, or PostgreSQL tables) if it does not
    exist, and bring it to the current schema. Says which it did."""
    url = args.url or store_url_from_env()
    try:
        existed = True
        try:
            store = open_store(url, create=False)
        except FeedbackStoreUnavailable:
            existed = False
            store = open_store(url, create=True)
        try:
            where, count = redact(store.url), store.counts_by_priority(None, include_hidden=True)
        finally:
            store.close()
    except FeedbackStoreUnavailable as exc:
        print(f"feedback init: {redact(exc)}", file=sys.stderr)
        return 1
    if existed:
        print(f"feedback init: {where} already exists ({sum(count.values()):,} comments); it is at the current schema")
    else:
        print(f"feedback init: created {where}")
    return 0


def _output_problem(path: Path) -> str | None:
    """Why `path` cannot be written, or None."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if path.is_dir():
        return "it is a folder"
    return None


TABLES = ("comments", "answers", "polls", "shifts", "matrix", "approved")


def _workshop_export(args: argparse.Namespace, store) -> bytes:
    """--format summary, or a --table other than comments."""
    from lis_data.views import workshop_results
    from lis_data.config import load_area
    from lis_data.feedback.validation import normalise_workshop_code

    code = normalise_workshop_code(args.workshop) if args.workshop else None
    if args.workshop and not code:
        raise ValueError(f"--workshop {args.workshop[:40]!r}: 3 to 40 letters, digits and hyphens")
    if args.table == "answers" and args.format != "summary":
        return workshop_results.table_bytes(workshop_results.answers_table(store, code), args.format, bom=not args.no_bom)
    if not code:
        raise ValueError(f"--{'format summary' if args.format == 'summary' else 'table ' + args.table} "
                         "needs --workshop CODE")
    districts = [c.strip() for c in args.districts.split(",") if c.strip()]
    area = load_area()
    bad = [c for c in districts if c not in area.district_codes]
    if bad:
        raise ValueError(f"--districts {', '.join(bad)}: not an {area.short_name} district code")
    from lis_data.runtime.store import Store

    indicators = Store.open()
    try:
        summary = workshop_results.summary(store, code, indicators, districts, area=area)
    finally:
        indicators.close()
    if args.format == "summary":
        return workshop_results.summary_text(summary).encode("utf-8")
    return workshop_results.table_bytes(workshop_results.summary_tables(summary)[args.table], args.format, bom=not args.no_bom)


def cmd_export(args: argparse.Namespace) -> int:
    if args.output:
        problem = _output_problem(args.output)
        if problem:
            print(f"feedback export: cannot write {args.output}: {problem}", file=sys.stderr)
            return 1
    try:
        store = _open(args)
        try:
            if args.format == "summary" or args.table != "comments":
                try:
                    data = _workshop_export(args, store)
                except ValueError as exc:
                    print(f"feedback export: {exc}", file=sys.stderr)
                    return 2
                except LisDataError as exc:
                    if isinstance(exc, FeedbackStoreUnavailable):
                        raise
                    print(f"feedback export: {redact(str(exc))}", file=sys.stderr)
                    return 1
                return _write(args, data)
            chosen = None
            if args.workshop:
                chosen = FeedbackFilter(since=args.since, workshop_code=args.workshop.strip().upper(),
                                        include_hidden=True)
            data = store.export(args.format, args.since, filters=chosen, include_personal=not args.no_personal,
                                bom=not args.no_bom)
        finally:
            store.close()
    except FeedbackStoreUnavailable as exc:
        print(f"feedback export: {redact(exc)}", file=sys.stderr)
        return 1
    return _write(args, data)


def _write(args: argparse.Namespace, data: bytes) -> int:
    if args.output:
        try:
            args.output.write_bytes(data)
        except OSError as exc:
            print(f"feedback export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 1
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
        print(f"feedback count: {redact(exc)}", file=sys.stderr)
        return 1
    width = max([len(p) for p in counts] + [len("total")])
    for priority, n in counts.items():
        print(f"{priority:<{width}}  {n:>6,}")
    print(f"{'total':<{width}}  {sum(counts.values()):>6,}")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    try:
        store = _open(args)
        try:
            result = store.erase(args.reference, scope=args.scope, actor=args.actor, reason=args.reason)
        finally:
            store.close()
    except (FeedbackStoreUnavailable, FeedbackNotFound, ValueError) as exc:
        print(f"feedback erase: {redact(exc)}", file=sys.stderr)
        return 1
    what = "personal details of" if result.scope == "personal" else "everything sent under"
    rows = "" if result.rows == 1 else f" ({result.rows} submissions share this reference)"
    print(f"feedback erase: erased the {what} {result.reference}{rows} at {result.erased_at.isoformat()}")
    return 0


#: The form's fields as this command's options, for its error messages.
_SUBMIT_OPTIONS = {"places": "--place", "workshop_code": "--workshop", "submission_key": "--key",
                   "respondent_type": "--respondent-type", "evidence_url": "--evidence-url"}


def cmd_submit(args: argparse.Namespace) -> int:
    """One comment through the submission service, as the page's Send button sends it (no honeypot,
    no session or address limits: the operator types it); prints its reference."""
    from lis_data.config import load_area, load_catalogue
    from lis_data.feedback import submission
    from lis_data.feedback.validation import new_submission_key
    from lis_data.views.places import accepted_places

    comment = sys.stdin.read() if args.comment == "-" else args.comment
    raw = {"priority": args.priority, "places": list(args.place), "respondent_type": args.respondent_type,
           "organisation": args.organisation, "comment": comment, "evidence_url": args.evidence_url,
           "name": args.name, "email": args.email, "consent": args.consent, "workshop_code": args.workshop,
           "submission_key": args.key or new_submission_key()}
    opened = []

    def store():
        opened.append(_open(args))
        return opened[-1]

    try:
        outcome = submission.submit(raw, priorities=[p.id for p in load_catalogue().priorities],
                                    places=accepted_places(load_area()), store=store,
                                    memory=submission.Memory(), most=1, window=1.0)
    finally:
        for s in opened:
            s.close()
    kind, detail = outcome.status
    if kind == "invalid":
        for name, message in outcome.errors.items():
            print(f"feedback submit: {_SUBMIT_OPTIONS.get(name, '--' + name)}: {message}", file=sys.stderr)
        return 2
    if kind == "unavailable":
        print(f"feedback submit: {redact(detail)}", file=sys.stderr)
        return 1
    if kind == "duplicate":
        print(f"feedback submit: stored before under this key, as {detail}; nothing new stored")
        return 0
    print(f"feedback submit: stored as {detail}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lis_data")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
