"""Numbers as people read them: units, the catalogue's decimal places, signs on changes.

Pure functions, no Streamlit: the pages (ui/formatting.py re-exports them), the
evidence pack and the What's new list word figures the same way.
"""

from __future__ import annotations

import math

from lis_data.constants import STATUS_CODES


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int) -> str:
    if _is_missing(value):
        return "–"
    return f"{value:,.{decimals}f}"


def with_unit(value, unit: str, decimals: int) -> str:
    """1234.5, "£" -> "£1,235"; 12.3, "%" -> "12.3%"; 5, "£ million" -> "£5 million"."""
    if _is_missing(value):
        return "no figure"
    text = number(abs(value), decimals)
    sign = "-" if value < 0 else ""
    if unit == "%":
        return f"{sign}{text}%"
    if unit.startswith("£"):
        rest = unit[1:].strip()
        return f"{sign}£{text}" + (f" {rest}" if rest else "")
    if unit.startswith("×"):
        return f"{sign}{text}{unit[0]}{unit[1:]}"
    return f"{sign}{text} {unit}"


def change(value, unit: str, decimals: int) -> str:
    """A signed change: "+1.2 pts" for percentages (percentage points), "+£120" otherwise."""
    if _is_missing(value):
        return "no change figure"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    magnitude = abs(value)
    if unit == "%":
        return f"{sign}{number(magnitude, decimals)} pts"
    return sign + with_unit(magnitude, unit, decimals)


def ordinal(n) -> str:
    if _is_missing(n):
        return "–"
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


POLARITY_TEXT = {
    "higher": "Higher is better",
    "lower": "Lower is better",
    "neither": "Neither higher nor lower is better in itself",
}

STATUS_TEXT = STATUS_CODES  # the ONS status codes the loader keeps, in words


def status_text(status: str | None) -> str:
    if not status:
        return ""
    return STATUS_TEXT.get(status, status)


def is_short_unit(unit: str) -> bool:
    """Units that sit inside a big number without crowding it: %, £, £ million, × earnings."""
    return unit in ("%", "£") or unit.startswith(("£", "×")) and len(unit) <= 10


def headline_number(value, unit: str, decimals: int) -> str:
    """A figure for a large metric: with its unit when the unit is short, the bare number otherwise
    (the unit is then written beside it, see unit_note)."""
    return with_unit(value, unit, decimals) if is_short_unit(unit) else number(value, decimals)


def unit_note(unit: str) -> str | None:
    """A long unit written on its own line, as written except that a leading word is raised ("Per
    1,000 dwellings", "Minutes"); a symbol stays as it is ("kWh", "t CO2e"), and so does the rest."""
    if is_short_unit(unit):
        return None
    first = unit.split(" ", 1)[0]
    return unit[:1].upper() + unit[1:] if len(first) > 1 and first.isalpha() and first.islower() else unit


def answer_share(n: int, total: int) -> str:
    """How many of a room's answers chose one option, as a whole percentage ("17%"); "–" when no one
    has answered. Each option is rounded on its own, so shown shares may add up to 99% or 101%."""
    return f"{100 * n / total:.0f}%" if total else "–"


def percent(share) -> str:
    """A share (0-1) as a percentage with two significant figures: "0.20%", "12%"."""
    if _is_missing(share):
        return ""
    pct = float(share) * 100
    return f"{pct:.2g}%" if abs(pct) < 10 else f"{pct:.0f}%"
