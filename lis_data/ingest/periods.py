"""ISO 8601 periods as the ONS publishes them, parsed into start, end, label and frequency.

Forms handled:
  "2026-01-01"            a date (a snapshot)
  "2004-01-01/P1Y"        a year from the start date (calendar, financial or academic)
  "2023-10-01/P3M"        a quarter or other span of months
  "2019-01-01/P3Y"        several years pooled
  "1998"                  a plain year (older releases)

Digits are ASCII only (Python's regular expressions and `int()` also take Arabic-Indic and other
digits); a period starts in a year from 1900 to 2100 and lasts at most 100 years, so that a typo or
a hostile file (`9999-01-01/P1Y`, `2020-01-01/P99999999999Y`) is refused with a reason instead of
overflowing the date arithmetic here or in pandas.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_RE_DATE = re.compile(rf"^{_DATE}$", re.ASCII)
_RE_SPAN = re.compile(rf"^{_DATE}/P([0-9]+)([YMD])$", re.ASCII)
_RE_YEAR = re.compile(r"^([0-9]{4})$", re.ASCII)
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100  # the years a period may start in
MAX_YEARS = 100  # the longest period, in years (or the same in months or days)
_MAX_COUNT = {"Y": MAX_YEARS, "M": 12 * MAX_YEARS, "D": 366 * MAX_YEARS}


def _q(text: str) -> str:
    """The period as quoted in a message, cut to 60 characters."""
    return repr(text if len(text) <= 60 else text[:57] + "...")


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
    if not EARLIEST_YEAR <= int(y) <= LATEST_YEAR:
        raise PeriodError(f"period {_q(text)} starts in {int(y)}, outside {EARLIEST_YEAR} to {LATEST_YEAR}")
    try:
        return date(int(y), int(m), int(d))
    except ValueError as exc:
        raise PeriodError(f"period {_q(text)} is not a real date") from exc


def _year_label(start: date, end: date) -> str:
    """Calendar years read "2023"; years starting another month read "2023/24"."""
    if start.month == 1 and start.day == 1:
        return str(start.year)
    return f"{start.year}/{str(end.year)[-2:]}"


def parse_period(text: str) -> Period:
    text = text.strip()
    if not text.isascii():
        raise PeriodError(f"period {_q(text)} has characters other than ASCII (digits must be 0-9)")
    if m := _RE_YEAR.match(text):
        y = _date(m.group(1), "1", "1", text).year
        return Period(text, date(y, 1, 1), date(y, 12, 31), str(y), "annual")
    if m := _RE_DATE.match(text):
        d = _date(*m.groups(), text)
        return Period(text, d, d, f"{d.day} {_MONTHS[d.month - 1]} {d.year}", "snapshot")
    if m := _RE_SPAN.match(text):
        start = _date(m.group(1), m.group(2), m.group(3), text)
        count, unit = m.group(4), m.group(5)
        # The length is checked before int(): Python refuses to convert more than 4,300 digits.
        if len(count.lstrip("0")) > 6 or int(count) > _MAX_COUNT[unit]:
            raise PeriodError(f"period {_q(text)} lasts longer than {MAX_YEARS} years")
        n = int(count)
        if n == 0:
            raise PeriodError(f"period {_q(text)} has a zero duration")
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
    raise PeriodError(f"period {_q(text)} is not an ISO 8601 date, date/duration or year")
