"""The LIS hub's HTTP routes beside the pages (plain Starlette, no Streamlit):

* `GET /api/v1/events.ics`: every event not cancelled as an iCalendar feed (`lis_data.hub.calendar`),
  for calendar programs to subscribe to;
* `GET /research/{id}.pdf`: a research document's PDF as uploaded (checked when it was added:
  `lis_data.hub.pdf_check`), served as an attachment with a sandboxing Content-Security-Policy;
* `GET /workshops/{code}`: the public record of a workshop, the page `/workshops?code=CODE` (a
  redirect: Streamlit's pages have no path parameters).

They read the feedback store named by the same setting as the pages (`feedback_url`, passed in by
web.routes.routes). Failures answer 503 with a short reason, never a path, host or secret.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from lis_data import feedback
from lis_data.feedback import FeedbackNotFound, FeedbackStoreUnavailable

EVENTS_PATH = "/api/v1/events.ics"
log = logging.getLogger(__name__)
_CODE = re.compile(r"[A-Za-z0-9-]{3,40}")
_ID = re.compile(r"[0-9a-fA-F-]{36}")


class _Stores:
    """One feedback store per URL for the server process, opened on first use."""

    def __init__(self, url: Callable[[], str | None]):
        self.url = url
        self._open: dict[str | None, feedback.FeedbackStore] = {}
        self._lock = threading.Lock()

    def get(self) -> feedback.FeedbackStore:
        url = self.url()
        with self._lock:
            if url not in self._open:
                self._open[url] = feedback.open_store(url)
            return self._open[url]


def _unavailable(what: str, exc: Exception) -> PlainTextResponse:
    log.warning("%s unavailable: %s", what, feedback.redact(str(exc)))
    return PlainTextResponse(f"{what} is unavailable just now; try again later.\n", status_code=503,
                             headers={"Cache-Control": "no-store"})


def routes(feedback_url: Callable[[], str | None] = feedback.store_url_from_env) -> list[Route]:
    stores = _Stores(feedback_url)

    async def events_ics(request: Request) -> Response:
        from lis_data.config import load_catalogue
        from lis_data.hub.calendar import events_ics as make

        def build() -> bytes:
            titles = {p.id: f"{p.number}. {p.title}" for p in load_catalogue().priorities}
            return make(stores.get().events(), str(request.base_url), titles)

        try:
            body = await run_in_threadpool(build)
        except FeedbackStoreUnavailable as exc:
            return _unavailable("The events feed", exc)
        return Response(body, media_type="text/calendar; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff",
                                 "Content-Disposition": 'inline; filename="em3-lis-events.ics"'})

    async def research_pdf(request: Request) -> Response:
        rid = request.path_params["rid"]
        if not _ID.fullmatch(rid):
            return PlainTextResponse("No such research document.\n", status_code=404)
        try:
            name, content = await run_in_threadpool(lambda: stores.get().research_file(rid))
        except FeedbackNotFound:
            return PlainTextResponse("No such research document.\n", status_code=404)
        except FeedbackStoreUnavailable as exc:
            return _unavailable("The research library", exc)
        return Response(content, media_type="application/pdf", headers={
            "Content-Disposition": f"attachment; filename=\"document.pdf\"; filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "private, max-age=300"})

    async def workshop_record(request: Request) -> Response:
        code = request.path_params["code"]
        if not _CODE.fullmatch(code):
            return RedirectResponse("/workshops", status_code=307)
        return RedirectResponse(f"/workshops?code={quote(code.upper())}", status_code=307)

    return [Route(EVENTS_PATH, events_ics, methods=["GET", "HEAD"], name="events_ics"),
            Route("/research/{rid}.pdf", research_pdf, methods=["GET"], name="research_pdf"),
            Route("/workshops/{code}", workshop_record, methods=["GET"], name="workshop_record")]
