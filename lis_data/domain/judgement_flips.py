"""Which judgements a new extract changes against the previous one: the one place that decides it.

A build reports the judgements its changes flip (a revised figure, a changed confidence interval
or status, a benchmark's figure revised, a polarity changed), so that a release which turns
"similar" into "better" without a new period is never reported as "no change". The judgement is
the project's one rule (lis_data.domain.judgement.judge) against England, the default benchmark, in the
same period, for the areas the dashboard judges: the area's districts and the larger areas that
hold them. `judgement_flips` is the only function that compares; a judged table computed
elsewhere can replace `judged` without changing its callers. No Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lis_data.domain import judgement as jm
from lis_data.domain.area_codes import canonical_rows

# (indicator_id, areacd, period, value, lci, uci): one published figure, as the extract holds it.
Figure = tuple[str, str, str, float | None, float | None, float | None]


@dataclass(frozen=True)
class Flip:
    indicator_id: str
    areacd: str
    period: str
    old: str  # judgement in the previous extract (lis_data.domain.judgement words)
    new: str


def judged_areas(area) -> tuple[str, ...]:
    """The areas whose judgements a build reports: the districts, counties, region and larger areas
    of the area config (never England itself, the benchmark)."""
    codes = [*area.district_codes, *(c.code for c in area.counties), *(a.code for a in area.larger_areas),
             *(a.code for k, a in area.comparators.items() if k != jm.DEFAULT_BENCHMARK)]
    return tuple(dict.fromkeys(codes))


def benchmark_code(area) -> str:
    return area.comparators[jm.DEFAULT_BENCHMARK].code


def judged(figures: Iterable[Figure], polarity: Mapping[str, str], subjects: Iterable[str],
           benchmark: str) -> dict[tuple[str, str, str], str]:
    """{(indicator_id, areacd, period): judgement} for the subjects' figures against the benchmark's
    figure for the same period."""
    figures = list(figures)
    bench = {(i, p): v for i, a, p, v, _, _ in figures if a == benchmark}
    wanted = set(subjects)
    return {(i, a, p): jm.judge(v, lo, hi, bench.get((i, p)), polarity.get(i, "neither"))
            for i, a, p, v, lo, hi in figures if a in wanted and i in polarity}


def judgement_flips(old: Iterable[Figure], new: Iterable[Figure], old_polarity: Mapping[str, str],
                    new_polarity: Mapping[str, str], area) -> list[Flip]:
    """The judgements that differ between two extracts' figures, for figures present in both
    (a new period is news, not a flip), ordered by indicator, area and period."""
    subjects, bench = judged_areas(area), benchmark_code(area)
    # a comparator published under another code (the South East as TLJ) is read under its own
    before = judged(canonical_rows(old, area, 1, (0, 1, 2)), old_polarity, subjects, bench)
    after = judged(canonical_rows(new, area, 1, (0, 1, 2)), new_polarity, subjects, bench)
    return [Flip(*key, before[key], after[key]) for key in sorted(before.keys() & after.keys())
            if before[key] != after[key]]
