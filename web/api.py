"""The read-only data API the dashboard's server answers (plain Starlette, no Streamlit): the figures a
page shows, as CSV, for analysts.

`GET /api/v1/figures.csv?area=CODE[,CODE...]&dataset=NAME[,NAME...]`: what `python -m lis_data export
--area ... --dataset ...` prints: every figure with its upstream identity, exactly as published.
At most API_ROW_LIMIT rows: the rows are counted first, and a larger answer is refused (400)
without being read, never cut short. The answer is streamed from the store API_BATCH rows at a
time, and at most MAX_CONCURRENT_EXPORTS are streamed at once per process: beyond that, 503 with
Retry-After (no request waits holding memory).

`GET /api/v1/profile.csv?area=CODE[&benchmark=england|region|county]`: what `python -m lis_data
profile --area CODE` prints: one English district's indicators judged against the benchmark.

`GET /api/v1/` (or `/api/v1`): an index of the endpoints and their parameters, as JSON. Any other path
under `/api/` answers 404 (not the app's page).

Every CSV is written by the one writer (lis_data/views/csv_out.py): no comment line; `source` and
`licence` are its last two columns; `period` is ISO 8601 as published, with `period_label` beside it.

Every parameter is checked: an unknown parameter, a malformed or unknown code or dataset, too many
values or too long a query answer 400 with a one-line reason (the input echoed only as a short
quoted excerpt, in a text/plain body). The routes read the indicator store only: no feedback.
"""

from __future__ import annotations

import re
import threading

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from lis_data.errors import LisDataError
from lis_data.domain.judgement import BENCHMARKS, DEFAULT_BENCHMARK
from lis_data.runtime.store import Store
from lis_data.views.exports import (TooManyRows, check_figures_size, figures_csv_chunks, known_areas,
                                    known_datasets, profile_csv)

API_ROW_LIMIT = 50_000
#: Rows read from the store per chunk of a streamed answer.
API_BATCH = 2_000
#: Figure exports streamed at once per process; more answer 503 with Retry-After.
MAX_CONCURRENT_EXPORTS = 4
RETRY_AFTER_S = 5
MAX_VALUES = 50
MAX_QUERY = 2_000
INDEX_PATH = "/api/v1/"
FIGURES_PATH = "/api/v1/figures.csv"
PROFILE_PATH = "/api/v1/profile.csv"
_CODE = re.compile(r"[A-Z][0-9]{8}")
_DATASET = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_CSV_HEADERS = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}

_store: list[Store] = []
_store_lock = threading.Lock()
_export_slots = threading.BoundedSemaphore(MAX_CONCURRENT_EXPORTS)


def _the_store() -> Store:
    """One indicator store for the server process, opened on first use."""
    with _store_lock:
        if not _store:
            _store.append(Store.open())
        return _store[0]


class BadRequest(Exception):
    pass


def _shown(value: str) -> str:
    text = "".join(c if c.isprintable() else "?" for c in value[:40])
    return repr(text + ("…" if len(value) > 40 else ""))


def _params(request: Request, allowed: tuple[str, ...]) -> dict[str, list[str]]:
    if len(request.url.query) > MAX_QUERY:
        raise BadRequest(f"the query is longer than {MAX_QUERY} characters")
    out: dict[str, list[str]] = {name: [] for name in allowed}
    for name, value in request.query_params.multi_items():
        if name not in allowed:
            raise BadRequest(f"unknown parameter {_shown(name)} (allowed: {', '.join(allowed)})")
        out[name] += [v.strip() for v in value.split(",") if v.strip()]
        if len(out[name]) > MAX_VALUES:
            raise BadRequest(f"{name}: more than {MAX_VALUES} values")
    return out


def _bad(reason: str) -> PlainTextResponse:
    return PlainTextResponse(f"error: {reason}\n", status_code=400, headers={"Cache-Control": "no-store"})


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={**_CSV_HEADERS, "Content-Disposition": f'inline; filename="{name}"'})


class Busy(Exception):
    pass


def _figures(query: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Check the parameters and count the rows (nothing read yet); the areas and datasets to stream."""
    store = _the_store()
    areas, datasets = [a.upper() for a in query["area"]], query["dataset"]
    for code in areas:
        if not _CODE.fullmatch(code):
            raise BadRequest(f"area {_shown(code)}: not a GSS code (a letter and eight digits)")
    for name in datasets:
        if not _DATASET.fullmatch(name):
            raise BadRequest(f"dataset {_shown(name)}: not a dataset name (lower-case letters, digits, hyphens)")
    if areas:
        unknown = [c for c in areas if c not in known_areas(store)]
        if unknown:
            raise BadRequest(f"area {unknown[0]}: no figures for this area code")
    if datasets:
        unknown = [d for d in datasets if d not in known_datasets(store)]
        if unknown:
            raise BadRequest(f"dataset {unknown[0]}: no such dataset in the extract")
    try:
        check_figures_size(store, areas or None, datasets or None, limit=API_ROW_LIMIT)
    except TooManyRows as exc:
        raise BadRequest(str(exc)) from exc
    return areas, datasets


async def _figures_endpoint(request: Request) -> Response:
    try:
        query = _params(request, ("area", "dataset"))
        areas, datasets = await run_in_threadpool(_figures, query)
    except BadRequest as exc:
        return _bad(str(exc))
    headers = {**_CSV_HEADERS, "Content-Disposition": 'inline; filename="em3-figures.csv"'}
    if request.method == "HEAD":
        return Response(b"", media_type="text/csv; charset=utf-8", headers=headers)
    if not _export_slots.acquire(blocking=False):
        return PlainTextResponse(f"error: {MAX_CONCURRENT_EXPORTS} exports are being sent; try again in "
                                 f"{RETRY_AFTER_S} seconds\n", status_code=503,
                                 headers={"Retry-After": str(RETRY_AFTER_S), "Cache-Control": "no-store"})

    async def body():
        try:
            chunks = figures_csv_chunks(_the_store(), areas or None, datasets or None, API_BATCH)
            try:
                while True:
                    chunk = await run_in_threadpool(next, chunks, None)
                    if chunk is None:
                        break
                    yield chunk.encode("utf-8")
            finally:
                chunks.close()
        finally:
            _export_slots.release()

    return StreamingResponse(body(), media_type="text/csv; charset=utf-8", headers=headers)


def _profile(query: dict[str, list[str]]) -> str:
    if len(query["area"]) != 1:
        raise BadRequest("area: give exactly one district code")
    code = query["area"][0].upper()
    if not _CODE.fullmatch(code):
        raise BadRequest(f"area {_shown(code)}: not a GSS code (a letter and eight digits)")
    benchmark = query["benchmark"][0] if query["benchmark"] else DEFAULT_BENCHMARK
    if len(query["benchmark"]) > 1 or benchmark not in BENCHMARKS:
        raise BadRequest(f"benchmark: choose one of {', '.join(BENCHMARKS)}")
    try:
        return profile_csv(_the_store(), code, benchmark)
    except LisDataError as exc:
        raise BadRequest(str(exc).replace("--area ", "area ").replace("--benchmark ", "benchmark ")) from exc


def _endpoint(allowed: tuple[str, ...], make, filename: str):
    async def endpoint(request: Request) -> Response:
        try:
            query = _params(request, allowed)
            text = await run_in_threadpool(make, query)
        except BadRequest as exc:
            return _bad(str(exc))
        return _csv(text, filename)
    return endpoint


def index() -> dict:
    """What /api/v1/ answers: every endpoint with its parameters, and the form of the CSV."""
    from lis_data.constants import LICENCE, LICENCE_URL
    from lis_data.views.exports import FIGURES_COLUMNS

    return {
        "name": "EM3 Local Industrial Strategy dashboard: data API",
        "version": "v1",
        "licence": {"name": LICENCE, "url": LICENCE_URL},
        "csv": "UTF-8, a header row, no comment line; the last two columns are source and licence; "
               "period is ISO 8601 as published (start/duration) with period_label beside it; figures exactly "
               "as published.",
        "endpoints": [
            {"path": FIGURES_PATH, "methods": ["GET", "HEAD"], "returns": "text/csv",
             "description": "Every figure with its upstream identity, exactly as published "
                            "(= python -m lis_data export).",
             "columns": [*FIGURES_COLUMNS, "source", "licence"],
             "parameters": {
                 "area": f"GSS codes, comma-separated (at most {MAX_VALUES}); default: every area",
                 "dataset": f"upstream dataset names, comma-separated (at most {MAX_VALUES}); default: every dataset"},
             "limit": f"more than {API_ROW_LIMIT:,} rows is refused (400) before any is read, never cut short; "
                      f"answers are streamed; at most {MAX_CONCURRENT_EXPORTS} at once per process, then 503 "
                      f"with Retry-After",
             "example": f"{FIGURES_PATH}?area=E07000217,E92000001&dataset=claimant-count"},
            {"path": PROFILE_PATH, "methods": ["GET", "HEAD"], "returns": "text/csv",
             "description": "One English district's indicators judged against a benchmark "
                            "(= python -m lis_data profile).",
             "parameters": {"area": "one English district's GSS code (required)",
                            "benchmark": f"one of {', '.join(BENCHMARKS)} (default {DEFAULT_BENCHMARK})"},
             "example": f"{PROFILE_PATH}?area=E07000217&benchmark=england"},
            {"path": INDEX_PATH, "methods": ["GET", "HEAD"], "returns": "application/json",
             "description": "This index.", "parameters": {}},
        ],
        "errors": "400 with a one-line reason for a bad parameter; 404 for any other path under /api/.",
    }


async def _index(request: Request) -> Response:
    if request.url.query:
        return _bad("the index takes no parameters")
    return JSONResponse(index(), headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"})


async def _not_found(_request: Request) -> Response:
    return PlainTextResponse(f"error: no such API path (the index: {INDEX_PATH})\n", status_code=404,
                             headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


def routes() -> list[Route]:
    return [
        Route(INDEX_PATH, _index, methods=["GET", "HEAD"], name="api-index"),
        Route(INDEX_PATH.rstrip("/"), _index, methods=["GET", "HEAD"], name="api-index-bare"),
        Route(FIGURES_PATH, _figures_endpoint, methods=["GET", "HEAD"], name="api-figures"),
        Route(PROFILE_PATH, _endpoint(("area", "benchmark"), _profile, "em3-profile.csv"), methods=["GET", "HEAD"],
              name="api-profile"),
        # Last: anything else under /api/ is not a page of the app.
        Route("/api", _not_found, methods=["GET", "HEAD"], name="api-unknown-root"),
        Route("/api/{rest:path}", _not_found, methods=["GET", "HEAD"],
              name="api-unknown"),
    ]
