"""ISO 8601 periods as the ONS publishes them, parsed into start, end, label and frequency.

Forms handled:
  "2026-01-01"            a date (a snapshot)
  "2004-01-01/P1Y"        a year from the start date (calendar, financial or academic)
  "2023-10-01/P3M"        a quarter or other span of months
  "2019-01-01/P3Y"        several years pooled
  "1998"                  a plain year (older releases)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_RE_DATE = re.compile(rf"^{_DATE}$")
_RE_SPAN = re.compile(rf"^{_DATE}/P(\d+)([YMD])$")
_RE_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """A period string is in none of the known forms."""


@dataclass(frozen=True)
class Period:
    text: str  # as published
    start: date
    end: date  # inclusive last day
    label: str
    frequency: str  # "snapshot", "annual", "quarterly", "monthly", "multi-year", "months", "days"


def _add_months(d: date, months: int) -> date:
    """The same day `months` later, on the month's last day if it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _date(y: str, m: str, d: str, text: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError as exc:
        raise PeriodError(f"period {text!r} is not a real date") from exc


def _year_label(start: date, end: date) -> str:
    """Calendar years read "2023"; years starting another month read "2023/24"."""
    if start.month == 1 and start.day == 1:
        return str(start.year)
    return f"{start.year}/{str(end.year)[-2:]}"


def parse_period(text: str) -> Period:
    text = text.strip()
    if m := _RE_YEAR.match(text):
        y = int(m.group(1))
        return Period(text, date(y, 1, 1), date(y, 12, 31), str(y), "annual")
    if m := _RE_DATE.match(text):
        d = _date(*m.groups(), text)
        return Period(text, d, d, f"{d.day} {_MONTHS[d.month - 1]} {d.year}", "snapshot")
    if m := _RE_SPAN.match(text):
        start = _date(m.group(1), m.group(2), m.group(3), text)
        n, unit = int(m.group(4)), m.group(5)
        if n == 0:
            raise PeriodError(f"period {text!r} has a zero duration")
        if unit == "Y":
            end = _add_months(start, 12 * n) - timedelta(days=1)
            if n == 1:
                return Period(text, start, end, _year_label(start, end), "annual")
            if start.month == 1:
                label = f"{start.year}–{end.year}"
            else:
                label = f"{start.year}/{str(start.year + 1)[-2:]}–{end.year - 1}/{str(end.year)[-2:]}"
            return Period(text, start, end, label, "multi-year")
        if unit == "M":
            end = _add_months(start, n) - timedelta(days=1)
            if n == 1:
                return Period(text, start, end, f"{_MONTHS[start.month - 1]} {start.year}", "monthly")
            first = _MONTHS[start.month - 1]
            last = _MONTHS[end.month - 1]
            if start.year == end.year:
                label = f"{first}–{last} {start.year}"
            else:
                label = f"{first} {start.year}–{last} {end.year}"
            return Period(text, start, end, label, "quarterly" if n == 3 else "months")
        end = start + timedelta(days=n - 1)
        return Period(text, start, end, f"{start.isoformat()} + {n} days", "days")
    raise PeriodError(f"period {text!r} is not an ISO 8601 date, date/duration or year")
