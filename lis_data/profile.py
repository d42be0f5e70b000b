"""A district's profile: one typed row per district-level indicator, judged against a benchmark by
the one rule in lis_data.judgement. No Streamlit: the profile page, the `profile` command and any
other view read the same rows.

`district_profile(store, code, benchmark)` gives the rows of one district; `group_profile(store,
codes, benchmark)` gives one row per indicator for several districts (the EM3 view): each
district's marker and judgement, and how many are better, similar and worse.
"""

from __future__ import annotations

import math
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass

from . import judgement as jm
from .area_codes import canonical_rows, placeholders as _placeholders, with_aliases as _with_aliases
from .config import AreaConfig, Catalogue, Indicator, load_area, load_catalogue
from .errors import LisDataError
from .store import Store

# Plain rows, no pandas: `python -m lis_data profile` starts in a fraction of the time without it.
_SpineRow = namedtuple("_SpineRow", "indicator_id period lo hi q25 med q75 n")
_RankRow = namedtuple("_RankRow", "indicator_id period areacd rank n_districts percentile")

# The columns of the `profile` command, in order; the page's table shows exactly these values.
PROFILE_COLUMNS = ("indicator", "period", "value", "lci_95", "uci_95", "benchmark_area", "benchmark_value",
                   "judgement", "rank", "of", "percentile", "direction")
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
    period: str
    value: float | None
    lci_95: float | None
    uci_95: float | None
    benchmark_area: str
    benchmark_value: float | None
    judgement: str
    rank: int | None
    of: int | None
    percentile: float | None  # 0-100, 100 = best (highest where no polarity)
    direction: str
    # What the page needs besides.
    area_code: str
    area_name: str
    priority: str
    label: str
    short_label: str
    unit: str
    decimals: int
    polarity: str
    previous_period: str | None
    change: float | None
    spine: Spine | None
    others: tuple[Mark, ...]  # the other EM3 districts in the same period
    sparkline: tuple[float | None, ...]  # the district's last figures, oldest first
    sparkline_periods: tuple[str, ...]

    def record(self) -> dict:
        """The row as the command prints it."""
        return {k: getattr(self, k) for k in PROFILE_COLUMNS}


@dataclass(frozen=True)
class GroupRow:
    """One indicator for several districts (the EM3 view when all are in focus)."""

    indicator: str
    period: str
    priority: str
    label: str
    short_label: str
    unit: str
    decimals: int
    polarity: str
    benchmark_area: str  # "each district's county" when the benchmark is the county
    benchmark_value: float | None  # None when the districts have different benchmarks
    spine: Spine | None
    marks: tuple[Mark, ...]
    counts: tuple[tuple[str, int], ...]  # (judgement, how many), in judgement.JUDGEMENTS order

    def count(self, judgement: str) -> int:
        return dict(self.counts).get(judgement, 0)


def _num(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


class _Inputs:
    """Everything the rows are built from, fetched in three queries."""

    def __init__(self, store: Store, codes: Sequence[str], benchmark: str, area: AreaConfig, cat: Catalogue):
        self.area, self.benchmark = area, benchmark
        self.indicators = [i for i in cat.indicators if i.level == "district"]
        ids = [i.id for i in self.indicators]
        em3 = list(area.district_codes)
        bench_codes = [area.comparators["england"].code, area.comparators["region"].code,
                       *(c.code for c in area.counties)]
        wanted = _with_aliases(list(dict.fromkeys([*codes, *em3, *bench_codes])), area)
        obs = store.rows(
            f"SELECT indicator_id, areacd, period, period_label, period_start, value, lci, uci FROM observations "
            f"WHERE indicator_id IN ({_placeholders(ids)}) AND areacd IN ({_placeholders(wanted)}) "
            f"AND value IS NOT NULL AND NOT isnan(value) ORDER BY period_start, indicator_id, areacd, period",
            [*ids, *wanted])
        obs = canonical_rows(obs, area, code_at=1, key_at=(0, 1, 2))
        # Plain tuples, not DataFrame groups: the rows are built from many small look-ups.
        self.obs: dict[tuple[str, str], list[tuple]] = {}
        self.figures: dict[tuple[str, str, str], tuple] = {}
        self.labels: dict[str, str] = {}
        self.order: dict[str, tuple] = {}
        for ind_id, code, period, label, start, value, lci, uci in obs:
            fig = (_num(value), _num(lci), _num(uci))
            self.figures[(ind_id, code, period)] = fig
            self.obs.setdefault((ind_id, code), []).append((period, label, *fig))
            self.labels[period] = label
            self.order[period] = (start, period)
        spine = store.rows(f"""
            SELECT o.indicator_id, o.period, min(o.value) AS lo, max(o.value) AS hi,
                   quantile_cont(o.value, 0.25) AS q25, median(o.value) AS med, quantile_cont(o.value, 0.75) AS q75,
                   count(*) AS n
            FROM observations o JOIN areas a ON a.areacd = o.areacd AND a.english_district
            WHERE o.value IS NOT NULL AND o.indicator_id IN ({_placeholders(ids)})
            GROUP BY o.indicator_id, o.period""", ids)
        self.spines = {(r.indicator_id, r.period): r for r in map(_SpineRow._make, spine)}
        ranks = store.rows(
            f"SELECT indicator_id, period, areacd, rank, n_districts, percentile FROM district_ranks "
            f"WHERE areacd IN ({_placeholders(list(codes))})", list(codes))
        self.ranks = {(r.indicator_id, r.period, r.areacd): r for r in map(_RankRow._make, ranks)}
        self.names = {**{d.code: d.name for d in area.districts},
                      **dict(store.rows(f"SELECT areacd, areanm FROM areas WHERE areacd IN "
                                        f"({_placeholders(list(codes))})", list(codes)))}

    def series(self, ind_id: str, code: str) -> list[tuple]:
        """(period, period_label, value, lci, uci) of every published figure, oldest first."""
        return self.obs.get((ind_id, code), [])

    def figure(self, ind_id: str, code: str, period: str) -> tuple[float | None, float | None, float | None]:
        return self.figures.get((ind_id, code, period), (None, None, None))

    def bench(self, code: str):
        """The benchmark Area of a district (England, the region, or an EM3 district's county)."""
        if code in self.area.district_codes:
            return jm.benchmark_area(self.area, code, self.benchmark)
        if self.benchmark != "county":
            return self.area.comparators[self.benchmark]
        raise LisDataError(f"--benchmark county: {code} is not one of the {self.area.short_name} districts, "
                           "so its county is not known")

    def judge(self, ind: Indicator, code: str, period: str) -> Mark:
        value, lci, uci = self.figure(ind.id, code, period)
        b = self.bench(code)
        bvalue = self.figure(ind.id, b.code, period)[0]
        return Mark(code, self.names.get(code, code), value, lci, uci,
                    jm.judge(value, lci, uci, bvalue, ind.polarity))

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
    b = inp.bench(code)
    base = dict(indicator=ind.id, area_code=code, area_name=inp.names.get(code, code), priority=ind.priorities[0],
                label=ind.label, short_label=ind.short_label, unit=ind.unit, decimals=ind.decimals,
                polarity=ind.polarity, benchmark_area=b.name)
    if not series:
        return ProfileRow(period="", value=None, lci_95=None, uci_95=None, benchmark_value=None,
                          judgement=jm.NO_FIGURE, rank=None, of=None, percentile=None, direction=jm.NO_PREVIOUS,
                          previous_period=None, change=None, spine=None, others=(), sparkline=(),
                          sparkline_periods=(), **base)
    period, period_label, value, lci, uci = series[-1]
    bvalue = inp.figure(ind.id, b.code, period)[0]
    prev = series[-2] if len(series) > 1 else None
    change = None if prev is None else value - prev[2]
    r = inp.ranks.get((ind.id, period, code))
    others = tuple(inp.judge(ind, c, period) for c in inp.area.district_codes if c != code)
    tail = series[-SPARKLINE_PERIODS:]
    return ProfileRow(
        period=period_label, value=value, lci_95=lci, uci_95=uci, benchmark_value=bvalue,
        judgement=jm.judge(value, lci, uci, bvalue, ind.polarity),
        rank=None if r is None else int(r.rank), of=None if r is None else int(r.n_districts),
        percentile=None if r is None else round(float(r.percentile) * 100, 1),
        direction=jm.direction(change, ind.polarity),
        previous_period=None if prev is None else prev[1], change=change,
        spine=inp.spine(ind, period), others=others,
        sparkline=tuple(t[2] for t in tail), sparkline_periods=tuple(t[1] for t in tail),
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
        latest = [inp.order[s[-1][0]] for s in (inp.series(ind.id, c) for c in codes) if s]
        if not latest:
            rows.append(GroupRow(ind.id, "", ind.priorities[0], ind.label, ind.short_label, ind.unit, ind.decimals,
                                 ind.polarity, "", None, None, (), tuple(jm.count([]).items())))
            continue
        period = max(latest)[1]  # (period_start, period) of the latest
        marks = tuple(inp.judge(ind, c, period) for c in codes)
        benches = {inp.bench(c) for c in codes}
        if len(benches) == 1:
            b = benches.pop()
            bname, bvalue = b.name, inp.figure(ind.id, b.code, period)[0]
        else:
            bname, bvalue = "each district's county", None
        rows.append(GroupRow(ind.id, inp.labels.get(period, period), ind.priorities[0], ind.label, ind.short_label,
                             ind.unit, ind.decimals, ind.polarity, bname, bvalue, inp.spine(ind, period), marks,
                             tuple(jm.count(m.judgement for m in marks).items())))
    return rows


def records(rows: Sequence[ProfileRow]) -> list[dict]:
    """The rows as the command prints them (PROFILE_COLUMNS)."""
    return [r.record() for r in rows]
