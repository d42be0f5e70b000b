"""HTTP routes the dashboard's server answers beside Streamlit's own (plain Starlette, no Streamlit).

app.py passes `routes(...)` to `st.App` when the server imports it (`streamlit run app.py` runs in
ASGI mode because app.py defines `app = st.App(...)`). The data API's routes (`/api/v1/...`) live in
web/api.py. Add further routes here, each a Starlette `Route`; paths under `/_stcore/`, `/media/`, `/component/`
and `/static/` belong to Streamlit.

`GET /j/CODE`: the short join address a workshop's QR code encodes and the room types; a 303 to the
sounding board with the code (`../sounding-board?workshop=CODE`).

`GET /ready` (or HEAD): 200 `{"status": "ready"}` when the indicator store answers a query with
figures in it and the feedback store accepts a connection; otherwise 503
`{"status": "unavailable", "reasons": [...]}` with short reasons (never a path, host or secret;
the details are in the server log). For load balancers and process supervisors; Streamlit's own
`/_stcore/health` only says the web server is up. While the process is still warming up
(ui/warmup.py: imports and display boundaries, a few seconds after start) it answers
503 with the reason "warming up".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

from lis_data import feedback
from web.readiness import ReadinessProbe

READY_PATH = "/ready"
#: A check that takes longer than this answers 503 (a locked or unreachable database).
READY_TIMEOUT_S = 5.0
_NO_STORE = {"Cache-Control": "no-store"}


#: The reason /ready gives while the process is still importing and building its shared data.
WARMING_UP = "warming up"


def ready_endpoint(probe: ReadinessProbe, timeout_s: float = READY_TIMEOUT_S,
                   warm: Callable[[], bool] | None = None):
    in_flight: list[asyncio.Future] = []  # a check still running is shared, never started twice

    async def ready(_request: Request) -> JSONResponse:
        if warm is not None and not warm():
            return JSONResponse({"status": "unavailable", "reasons": [WARMING_UP]},
                                status_code=503, headers=_NO_STORE)
        if not in_flight or in_flight[0].done():
            in_flight[:] = [asyncio.ensure_future(run_in_threadpool(probe.check))]
        try:
            result = await asyncio.wait_for(asyncio.shield(in_flight[0]), timeout_s)
        except asyncio.TimeoutError:
            return JSONResponse({"status": "unavailable", "reasons": ["readiness check timed out"]},
                                status_code=503, headers=_NO_STORE)
        if result.ready:
            return JSONResponse({"status": "ready"}, headers=_NO_STORE)
        return JSONResponse({"status": "unavailable", "reasons": list(result.reasons)},
                            status_code=503, headers=_NO_STORE)

    return ready


#: The short join address of a workshop: /j/CODE opens the sounding board tagged with the code.
JOIN_PATH = "/j/{code}"


async def join(request: Request):
    """/j/CODE: 303 to the sounding board with the workshop's code (relative, so it works under a path
    prefix too). A code that is not 3 to 40 letters, digits and hyphens: 404 saying so (never echoed)."""
    code = feedback.normalise_workshop_code(request.path_params.get("code", ""))
    if code is None:
        return PlainTextResponse("Not a workshop code: a code has 3 to 40 letters, digits and hyphens. Open the "
                                 "sounding board and type the code shown on the screen.",
                                 status_code=404, headers=_NO_STORE)
    return RedirectResponse(f"../sounding-board?workshop={code}", status_code=303, headers=_NO_STORE)


def routes(feedback_url: Callable[[], str | None] = feedback.store_url_from_env,
           probe: ReadinessProbe | None = None, warm: Callable[[], bool] | None = None) -> list[Route]:
    """The dashboard's own routes. `feedback_url` returns the configured feedback store URL (the
    app passes the same function its pages use, so secrets and environment agree); `warm`, when
    given, says whether the process has finished its start-up work (503 "warming up" until then)."""
    from web import api  # the read-only data API: /api/v1/figures.csv, /api/v1/profile.csv

    from web import hub  # the LIS hub: /api/v1/events.ics, /research/ID.pdf, /workshops/CODE

    probe = probe or ReadinessProbe(feedback_url=feedback_url)
    return [Route(READY_PATH, ready_endpoint(probe, warm=warm), methods=["GET", "HEAD"], name="ready"),
            Route(JOIN_PATH, join, methods=["GET", "HEAD"], name="join"),
            # the hub's /api/v1/events.ics before the API's catch-all 404 for unknown /api/ paths
            *hub.routes(feedback_url), *api.routes()]
