"""The events as an iCalendar feed (RFC 5545), made with the `icalendar` package (no streamlit).

Calendar programs subscribe to ``/api/v1/events.ics``. Each event keeps its id as UID, so an edit
or a cancellation updates the subscriber's copy rather than adding another. A workshop event links
to its workshop page (the code) and, once its record is published, to the record
(``/workshops/CODE``). Text is written as the `icalendar` package escapes it; line breaks and
control characters other than a newline are removed from titles and places.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from urllib.parse import quote, urlencode

from lis_data.hub.models import Event

PRODID = "-//Enterprise M3 LEP//LIS dashboard events//EN"
CALENDAR_NAME = "EM3 Local Industrial Strategy: workshops and events"
UID_DOMAIN = "lis.enterprisem3.org.uk"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE = re.compile(r"[\r\n\u2028\u2029]+")


def _one_line(text: str) -> str:
    return _LINE.sub(" ", _CONTROL.sub("", text)).strip()


def _body(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def record_path(code: str) -> str:
    return "/workshops/" + quote(code, safe="-")


def workshop_path(code: str, priority: str | None) -> str:
    params = {"code": code, **({"priority": priority} if priority else {})}
    return "/workshop?" + urlencode(params)


def event_link(event: Event, now: datetime) -> str | None:
    """The path an event links to: its record once published and past, else its workshop page."""
    if not event.workshop_code:
        return None
    if event.record_published and event.is_past(now):
        return record_path(event.workshop_code)
    return workshop_path(event.workshop_code, event.priority)


def events_ics(events: Sequence[Event], base_url: str, priority_titles: dict[str, str] | None = None,
               now: datetime | None = None) -> bytes:
    """The feed as bytes (UTF-8, CRLF line ends, folded as RFC 5545 asks)."""
    from icalendar import Calendar, Event as VEvent

    now = now or datetime.now(timezone.utc)
    titles = priority_titles or {}
    base = base_url.rstrip("/")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("x-wr-timezone", "Europe/London")
    for ev in events:
        v = VEvent()
        v.add("uid", f"{ev.id}@{UID_DOMAIN}")
        v.add("dtstamp", now)
        v.add("dtstart", ev.starts_at.astimezone(timezone.utc))
        v.add("dtend", ev.ends_at.astimezone(timezone.utc))
        v.add("summary", _one_line(ev.title))
        v.add("location", _one_line(ev.place))
        lines = [_body(ev.description)] if ev.description else []
        if ev.priority:
            lines.append("Strategic priority: " + titles.get(ev.priority, ev.priority))
        link = event_link(ev, now)
        if ev.workshop_code:
            lines.append(f"Workshop code: {ev.workshop_code}")
            if ev.record_published and ev.is_past(now):
                lines.append(f"Record of the workshop: {base}{link}")
            else:
                lines.append(f"Join on the day: {base}{link}")
        if lines:
            v.add("description", "\n\n".join(lines))
        if link:
            v.add("url", base + link)
        cal.add_component(v)
    return cal.to_ical()
