"""The answer in words: three or four plain sentences from the judged rows, put first on the overview
and on each district profile ("where are we behind?"). No Streamlit."""

from __future__ import annotations

from collections.abc import Sequence

from lis_data.domain import judgement as jm
from lis_data.domain.profile import GroupRow, ProfileRow
from lis_data.views.formatting import ordinal

LISTED = 4  # indicators named in a sentence before "and N more"


def _plural(n: int, word: str = "indicator") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _names(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) > LISTED:
        return ", ".join(items[:LISTED]) + f" and {len(items) - LISTED} more"
    if len(items) > 1:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return items[0] if items else ""


def _low(label: str) -> str:
    return label[:1].lower() + label[1:] if label[:2] != label[:2].upper() else label


def _ranked(r: ProfileRow) -> str:
    return f"{_low(r.short_label)} ({ordinal(r.rank)} of {r.of})" if r.rank is not None else _low(r.short_label)


def district_answer(rows: Sequence[ProfileRow], area_name: str) -> tuple[str, ...]:
    """Sentences for one district: significantly better and worse than its benchmark (95% CI), then its
    worst and best fifths among English districts, then what is not judged."""
    if not rows:
        return (f"No district indicator has a figure for {area_name}.",)
    bname = rows[0].benchmark_area
    by = {j: [r for r in rows if r.judgement == j] for j in jm.JUDGEMENTS}
    tested = sum(len(by[j]) for j in (jm.BETTER, jm.SIMILAR, jm.WORSE, jm.HIGHER, jm.LOWER))
    ranked = sum(len(by[j]) for j in jm.QUINTILE_JUDGEMENTS)
    out = []
    first = (f"{area_name} is significantly better than {bname} on {_plural(len(by[jm.BETTER]))} and "
             f"significantly worse on {len(by[jm.WORSE])}, of the {tested} with a published 95% confidence interval")
    if by[jm.WORSE]:
        first += f" (worse: {_names([_low(r.short_label) for r in by[jm.WORSE]])})"
    out.append(first + ".")
    worst, best = by[jm.WORST_FIFTH], by[jm.BEST_FIFTH]
    if ranked:
        second = (f"Among all English districts it is in the worst fifth on {_plural(len(worst))}"
                  + (f": {_names([_ranked(r) for r in sorted(worst, key=lambda r: r.percentile or 0)])}"
                     if worst else "")
                  + f", and in the best fifth on {len(best)}"
                  + (f": {_names([_low(r.short_label) for r in best])}" if best else "")
                  + f" (a position among districts, for the {ranked} indicators published without an interval).")
        out.append(second)
    red = [r for r in rows if r.judgement in jm.WORSE_LIKE and r.direction == jm.WORSENING]
    if red:
        out.append(f"Worse and worsening beyond the published intervals: {_names([_low(r.short_label) for r in red])}.")
    rest = [f"{_plural(len(by[jm.NOT_JUDGED]), 'count')} or total{'' if len(by[jm.NOT_JUDGED]) == 1 else 's'} "
            "shown but never judged"] if by[jm.NOT_JUDGED] else []
    untested = len(by[jm.NOT_TESTED]) + len(by[jm.NOT_COMPARED])
    if untested:
        rest.append(f"{untested} not tested or not compared (no interval, or no {bname} figure for the period)")
    if by[jm.NO_FIGURE]:
        rest.append(f"{len(by[jm.NO_FIGURE])} with no figure")
    if rest:
        out.append(_names(rest)[:1].upper() + _names(rest)[1:] + ".")
    return tuple(out)


def group_answer(rows: Sequence[GroupRow], n_districts: int, area_name: str) -> tuple[str, ...]:
    """Sentences for several districts (the EM3 view): how many district figures are significantly
    worse or in the worst fifth, and the indicators where most districts are."""
    if not rows:
        return (f"No district indicator has a figure for {area_name}.",)
    bname = next((r.benchmark_area for r in rows if r.benchmark_area), "the benchmark")
    tot = {j: sum(r.count(j) for r in rows) for j in jm.JUDGEMENTS}
    out = [f"Across the {n_districts} districts of {area_name}, {tot[jm.BETTER]} figures are significantly better "
           f"than {bname} and {tot[jm.WORSE]} significantly worse (95% confidence intervals); "
           f"{tot[jm.WORST_FIFTH]} are in the worst fifth of English districts and {tot[jm.BEST_FIFTH]} in the best."]
    behind = sorted(((r.count(jm.WORST_FIFTH) + r.count(jm.WORSE), r) for r in rows), key=lambda t: -t[0])
    behind = [(n, r) for n, r in behind if n * 2 >= n_districts and n]
    if behind:
        out.append("Where most districts are behind: "
                   + _names([f"{_low(r.short_label)} ({n} of {n_districts})" for n, r in behind]) + ".")
    ahead = sorted(((r.count(jm.BEST_FIFTH) + r.count(jm.BETTER), r) for r in rows), key=lambda t: -t[0])
    ahead = [(n, r) for n, r in ahead if n * 2 >= n_districts and n]
    if ahead:
        out.append("Where most are ahead: "
                   + _names([f"{_low(r.short_label)} ({n} of {n_districts})" for n, r in ahead]) + ".")
    out.append("Fifths are positions among all English districts, not significance tests; counts and totals "
               "are never judged.")
    return tuple(out)
