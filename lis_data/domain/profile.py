"""A district's profile: one typed row per district-level indicator, read from the judged table
(lis_data.runtime.judged_table: the judgement by each indicator's method, worked out once per store build).
No Streamlit: the profile page, the `profile` command and any other view read the same rows.

`district_profile(store, code, benchmark)` gives the rows of one district; `group_profile(store,
codes, benchmark)` gives one row per indicator for several districts (the EM3 view): each
district's marker and judgement, and how many are better, similar and worse.
"""

from __future__ import annotations

import math
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass

from lis_data.runtime import judged_table as jt
from lis_data.domain import judgement as jm
from lis_data.domain.area_codes import placeholders as _placeholders
from lis_data.config import AreaConfig, Catalogue, Indicator, load_area, load_catalogue
from lis_data.errors import LisDataError
from lis_data.runtime.store import Store

# Plain rows, no pandas: `python -m lis_data profile` starts in a fraction of the time without it.
_SpineRow = namedtuple("_SpineRow", "indicator_id period lo hi q25 med q75 n")

# The columns of the `profile` command, in order; the page's table shows exactly these values. A count
# carries no benchmark figure and no judgement: its share of the benchmark area's total instead.
PROFILE_COLUMNS = ("indicator", "indicator_name", "unit", "method", "period", "period_label", "value", "lci_95",
                   "uci_95", "benchmark_area", "benchmark_value", "share", "judgement", "rank", "of", "percentile",
                   "quintile", "previous_period_label", "change", "direction")
SPARKLINE_PERIODS = 12


@dataclass(frozen=True)
class Spine:
    """The spread of all English districts for one indicator and period, oriented by polarity:
    `worst` and `best` (lowest and highest when the indicator has no polarity), the 25th and 75th
    percentiles on the worst and best side."""

    worst: float
    q25: float
    median: float
    q75: float
    best: float
    n: int

    def position(self, value) -> float | None:
        """Where a value sits on the spine: 0 = worst, 1 = best (None for no value)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        span = self.best - self.worst
        return 0.5 if span == 0 else (float(value) - self.worst) / span


@dataclass(frozen=True)
class Mark:
    """One district on a spine: its figure for the row's period and its judgement."""

    code: str
    name: str
    value: float | None
    lci_95: float | None
    uci_95: float | None
    judgement: str


@dataclass(frozen=True)
class ProfileRow:
    # What the `profile` command prints (PROFILE_COLUMNS).
    indicator: str
    indicator_name: str
    unit: str
    method: str
    period: str  # ISO 8601 as published ("" with no figure)
    period_label: str
    value: float | None
    lci_95: float | None
    uci_95: float | None
    benchmark_area: str
    benchmark_value: float | None  # None for a count: never set beside England's total
    share: float | None  # a count's share of the benchmark area's total (0-1)
    judgement: str
    rank: int | None
    of: int | None
    percentile: float | None  # 0-100, 100 = best (highest where no polarity)
    quintile: int | None  # 1 = best fifth of English districts (highest where no polarity)
    previous_period_label: str | None
    change: float | None
    direction: str
    # What the page needs besides.
    area_code: str
    area_name: str
    priority: str
    label: str
    short_label: str
    decimals: int
    polarity: str
    kind: str
    spine: Spine | None
    others: tuple[Mark, ...]  # the other EM3 districts in the same period
    sparkline: tuple[float | None, ...]  # the district's last figures, oldest first
    sparkline_periods: tuple[str, ...]

    def record(self) -> dict:
        """The row as the command prints it."""
        return {k: getattr(self, k) for k in PROFILE_COLUMNS}

    @property
    def worse_like(self) -> bool:
        """Significantly worse, or in the worst fifth: what "Show: Worse" lists."""
        return self.judgement in jm.WORSE_LIKE


@dataclass(frozen=True)
class GroupRow:
    """One indicator for several districts (the EM3 view when all are in focus)."""

    indicator: str
    period: str  # ISO 8601
    period_label: str
    priority: str
    label: str
    short_label: str
    unit: str
    decimals: int
    polarity: str
    method: str
    kind: str
    benchmark_area: str  # "each district's county" when the benchmark is the county
    benchmark_value: float | None  # None when the districts have different benchmarks, or for a count
    spine: Spine | None
    marks: tuple[Mark, ...]
    counts: tuple[tuple[str, int], ...]  # (judgement, how many), in judgement.JUDGEMENTS order

    def count(self, judgement: str) -> int:
        return dict(self.counts).get(judgement, 0)


class _Inputs:
    """Everything the rows are built from: the judged table's rows (every period of the districts in
    focus, the latest figures' periods of the other EM3 districts) and the spines, in three queries."""

    def __init__(self, store: Store, codes: Sequence[str], benchmark: str, area: AreaConfig, cat: Catalogue):
        self.area, self.benchmark = area, benchmark
        self.indicators = [i for i in cat.indicators if i.level == "district"]
        ids = [i.id for i in self.indicators]
        focus = list(dict.fromkeys(codes))
        self.rows: dict[tuple[str, str], list[jt.Judged]] = {}
        self.at: dict[tuple[str, str, str], jt.Judged] = {}
        self.order: dict[str, tuple] = {}
        self.labels: dict[str, str] = {}
        for r in jt.read(store, areas=focus, indicators=ids, benchmark=benchmark):
            self.rows.setdefault((r.indicator_id, r.areacd), []).append(r)
            self.at[(r.indicator_id, r.areacd, r.period)] = r
            self.order[r.period] = (r.period_start, r.period)
            self.labels[r.period] = r.period_label
        # The other EM3 districts are shown only beside a district's latest figure (ProfileRow.others):
        # their rows for those indicators and periods, not every period of every district.
        latest = {(ind_id, series[-1].period) for (ind_id, _code), series in self.rows.items()}
        others = [c for c in area.district_codes if c not in focus]
        for r in jt.read_at(store, areas=others, figures=latest, benchmark=benchmark):
            self.at[(r.indicator_id, r.areacd, r.period)] = r
        spine = store.rows(f"""
            SELECT o.indicator_id, o.period, min(o.value) AS lo, max(o.value) AS hi,
                   quantile_cont(o.value, 0.25) AS q25, median(o.value) AS med, quantile_cont(o.value, 0.75) AS q75,
                   count(*) AS n
            FROM observations o JOIN areas a ON a.areacd = o.areacd AND a.english_district
            WHERE o.value IS NOT NULL AND o.indicator_id IN ({_placeholders(ids)})
            GROUP BY o.indicator_id, o.period""", ids)
        self.spines = {(r.indicator_id, r.period): r for r in map(_SpineRow._make, spine)}
        self.names = {**{d.code: d.name for d in area.districts},
                      **dict(store.rows(f"SELECT areacd, areanm FROM areas WHERE areacd IN "
                                        f"({_placeholders(list(codes))})", list(codes)))}

    def series(self, ind_id: str, code: str) -> list[jt.Judged]:
        """The judged rows of every published figure, oldest first."""
        return self.rows.get((ind_id, code), [])

    def bench(self, code: str) -> tuple[str, str]:
        """(code, name) of the area a district is judged against (the judged table's rule)."""
        found = jt.benchmark_of(self.area, code, "district", self.benchmark)
        if found is None:
            raise LisDataError(f"--benchmark {self.benchmark}: {code} is not one of the {self.area.short_name} "
                               "districts, whose region and county are known; choose --benchmark england")
        return found

    def judge(self, ind: Indicator, code: str, period: str) -> Mark:
        r = self.at.get((ind.id, code, period))
        if r is None:
            return Mark(code, self.names.get(code, code), None, None, None, jm.NO_FIGURE)
        return Mark(code, self.names.get(code, code), r.value, r.lci, r.uci, r.judgement)

    def spine(self, ind: Indicator, period: str) -> Spine | None:
        s = self.spines.get((ind.id, period))
        if s is None:
            return None
        if ind.polarity == "lower":
            return Spine(float(s.hi), float(s.q75), float(s.med), float(s.q25), float(s.lo), int(s.n))
        return Spine(float(s.lo), float(s.q25), float(s.med), float(s.q75), float(s.hi), int(s.n))


def _check_codes(store: Store, codes: Sequence[str], area: AreaConfig) -> None:
    known = {r[0] for r in store.rows(
        f"SELECT areacd FROM areas WHERE english_district AND areacd IN ({_placeholders(list(codes))})", list(codes))}
    bad = [c for c in codes if c not in known and c not in area.district_codes]
    if bad:
        raise LisDataError(f"--area {', '.join(bad)}: not an English district code in the extract")


def _row(inp: _Inputs, ind: Indicator, code: str) -> ProfileRow:
    series = inp.series(ind.id, code)
    _bcode, bname = inp.bench(code)
    base = dict(indicator=ind.id, indicator_name=ind.label, method=ind.method, kind=ind.kind, area_code=code,
                area_name=inp.names.get(code, code), priority=ind.priorities[0], label=ind.label,
                short_label=ind.short_label, unit=ind.unit, decimals=ind.decimals, polarity=ind.polarity,
                benchmark_area=bname)
    if not series:
        return ProfileRow(period="", period_label="", value=None, lci_95=None, uci_95=None, benchmark_value=None,
                          share=None, judgement=jm.NO_FIGURE, rank=None, of=None, percentile=None, quintile=None,
                          direction=jm.NO_PREVIOUS, previous_period_label=None, change=None, spine=None, others=(),
                          sparkline=(), sparkline_periods=(), **base)
    r = series[-1]
    others = tuple(inp.judge(ind, c, r.period) for c in inp.area.district_codes if c != code)
    tail = series[-SPARKLINE_PERIODS:]
    return ProfileRow(
        period=r.period, period_label=r.period_label, value=r.value, lci_95=r.lci, uci_95=r.uci,
        benchmark_value=r.benchmark_value, share=r.share, judgement=r.judgement, rank=r.rank, of=r.of,
        percentile=r.percentile, quintile=r.quintile, direction=r.direction,
        previous_period_label=r.previous_period_label, change=r.change,
        # a count is never placed between the worst and the best district: that would rank it by size
        spine=None if ind.kind == "count" else inp.spine(ind, r.period), others=others,
        sparkline=tuple(t.value for t in tail), sparkline_periods=tuple(t.period_label for t in tail),
        **base)


def district_profile(store: Store, code: str, benchmark: str = jm.DEFAULT_BENCHMARK,
                     area: AreaConfig | None = None, catalogue: Catalogue | None = None) -> list[ProfileRow]:
    """One row per district-level indicator for one English district, in catalogue order."""
    return district_profiles(store, [code], benchmark, area, catalogue)[code]


def district_profiles(store: Store, codes: Sequence[str], benchmark: str = jm.DEFAULT_BENCHMARK,
                      area: AreaConfig | None = None,
                      catalogue: Catalogue | None = None) -> dict[str, list[ProfileRow]]:
    """The profiles of several districts, fetched together: {code: rows}."""
    area, catalogue = area or load_area(), catalogue or load_catalogue()
    if benchmark not in jm.BENCHMARKS:
        raise LisDataError(f"--benchmark {benchmark}: choose from {', '.join(jm.BENCHMARKS)}")
    _check_codes(store, codes, area)
    inp = _Inputs(store, codes, benchmark, area, catalogue)
    return {c: [_row(inp, ind, c) for ind in inp.indicators] for c in codes}


def group_profile(store: Store, codes: Sequence[str], benchmark: str = jm.DEFAULT_BENCHMARK,
                  area: AreaConfig | None = None, catalogue: Catalogue | None = None) -> list[GroupRow]:
    """One row per district-level indicator for several EM3 districts: the latest period in which any
    of them has a figure, each district's judgement in that period, and the counts. A median of the
    districts is never judged."""
    area, catalogue = area or load_area(), catalogue or load_catalogue()
    if benchmark not in jm.BENCHMARKS:
        raise LisDataError(f"--benchmark {benchmark}: choose from {', '.join(jm.BENCHMARKS)}")
    _check_codes(store, codes, area)
    inp = _Inputs(store, codes, benchmark, area, catalogue)
    rows = []
    for ind in inp.indicators:
        latest = [inp.order[s[-1].period] for s in (inp.series(ind.id, c) for c in codes) if s]
        if not latest:
            rows.append(GroupRow(ind.id, "", "", ind.priorities[0], ind.label, ind.short_label, ind.unit,
                                 ind.decimals, ind.polarity, ind.method, ind.kind, "", None, None, (),
                                 tuple(jm.count([]).items())))
            continue
        period = max(latest)[1]  # (period_start, period) of the latest
        marks = tuple(inp.judge(ind, c, period) for c in codes)
        benches = {inp.bench(c) for c in codes}
        bvalue = None
        if len(benches) == 1:
            bname = benches.pop()[1]
            same = [r for c in codes if (r := inp.at.get((ind.id, c, period)))]
            bvalue = same[0].benchmark_value if same else None
        else:
            bname = "each district's county"
        rows.append(GroupRow(ind.id, period, inp.labels.get(period, period), ind.priorities[0], ind.label,
                             ind.short_label, ind.unit, ind.decimals, ind.polarity, ind.method, ind.kind, bname,
                             bvalue, None if ind.kind == "count" else inp.spine(ind, period), marks,
                             tuple(jm.count(m.judgement for m in marks).items())))
    return rows


def records(rows: Sequence[ProfileRow]) -> list[dict]:
    """The rows as the command prints them (PROFILE_COLUMNS)."""
    return [r.record() for r in rows]
