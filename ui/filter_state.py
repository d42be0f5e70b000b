"""The shared filters and their place in the URL query string.

Pure functions, no streamlit: a link pasted into a board paper reopens the same
view, and an invalid parameter is dropped with a note that names it and says why.

Query parameters:
  d    focus districts, comma-separated GSS codes (absent: all)
  cmp  comparators, comma-separated: england, region, county, neighbours
  from first year shown, to last year shown
  nb   kind of statistical neighbours: economic, demographic, global
  ind  the indicator in view on a priority page
  bm   the benchmark judgements are made against: england (default), region, county
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lis_data.config import AreaConfig
from lis_data.domain.judgement import DEFAULT_BENCHMARK

from .formatting import md_literal

COMPARATOR_CHOICES = {
    "england": "England",
    "region": "South East",
    "county": "The district's county",
    "neighbours": "Statistical neighbours",
}
DEFAULT_COMPARATORS = ("england", "region")
BENCHMARK_CHOICES = {
    "england": "England",
    "region": "South East",
    "county": "The district's county",
}  # the keys are lis_data.domain.judgement.BENCHMARKS (tests/app/test_profile_page.py checks)
MIN_YEAR, MAX_YEAR = 1990, 2030
_YEAR = re.compile(r"[0-9]{4}", re.ASCII)  # ASCII digits only: str.isdigit() and int() take ²⁰²⁰ and ٢٠٢٠
MAX_LISTED = 5  # bad items named in one note; the rest are counted


@dataclass(frozen=True)
class Filters:
    districts: tuple[str, ...]
    comparators: tuple[str, ...] = DEFAULT_COMPARATORS
    start_year: int | None = None
    end_year: int | None = None
    neighbour_kind: str = "economic"
    benchmark: str = DEFAULT_BENCHMARK

    def to_query(self, area: AreaConfig) -> dict[str, str]:
        """The query parameters for this view; defaults are left out to keep links short."""
        q: dict[str, str] = {}
        if set(self.districts) != set(area.district_codes):
            q["d"] = ",".join(self.districts) if self.districts else "none"
        if tuple(self.comparators) != DEFAULT_COMPARATORS:
            q["cmp"] = ",".join(self.comparators) if self.comparators else "none"
        if self.start_year is not None:
            q["from"] = str(self.start_year)
        if self.end_year is not None:
            q["to"] = str(self.end_year)
        if self.neighbour_kind != area.default_neighbour_kind:
            q["nb"] = self.neighbour_kind
        if self.benchmark != DEFAULT_BENCHMARK:
            q["bm"] = self.benchmark
        return q


@dataclass
class Parsed:
    filters: Filters
    notes: list[str] = field(default_factory=list)


def _first(value) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def _year(raw: str, name: str, notes: list[str]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not _YEAR.fullmatch(raw) or not (MIN_YEAR <= int(raw) <= MAX_YEAR):
        notes.append(f"Ignored {md_literal(f'{name}={raw}')}: not a year between {MIN_YEAR} and {MAX_YEAR}.")
        return None
    return int(raw)


def _listed(items: list[str]) -> str:
    """Bad items of a list parameter, each quoted, at most MAX_LISTED of them."""
    shown = ", ".join(md_literal(b, limit=30) for b in items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def parse_query(params: Mapping[str, object], area: AreaConfig) -> Parsed:
    notes: list[str] = []
    codes = area.district_codes
    by_name = {d.name.lower(): d.code for d in area.districts}

    districts: tuple[str, ...] = codes
    if "d" in params:
        raw = _first(params["d"]).strip()
        if raw.lower() == "none":
            districts = ()
        elif raw:
            chosen, bad = [], []
            for item in raw.split(","):
                item = item.strip()
                code = item.upper() if item.upper() in codes else by_name.get(item.lower())
                if code:
                    if code not in chosen:
                        chosen.append(code)
                elif item:
                    bad.append(item)
            if bad:
                notes.append(f"Ignored district(s) {_listed(bad)} in `d`: "
                             f"not one of the {len(codes)} {area.short_name} districts.")
            districts = tuple(c for c in codes if c in chosen) if chosen else codes

    comparators: tuple[str, ...] = DEFAULT_COMPARATORS
    if "cmp" in params:
        raw = _first(params["cmp"]).strip()
        if raw.lower() == "none":
            comparators = ()
        elif raw:
            items = [x.strip().lower() for x in raw.split(",") if x.strip()]
            bad = [x for x in items if x not in COMPARATOR_CHOICES]
            if bad:
                notes.append(f"Ignored comparator(s) {_listed(bad)} in `cmp`: "
                             f"choose from {', '.join(COMPARATOR_CHOICES)}.")
            good = tuple(c for c in COMPARATOR_CHOICES if c in items)
            comparators = good if good or not bad else DEFAULT_COMPARATORS

    start = _year(_first(params.get("from", "")), "from", notes)
    end = _year(_first(params.get("to", "")), "to", notes)
    if start is not None and end is not None and start > end:
        notes.append(f"Ignored the period range: `from={start}` is after `to={end}`.")
        start = end = None

    kind = area.default_neighbour_kind
    if "nb" in params:
        raw = _first(params["nb"]).strip()
        if raw.lower() in area.neighbour_kinds:
            kind = raw.lower()
        elif raw:
            notes.append(f"Ignored {md_literal(f'nb={raw}')}: choose from {', '.join(area.neighbour_kinds)}.")

    benchmark = DEFAULT_BENCHMARK
    if "bm" in params:
        raw = _first(params["bm"]).strip()
        if raw.lower() in BENCHMARK_CHOICES:
            benchmark = raw.lower()
        elif raw:
            notes.append(f"Ignored {md_literal(f'bm={raw}')}: choose from {', '.join(BENCHMARK_CHOICES)}.")

    return Parsed(Filters(districts, comparators, start, end, kind, benchmark), notes)
