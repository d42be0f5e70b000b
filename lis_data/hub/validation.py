"""Checking what staff and sounding-board members send to the LIS hub (no streamlit, no SQL).

Each `validate_*` takes raw values (a mapping of field -> value) and returns a frozen record ready
for the store, or a dict of field -> a message to show beside that field. Text is stored exactly as
typed (trimmed), whatever it holds (HTML, Markdown, formulas, bidi controls): it always goes to the
database as a query parameter, and whoever shows it escapes it (`ui/formatting.py`,
`lis_data.feedback.text.neutralise_for_display`); exports make formula cells safe
(`lis_data.feedback.spreadsheet_safe`). Refused: NUL characters, unpaired surrogates, text longer
than the field's limit, and required text with no visible character.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

TITLE_MAX = 300
AUTHORS_MAX = 300
SUMMARY_MAX = 5000
LICENCE_MAX = 200
URL_MAX = 2000
ACTOR_MAX = 200
EVENT_TITLE_MAX = 200
PLACE_MAX = 300
DESCRIPTION_MAX = 5000
IDEA_TITLE_MIN, IDEA_TITLE_MAX = 5, 150
IDEA_TEXT_MIN, IDEA_TEXT_MAX = 20, 4000
IDEA_INDICATORS_MAX = 5
COMMENT_MIN, COMMENT_MAX = 10, 2000
RESPONSE_MAX = 4000
NAME_MAX = 200
EMAIL_MAX = 254
ORGANISATION_MAX = 200
KEY_MIN, KEY_MAX = 8, 100
EVENT_MAX_DAYS = 7

#: Licences offered on the upload form; "other" lets staff type one.
LICENCES: tuple[str, ...] = (
    "Open Government Licence v3.0",
    "Creative Commons Attribution 4.0 (CC BY 4.0)",
    "All rights reserved: shared with permission",
)

#: What staff may answer an idea with.
STATUSES: tuple[str, ...] = ("under consideration", "taken into the strategy", "not taken forward")
STATUS_NEW = "new"
STATUS_TAKEN = "taken into the strategy"
STATUS_NOT_TAKEN = "not taken forward"
DECISIONS: tuple[str, ...] = ("approved", "rejected")

_EMAIL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    re.ASCII,
)
_KEY_RE = re.compile(r"[\x21-\x7e]+", re.ASCII)


class _Invalid(Exception):
    pass


def _visible(text: str) -> bool:
    from lis_data.feedback.text import has_visible_character

    return has_visible_character(text)


def _text(raw: Mapping[str, object], field: str, label: str, limit: int, *, required: bool,
          minimum: int = 0) -> str | None:
    value = raw.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _Invalid(f"{label}: must be text")
    if "\x00" in value:
        raise _Invalid(f"{label}: contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Invalid(f"{label}: contains a character that cannot be stored (an unpaired surrogate)") from None
    value = value.strip()
    if not value or not _visible(value):
        if required:
            raise _Invalid(f"{label}: required")
        return None
    if len(value) > limit:
        raise _Invalid(f"{label}: at most {limit:,} characters (this has {len(value):,})")
    if len(value) < minimum:
        raise _Invalid(f"{label}: at least {minimum} characters")
    return value


def _choices(raw: Mapping[str, object], field: str, label: str, allowed: Collection[str], *, at_least: int = 0,
             at_most: int | None = None) -> tuple[str, ...]:
    value = raw.get(field) or ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise _Invalid(f"{label}: must be a list")
    out: list[str] = []
    for v in value:
        if not isinstance(v, str) or v not in allowed:
            raise _Invalid(f"{label}: {str(v)[:40]!r} is not one of the choices")
        if v not in out:
            out.append(v)
    if len(out) < at_least:
        raise _Invalid(f"{label}: choose at least {at_least}")
    if at_most is not None and len(out) > at_most:
        raise _Invalid(f"{label}: choose at most {at_most}")
    return tuple(out)


def _url(raw: Mapping[str, object], field: str, label: str) -> str | None:
    value = _text(raw, field, label, URL_MAX, required=False)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise _Invalid(f"{label}: a web address starting with https:// or http://")
    return value


def _key(raw: Mapping[str, object]) -> str:
    key = raw.get("submission_key")
    if not isinstance(key, str) or not (KEY_MIN <= len(key) <= KEY_MAX) or not _KEY_RE.fullmatch(key):
        raise _Invalid("submission_key: missing or malformed (reload the page)")
    return key


def _collect(checks: Mapping[str, object]) -> tuple[dict, dict[str, str]]:
    values, errors = {}, {}
    for field, check in checks.items():
        try:
            values[field] = check()
        except _Invalid as exc:
            errors[field] = str(exc)
    return values, errors


# -- research ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResearchItem:
    title: str
    authors: str
    published: date
    summary: str
    priorities: tuple[str, ...]
    indicators: tuple[str, ...]
    licence: str
    link: str | None
    added_by: str


def _date(raw: Mapping[str, object], field: str, label: str) -> date:
    value = raw.get(field)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise _Invalid(f"{label}: a date as YYYY-MM-DD") from None
    if not isinstance(value, date):
        raise _Invalid(f"{label}: required")
    if not (date(1900, 1, 1) <= value <= date.today() + timedelta(days=366)):
        raise _Invalid(f"{label}: between 1900 and next year")
    return value


def validate_research(raw: Mapping[str, object], *, priorities: Collection[str], indicators: Collection[str],
                      has_file: bool) -> ResearchItem | dict[str, str]:
    """A research document's details. A document needs an uploaded file or a link (or both)."""
    values, errors = _collect({
        "title": lambda: _text(raw, "title", "Title", TITLE_MAX, required=True),
        "authors": lambda: _text(raw, "authors", "Authors or commissioner", AUTHORS_MAX, required=True),
        "published": lambda: _date(raw, "published", "Date"),
        "summary": lambda: _text(raw, "summary", "Summary", SUMMARY_MAX, required=True),
        "priorities": lambda: _choices(raw, "priorities", "Priorities", priorities, at_least=1),
        "indicators": lambda: _choices(raw, "indicators", "Indicators", indicators),
        "licence": lambda: _text(raw, "licence", "Licence", LICENCE_MAX, required=True),
        "link": lambda: _url(raw, "link", "Link"),
        "added_by": lambda: _text(raw, "added_by", "Your name", ACTOR_MAX, required=True),
    })
    if "link" not in errors and not values.get("link") and not has_file:
        errors["link"] = "Link: give a link, or upload a PDF"
    return errors if errors else ResearchItem(**values)


# -- events --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventItem:
    title: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    place: str
    priority: str | None
    description: str
    workshop_code: str | None


def _aware(raw: Mapping[str, object], field: str, label: str) -> datetime:
    value = raw.get(field)
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise _Invalid(f"{label}: a date and time")
    return value.astimezone(timezone.utc)


def validate_event(raw: Mapping[str, object], *, priorities: Collection[str]) -> EventItem | dict[str, str]:
    """An event: starts_at and ends_at are timezone-aware datetimes (the form gives London time)."""
    from lis_data.feedback.validation import normalise_workshop_code

    def code():
        value = _text(raw, "workshop_code", "Workshop code", 40, required=False)
        if value is None:
            return None
        norm = normalise_workshop_code(value)
        if norm is None:
            raise _Invalid("Workshop code: 3 to 40 letters, digits and hyphens")
        return norm

    def priority():
        value = raw.get("priority") or None
        if value is not None and value not in priorities:
            raise _Invalid(f"Priority: {str(value)[:40]!r} is not one of the priorities")
        return value

    values, errors = _collect({
        "title": lambda: _text(raw, "title", "Title", EVENT_TITLE_MAX, required=True),
        "starts_at": lambda: _aware(raw, "starts_at", "Starts"),
        "ends_at": lambda: _aware(raw, "ends_at", "Ends"),
        "place": lambda: _text(raw, "place", "Place", PLACE_MAX, required=True),
        "priority": priority,
        "description": lambda: _text(raw, "description", "Description", DESCRIPTION_MAX, required=False) or "",
        "workshop_code": code,
    })
    if "starts_at" not in errors and "ends_at" not in errors:
        span = values["ends_at"] - values["starts_at"]
        if span <= timedelta(0):
            errors["ends_at"] = "Ends: after it starts"
        elif span > timedelta(days=EVENT_MAX_DAYS):
            errors["ends_at"] = f"Ends: at most {EVENT_MAX_DAYS} days after it starts"
    return errors if errors else EventItem(**values)


# -- ideas ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IdeaItem:
    priority: str
    title: str
    description: str
    indicators: tuple[str, ...]
    submission_key: str


def validate_idea(raw: Mapping[str, object], *, priorities: Collection[str],
                  indicators: Collection[str]) -> IdeaItem | dict[str, str]:
    """An idea: a priority, a title, what it would do, and the 1 to 5 indicators it means to move."""
    def priority():
        value = raw.get("priority")
        if not isinstance(value, str) or value not in priorities:
            raise _Invalid("Priority: choose one")
        return value

    values, errors = _collect({
        "priority": priority,
        "title": lambda: _text(raw, "title", "Title", IDEA_TITLE_MAX, required=True, minimum=IDEA_TITLE_MIN),
        "description": lambda: _text(raw, "description", "What it would do", IDEA_TEXT_MAX, required=True,
                                     minimum=IDEA_TEXT_MIN),
        "indicators": lambda: _choices(raw, "indicators", "Indicators it means to move", indicators, at_least=1,
                                       at_most=IDEA_INDICATORS_MAX),
        "submission_key": lambda: _key(raw),
    })
    return errors if errors else IdeaItem(**values)


@dataclass(frozen=True)
class IdeaComment:
    comment: str
    submission_key: str


def validate_idea_comment(raw: Mapping[str, object]) -> IdeaComment | dict[str, str]:
    values, errors = _collect({
        "comment": lambda: _text(raw, "comment", "Comment", COMMENT_MAX, required=True, minimum=COMMENT_MIN),
        "submission_key": lambda: _key(raw),
    })
    return errors if errors else IdeaComment(**values)


@dataclass(frozen=True)
class IdeaResponse:
    status: str
    response: str
    reason: str | None
    actor: str


def validate_response(raw: Mapping[str, object]) -> IdeaResponse | dict[str, str]:
    """Staff's answer to an idea: a status, a response, and the reason when it is not taken forward."""
    def status():
        value = raw.get("status")
        if value not in STATUSES:
            raise _Invalid(f"Status: one of {', '.join(STATUSES)}")
        return value

    values, errors = _collect({
        "status": status,
        "response": lambda: _text(raw, "response", "Response", RESPONSE_MAX, required=True),
        "reason": lambda: _text(raw, "reason", "Reason", RESPONSE_MAX, required=False),
        "actor": lambda: _text(raw, "actor", "Your name", ACTOR_MAX, required=True),
    })
    if values.get("status") == STATUS_NOT_TAKEN and not values.get("reason") and "reason" not in errors:
        errors["reason"] = "Reason: say why it is not taken forward"
    return errors if errors else IdeaResponse(**values)


# -- sounding board members ----------------------------------------------------------------------
@dataclass(frozen=True)
class MemberItem:
    name: str
    email: str
    organisation: str | None
    priorities: tuple[str, ...]
    consent: bool
    submission_key: str


def validate_member(raw: Mapping[str, object], *, priorities: Collection[str]) -> MemberItem | dict[str, str]:
    """Joining the sounding board: name, email, organisation (optional), priorities, consent (required)."""
    def email():
        value = _text(raw, "email", "Email", EMAIL_MAX, required=True)
        if not _EMAIL_RE.fullmatch(value or ""):
            raise _Invalid("Email: an address like name@example.org")
        return value

    def consent():
        if raw.get("consent") is not True:
            raise _Invalid("Consent: tick the box to agree that the LEP keeps these details to contact you")
        return True

    values, errors = _collect({
        "name": lambda: _text(raw, "name", "Name", NAME_MAX, required=True),
        "email": email,
        "organisation": lambda: _text(raw, "organisation", "Organisation", ORGANISATION_MAX, required=False),
        "priorities": lambda: _choices(raw, "priorities", "Priorities", priorities),
        "consent": consent,
        "submission_key": lambda: _key(raw),
    })
    return errors if errors else MemberItem(**values)


def first_error(errors: Mapping[str, str]) -> str:
    return next(iter(errors.values()), "")


def catalogue_ids(catalogue) -> tuple[Sequence[str], Sequence[str]]:
    """(priority ids, indicator ids) of a catalogue: what the validators accept."""
    return tuple(p.id for p in catalogue.priorities), tuple(i.id for i in catalogue.indicators)
