"""Checking a sounding-board submission before it is stored.

`validate_submission` takes the raw values of the form (a mapping of field
name to value) and returns either a frozen `Submission` ready to append, or a
dict of field name -> a message to show beside that field. It never edits the
caller's mapping.

Text is stored exactly as typed: HTML, script or SQL-looking text is kept
verbatim (it is always passed to the database as a query parameter and must be
escaped by whoever displays it). The only changes are:

* the comment has surrounding whitespace trimmed, and a comment with no visible character
  (only spaces, zero-width or filler characters: see `text.has_visible_character`) is refused;
  bidirectional controls are stored as typed and neutralised where comments are shown
  (`text.neutralise_for_display`);
* identifiers (email, evidence URL, workshop code) have surrounding
  whitespace trimmed, and the workshop code is upper-cased;
* an optional field that is empty or whitespace-only counts as not given;
* places are matched case-insensitively and stored in the spelling of the
  `places` collection, without repeats.

A filled honeypot returns ``{"_spam": ...}`` (see `SPAM_KEY`) so the caller
can drop the submission silently.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from lis_data.feedback.text import has_visible_character, visible_length

#: Who is responding. The form offers these, in this order.
RESPONDENT_TYPES: tuple[str, ...] = (
    "business",
    "council",
    "education or skills provider",
    "community or voluntary",
    "resident",
    "other",
)

#: Key of the marker dict returned when the honeypot field is filled.
SPAM_KEY = "_spam"

COMMENT_MIN = 10
COMMENT_MAX = 4000
ORGANISATION_MAX = 200
NAME_MAX = 200
EMAIL_MAX = 254
URL_MAX = 2000
SUBMISSION_KEY_MIN = 8
SUBMISSION_KEY_MAX = 100

_EMAIL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    re.ASCII,
)
_WORKSHOP_RE = re.compile(r"[A-Za-z0-9-]{3,40}", re.ASCII)
_KEY_RE = re.compile(r"[\x21-\x7e]+", re.ASCII)  # visible ASCII, no spaces


@dataclass(frozen=True)
class Submission:
    """A checked submission. Only `validate_submission` should build one."""

    priority: str
    respondent_type: str
    comment: str
    submission_key: str
    places: tuple[str, ...] = ()
    organisation: str | None = None
    evidence_url: str | None = None
    name: str | None = None
    email: str | None = None
    consent: bool = False
    workshop_code: str | None = None


def new_submission_key() -> str:
    """A fresh idempotency token. Make one when the form is first shown and
    keep it (e.g. in session state) so a double click or a retry after an
    error stores the submission once."""
    return uuid.uuid4().hex


def is_spam(result: object) -> bool:
    """True when `validate_submission` says the honeypot was filled."""
    return isinstance(result, dict) and SPAM_KEY in result


def area_places() -> tuple[str, ...]:
    """District codes and district names of the configured area, a sensible
    default for the `places` argument until a towns list exists."""
    from lis_data.config import load_area

    area = load_area()
    return tuple(d.code for d in area.districts) + tuple(d.name for d in area.districts)


class _Invalid(Exception):
    """One field's problem; the message is shown to the person."""


def _bad_characters(value: str) -> str | None:
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a character that cannot be stored (an unpaired surrogate)"
    return None


def _text(raw: Mapping[str, object], field: str, label: str) -> str | None:
    """The field as text, or None when absent or blank. Raises _Invalid."""
    value = raw.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"{label} must be text.")
    problem = _bad_characters(value)
    if problem:
        raise _Invalid(f"{label} {problem}.")
    if not value.strip():
        return None
    return value


def _priority(raw, priorities: Collection[str]) -> str:
    value = _text(raw, "priority", "The priority")
    if value is None:
        raise _Invalid("Choose the strategic priority your comment is about.")
    if value not in priorities:
        raise _Invalid(f"'{value}' is not one of the strategic priorities.")
    return value


def _places(raw, places: Collection[str]) -> tuple[str, ...]:
    value = raw.get("places")
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise _Invalid("Places must be a list of places.")
    by_folded = {}
    for p in places:
        by_folded.setdefault(p.casefold(), p)
    chosen: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise _Invalid("Each place must be text.")
        problem = _bad_characters(item)
        if problem:
            raise _Invalid(f"A place {problem}.")
        canonical = item if item in places else by_folded.get(item.strip().casefold())
        if canonical is None:
            raise _Invalid(f"'{item}' is not a district or town we know in this area.")
        if canonical not in chosen:
            chosen.append(canonical)
    return tuple(chosen)


def _respondent_type(raw) -> str:
    value = _text(raw, "respondent_type", "Who you are")
    if value is None:
        raise _Invalid("Tell us who you are responding as.")
    if value not in RESPONDENT_TYPES:
        raise _Invalid(f"Choose one of: {', '.join(RESPONDENT_TYPES)}.")
    return value


def _comment(raw) -> str:
    value = _text(raw, "comment", "Your comment")
    if value is None:
        raise _Invalid("Write your comment (at least 10 characters).")
    value = value.strip()
    if not has_visible_character(value):
        raise _Invalid(
            "Your comment has no visible character (only spaces or invisible characters): "
            "write your comment in words."
        )
    if visible_length(value) < COMMENT_MIN:
        raise _Invalid(f"Your comment is too short: write at least {COMMENT_MIN} characters "
                       "(invisible characters such as zero-width spaces do not count).")
    if len(value) > COMMENT_MAX:
        over = len(value) - COMMENT_MAX
        raise _Invalid(
            f"Your comment is {len(value):,} characters long; the limit is {COMMENT_MAX:,}. "
            f"Please shorten it by {over:,} character{'s' if over != 1 else ''}: "
            "everything you typed is still in the box."
        )
    return value


def _too_long(label: str, value: str, limit: int) -> _Invalid:
    over = len(value) - limit
    return _Invalid(f"{label} is {len(value):,} characters long; the limit is {limit:,}. Please shorten it by "
                    f"{over:,} character{'s' if over != 1 else ''}: everything you typed is still in the box.")


def _organisation(raw) -> str | None:
    value = _text(raw, "organisation", "The organisation")
    if value is not None and len(value) > ORGANISATION_MAX:
        raise _too_long("Organisation", value, ORGANISATION_MAX)
    return value


def _evidence_url(raw) -> str | None:
    value = _text(raw, "evidence_url", "The link")
    if value is None:
        return None
    value = value.strip()
    if len(value) > URL_MAX:
        raise _Invalid(f"The link can be at most {URL_MAX:,} characters.")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        raise _Invalid("The link must not contain spaces or control characters.")
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # raises ValueError for a malformed port
    except ValueError:
        raise _Invalid("The link is not a valid web address.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise _Invalid("The link must start with http:// or https://.")
    if not host:
        raise _Invalid("The link must include a website, e.g. https://www.example.org/report.")
    return value


def _name(raw) -> str | None:
    value = _text(raw, "name", "Your name")
    if value is not None and len(value) > NAME_MAX:
        raise _too_long("Your name", value, NAME_MAX)
    return value


def _email(raw) -> str | None:
    value = _text(raw, "email", "Your email address")
    if value is None:
        return None
    value = value.strip()
    local = value.rpartition("@")[0]
    if len(value) > EMAIL_MAX or len(local) > 64 or not _EMAIL_RE.fullmatch(value):
        raise _Invalid("Enter an email address like name@example.org, or leave it blank.")
    return value


def _consent(raw) -> bool:
    value = raw.get("consent", False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _Invalid("Consent must be ticked or left unticked.")
    return value


def _workshop_code(raw) -> str | None:
    value = _text(raw, "workshop_code", "The workshop code")
    if value is None:
        return None
    value = value.strip()
    if not _WORKSHOP_RE.fullmatch(value):
        raise _Invalid(
            "A workshop code has 3 to 40 letters, digits and hyphens, e.g. BASINGSTOKE-2026-12-03."
        )
    return value.upper()


def _submission_key(raw) -> str:
    value = raw.get("submission_key")
    if not isinstance(value, str) or not value:
        raise _Invalid("The form is missing its submission key; reload the page.")
    if not (SUBMISSION_KEY_MIN <= len(value) <= SUBMISSION_KEY_MAX) or not _KEY_RE.fullmatch(value):
        raise _Invalid(
            f"The submission key must be {SUBMISSION_KEY_MIN} to {SUBMISSION_KEY_MAX} "
            "visible ASCII characters."
        )
    return value


def validate_submission(
    raw: Mapping[str, object],
    *,
    priorities: Collection[str],
    places: Collection[str],
) -> Submission | dict[str, str]:
    """Check a raw form submission.

    Returns a `Submission`, or a dict of field name -> human error message
    (every failing field is reported at once), or ``{SPAM_KEY: ...}`` when the
    honeypot field is filled.
    """
    honeypot = raw.get("honeypot")
    if honeypot not in (None, "", False):
        return {SPAM_KEY: "honeypot field was filled"}

    checks = {
        "priority": lambda: _priority(raw, priorities),
        "places": lambda: _places(raw, places),
        "respondent_type": lambda: _respondent_type(raw),
        "organisation": lambda: _organisation(raw),
        "comment": lambda: _comment(raw),
        "evidence_url": lambda: _evidence_url(raw),
        "name": lambda: _name(raw),
        "email": lambda: _email(raw),
        "consent": lambda: _consent(raw),
        "workshop_code": lambda: _workshop_code(raw),
        "submission_key": lambda: _submission_key(raw),
    }
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for field, check in checks.items():
        try:
            values[field] = check()
        except _Invalid as exc:
            errors[field] = str(exc)

    if "consent" not in errors and not values.get("consent"):
        if values.get("name") is not None or values.get("email") is not None:
            errors["consent"] = (
                "Tick the consent box so we may keep your name and email, "
                "or leave them blank to respond anonymously."
            )
    if errors:
        return errors
    return Submission(**values)  # type: ignore[arg-type]


def normalise_workshop_code(value: object) -> str | None:
    """A workshop code as stored (upper case), or None when it is not a valid code.

    For the edges that carry a code outside the form (a URL parameter, the workshop page)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value.upper() if _WORKSHOP_RE.fullmatch(value) else None
