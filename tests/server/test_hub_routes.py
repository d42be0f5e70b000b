"""The LIS hub's HTTP routes (web/hub.py) on both feedback backends: the iCalendar feed parses with
`icalendar` and holds the events added, a past workshop's event links to its published record and a
future one to its workshop page; a research PDF is served as an attachment; /workshops/CODE opens
the record page; bad input answers 404, never a traceback."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

from starlette.routing import Router

from web import hub as server_hub
from lis_data.feedback import open_store
from lis_data.hub import pdf_check
from lis_data.hub import validation as hub_validation

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from feedback.conftest import PRIORITIES, postgres_base_url, with_search_path  # noqa: E402,F401
from feedback.conftest import store_url  # noqa: E402,F401 - the fixture: both backends


def call(app, path: str, query: str = "") -> tuple[int, dict, bytes]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "headers": [(b"host", b"dashboard.example.org")], "root_path": "", "scheme": "https",
             "server": ("dashboard.example.org", 443), "client": ("127.0.0.1", 1234), "http_version": "1.1"}
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body


def _event(title, start, hours=2, code=None, priority="workforce"):
    item = hub_validation.validate_event({"title": title, "starts_at": start, "ends_at": start + timedelta(hours=hours),
                                          "place": "Guildford; \"Room\" 1,\nfloor 2", "priority": priority,
                                          "description": "Line one\nLine two, with commas; semicolons", "workshop_code": code},
                            priorities=PRIORITIES)
    assert isinstance(item, hub_validation.EventItem), item
    return item


def test_events_feed_parses_and_links_past_workshop_to_its_record(store_url):
    from icalendar import Calendar

    now = datetime.now(timezone.utc)
    with open_store(store_url) as store:
        store.open_workshop("PAST-WS-1", "pin-123456")
        past = store.add_event(_event("Past workshop", now - timedelta(days=3), code="past-ws-1"))
        future = store.add_event(_event("Future workshop", now + timedelta(days=10), code="FUTURE-WS-2"))
        plain = store.add_event(_event("Breakfast forum", now + timedelta(days=20), priority=None))
        gone = store.add_event(_event("Cancelled", now + timedelta(days=5)))
        store.cancel_event(gone)
        store.publish_record("PAST-WS-1", "A. Staff")
    app = Router(routes=server_hub.routes(lambda: store_url))
    status, headers, body = call(app, server_hub.EVENTS_PATH)
    assert status == 200 and headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(body)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Past workshop", "Future workshop", "Breakfast forum"}
    assert {str(e["uid"]).split("@")[0] for e in events.values()} == {past, future, plain}
    rec = events["Past workshop"]
    assert str(rec["url"]) == "https://dashboard.example.org/workshops/PAST-WS-1"
    assert "Record of the workshop: https://dashboard.example.org/workshops/PAST-WS-1" in str(rec["description"])
    assert str(events["Future workshop"]["url"]).endswith("/workshop?code=FUTURE-WS-2&priority=workforce")
    assert "url" not in events["Breakfast forum"]
    start = events["Past workshop"].decoded("dtstart")
    assert abs(start - (now - timedelta(days=3))) < timedelta(seconds=1)
    assert str(events["Past workshop"]["location"]) == "Guildford; \"Room\" 1, floor 2"  # one line


def test_research_pdf_served_as_attachment_and_bad_ids_404(store_url, tmp_path):
    import weasyprint

    pdf = weasyprint.HTML(string="<p>Body text</p>").write_pdf()
    item = hub_validation.validate_research({"title": "T", "authors": "A", "published": "2026-01-01", "summary": "S",
                                             "priorities": ["workforce"], "licence": "OGL", "added_by": "me"},
                               priorities=PRIORITIES, indicators=(), has_file=True)
    with open_store(store_url) as store:
        rid = store.add_research(item, pdf_check.check_pdf(pdf), pdf, "Skills <study>.pdf")
    app = Router(routes=server_hub.routes(lambda: store_url))
    status, headers, body = call(app, f"/research/{rid}.pdf")
    assert (status, body) == (200, pdf)
    assert headers["content-type"] == "application/pdf" and headers["content-disposition"].startswith("attachment")
    assert "sandbox" in headers["content-security-policy"] and headers["x-content-type-options"] == "nosniff"
    for bad in ("/research/00000000-0000-0000-0000-000000000000.pdf", "/research/..%2F..%2Fetc%2Fpasswd.pdf",
                "/research/x' OR '1'='1.pdf"):
        assert call(app, bad)[0] == 404


def test_workshop_path_opens_the_record_page(tmp_path):
    app = Router(routes=server_hub.routes(lambda: f"sqlite://{tmp_path / 'f.sqlite'}"))
    status, headers, _ = call(app, "/workshops/guildford-2026-12-01")
    assert status == 307 and headers["location"] == "/workshops?code=GUILDFORD-2026-12-01"
    status, headers, _ = call(app, "/workshops/<script>")
    assert status == 307 and headers["location"] == "/workshops"


def test_empty_store_gives_an_empty_calendar(tmp_path):
    """An empty store gives an empty, valid calendar."""
    from icalendar import Calendar

    app = Router(routes=server_hub.routes(lambda: f"sqlite://{tmp_path / 'f.sqlite'}"))
    status, _, body = call(app, server_hub.EVENTS_PATH)
    assert status == 200 and Calendar.from_ical(body).walk("VEVENT") == []
