"""The judged figures the board pack, the workbook and the Word summary read: one row per district-level
indicator for a district or for EM3, and the cover's answer in a few sentences.

Everything those three outputs say about a judgement, a rank or a fifth comes through `board_figures()`,
built today on the district profile rows (lis_data.domain.profile); the one place to point at a table of judged
figures when the store keeps one. No Streamlit.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from lis_data.domain import judgement as jm
from lis_data.config import AreaConfig, Catalogue, load_area, load_catalogue
from lis_data.domain.profile import ProfileRow, district_profiles
from lis_data.runtime.store import Store
from lis_data.views.formatting import headline_number, number, ordinal, unit_note, with_unit

EM3 = "EM3"
FIFTHS = {1: "best fifth", 2: "second fifth", 3: "middle fifth", 4: "fourth fifth", 5: "worst fifth"}


@dataclass(frozen=True)
class BoardFigure:
    indicator: str
    label: str
    short_label: str
    priority: str
    unit: str
    decimals: int
    polarity: str
    area_code: str  # a district's code, or EM3
    area_name: str
    period: str  # the period's label, as published
    value: float | None  # the district's figure; for EM3 the median of its districts
    lci_95: float | None
    uci_95: float | None
    benchmark_area: str
    benchmark_value: float | None
    method: str
    judgement: str  # a district's judgement; for EM3 "" (see counts)
    counts: tuple[tuple[str, int], ...]  # EM3: how many districts have each judgement; a district: ()
    rank: int | None  # among English districts, 1 = best (highest where no polarity)
    of: int | None
    percentile: float | None  # 0-100, 100 = best
    quintile: int | None  # 1 = best fifth ... 5 = worst fifth; None without a polarity or a rank
    in_worst_fifth: int  # EM3: districts in the worst fifth; a district: 1 or 0
    in_best_fifth: int
    direction: str
    change: float | None

    @property
    def shown(self) -> str:
        """The figure to the catalogue's decimals, with thousands separators and its unit once."""
        return with_unit(self.value, self.unit, self.decimals)

    @property
    def benchmark_shown(self) -> str:
        return "" if self.benchmark_value is None else with_unit(self.benchmark_value, self.unit, self.decimals)

    @property
    def unit_label(self) -> str | None:
        """A long unit ("per 1,000 dwellings"), written once beside the indicator's name; None for a
        short one (%, £, ×), which the figures carry."""
        return unit_note(self.unit)

    def cell(self, value: float | None) -> str:
        """A figure for a table cell: a short unit on the figure, a long one left to the column or row
        (unit_label); rounded to the catalogue's decimals, with thousands separators."""
        return "" if value is None else headline_number(value, self.unit, self.decimals)

    @property
    def rank_text(self) -> str:
        return "" if self.rank is None else f"{ordinal(self.rank)} of {number(self.of, 0)}"

    @property
    def judgement_text(self) -> str:
        """The judgement in words: a district's, or EM3's counts ("3 better, 9 similar, 2 worse")."""
        if self.area_code != EM3:
            return self.judgement
        parts = [f"{n} {j}" for j, n in self.counts if n and j in (jm.BETTER, jm.SIMILAR, jm.WORSE)]
        return ", ".join(parts) or "not tested"


def quintile(percentile: float | None, polarity: str) -> int | None:
    """The fifth of English districts a percentile (100 = best) falls in: 1 best ... 5 worst."""
    if percentile is None or polarity == "neither":
        return None
    return min(5, max(1, 5 - int(float(percentile) // 20))) if percentile < 100 else 1


def _district(r: ProfileRow) -> BoardFigure:
    q = quintile(r.percentile, r.polarity)
    return BoardFigure(
        r.indicator, r.label, r.short_label, r.priority, r.unit, r.decimals, r.polarity, r.area_code, r.area_name,
        r.period_label, r.value, r.lci_95, r.uci_95, r.benchmark_area, r.benchmark_value, r.method, r.judgement, (),
        r.rank, r.of, r.percentile, q, int(q == 5), int(q == 1), r.direction, r.change)


def _em3(rows: list[ProfileRow], area_name: str) -> BoardFigure:
    """One indicator across the districts: the median of the latest period any district has."""
    first = rows[0]
    valued = [r for r in rows if r.value is not None]
    period = max((r.period for r in valued), key=lambda p: [x.period for x in valued].count(p), default="")
    same = [r for r in valued if r.period == period]
    label = same[0].period_label if same else ""
    value = statistics.median(r.value for r in same) if same else None
    benches = {(r.benchmark_area, r.benchmark_value) for r in same}
    bname, bvalue = benches.pop() if len(benches) == 1 else ("each district's county", None)
    counts = tuple(jm.count(r.judgement for r in same).items())
    quints = [quintile(r.percentile, r.polarity) for r in same]
    return BoardFigure(
        first.indicator, first.label, first.short_label, first.priority, first.unit, first.decimals, first.polarity,
        EM3, area_name, label, value, None, None, bname, bvalue, first.method, "", counts, None, None, None, None,
        sum(q == 5 for q in quints), sum(q == 1 for q in quints), "", None)


def board_figures(store: Store, area_code: str, benchmark: str = jm.DEFAULT_BENCHMARK,
                  area: AreaConfig | None = None, catalogue: Catalogue | None = None) -> tuple[BoardFigure, ...]:
    """Every district-level indicator of a district (or of EM3: the districts' median and counts), judged
    against the benchmark, in catalogue order."""
    area, catalogue = area or load_area(), catalogue or load_catalogue()
    if area_code == EM3:
        profiles = district_profiles(store, area.district_codes, benchmark, area, catalogue)
        by_ind: dict[str, list[ProfileRow]] = {}
        for rows in profiles.values():
            for r in rows:
                by_ind.setdefault(r.indicator, []).append(r)
        return tuple(_em3(rows, area.name) for rows in by_ind.values())
    return tuple(_district(r) for r in district_profiles(store, [area_code], benchmark, area, catalogue)[area_code])


def _listing(figs: list[BoardFigure], how_many: int = 4) -> str:
    named = [f.short_label + (f" ({f.rank_text})" if f.rank is not None else "") for f in figs[:how_many]]
    more = len(figs) - how_many
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def answer_sentences(figs: tuple[BoardFigure, ...], area_name: str, benchmark_name: str) -> tuple[str, ...]:
    """The answer on the cover in three or four plain sentences: where the area is significantly better or
    worse than the benchmark, and where it sits in the worst and best fifths of English districts."""
    if figs and figs[0].area_code == EM3:
        return _em3_sentences(figs, area_name, benchmark_name)
    better = [f for f in figs if f.judgement == jm.BETTER]
    worse = [f for f in figs if f.judgement == jm.WORSE]
    tested = [f for f in figs if f.judgement in (jm.BETTER, jm.SIMILAR, jm.WORSE)]
    worst = sorted((f for f in figs if f.quintile == 5), key=lambda f: f.percentile or 0)
    best = sorted((f for f in figs if f.quintile == 1), key=lambda f: -(f.percentile or 0))
    out = [f"Of {len(figs)} indicators published for districts, {len(tested)} carry a 95% confidence interval: "
           f"on those, {area_name} is significantly better than {benchmark_name} on {len(better)}, "
           f"similar on {len(tested) - len(better) - len(worse)} and worse on {len(worse)}."]
    if worse:
        out.append(f"Significantly worse: {_listing(worse)}.")
    if worst:
        out.append(f"{area_name} is in the worst fifth of English districts on {len(worst)}: {_listing(worst)}.")
    else:
        out.append(f"{area_name} is in the worst fifth of English districts on none of them.")
    if best:
        out.append(f"It is in the best fifth on {len(best)}: {_listing(best)}.")
    return tuple(out[:4])


def _em3_sentences(figs: tuple[BoardFigure, ...], area_name: str, benchmark_name: str) -> tuple[str, ...]:
    def total(j):
        return sum(dict(f.counts).get(j, 0) for f in figs)

    n_districts = max((sum(n for _, n in f.counts) for f in figs), default=0)
    worst = sorted((f for f in figs if f.in_worst_fifth), key=lambda f: -f.in_worst_fifth)
    best = sorted((f for f in figs if f.in_best_fifth), key=lambda f: -f.in_best_fifth)
    out = [f"Across {n_districts} districts and {len(figs)} indicators published for districts, "
           f"{total(jm.BETTER)} district figures are significantly better than {benchmark_name}, "
           f"{total(jm.SIMILAR)} similar and {total(jm.WORSE)} worse (where a 95% confidence interval is published)."]
    if worst:
        out.append("Districts in the worst fifth of English districts: "
                   + ", ".join(f"{f.short_label} ({f.in_worst_fifth})" for f in worst[:5]) + ".")
    if best:
        out.append("Districts in the best fifth: "
                   + ", ".join(f"{f.short_label} ({f.in_best_fifth})" for f in best[:5]) + ".")
    out.append("Fifths are positions among all English districts, not tests of significance.")
    return tuple(out[:4])
