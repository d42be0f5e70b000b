"""The judged table: every figure of every area an indicator is shown or judged for, judged once.

Built with the runtime store (lis_data.runtime.store), so it is rebuilt whenever the extract or the
configuration changes (the store's fingerprint covers both). One row per area x indicator x period
x benchmark setting ("england", "region", "county"), for the periods in which the area has a figure:

    areacd, areanm, indicator_id, benchmark, benchmark_code, benchmark_name, shown,
    period (ISO 8601 as published), period_label, period_start, value, lci, uci, status,
    previous_period, previous_period_label, previous_value, change, direction,
    rank, rank_of, percentile (0-100, 100 = best), quintile (1 = best; none of them for a count),
    benchmark_value (never for a count), share (a count's share of the benchmark area's total),
    method, kind, judgement, latest (the area's latest period with a figure)

Written once, here:

* which areas an indicator is shown for (`shown`): the EM3 districts for a district indicator, the
  counties, the ITL areas covering EM3 or the region for one published only at that level (never
  split between districts). Every other English district has rows too (judged against England
  only), so that a profile of any English district reads the same table;
* which area a figure is judged against (`benchmark_code`, `benchmark_name`): for an EM3 district,
  England, the South East or its county as chosen; for a county or an ITL area, England or the South
  East (judged against England when the county is chosen: a county is not judged against itself,
  and the row says England); for the region, England whatever is chosen. The row names the area
  actually used, so no surface can label a figure judged against England as judged against another;
* the rules (lis_data.domain.judgement: `judgement_sql`, `direction_sql`, quintiles from the ranks).

Comparators published under another code (the South East as TLJ) are read under it and stored
under their own code.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

import duckdb

from lis_data.domain import judgement as jm
from lis_data.domain.area_codes import aliases
from lis_data.config import AreaConfig, Catalogue

TABLE = "judged"

COLUMNS = ("areacd", "areanm", "indicator_id", "benchmark", "benchmark_code", "benchmark_name", "shown",
           "period", "period_label", "period_start", "value", "lci", "uci", "status", "previous_period",
           "previous_period_label", "previous_value", "change", "direction", "rank", "rank_of", "percentile",
           "quintile", "benchmark_value", "share", "method", "kind", "judgement", "latest")


def subject_rows(area: AreaConfig) -> list[tuple]:
    """(areacd, name, level, benchmark, benchmark_code, benchmark_name, shown) for the configured
    areas; every other English district is added in SQL (England only, not shown)."""
    england, region = area.comparators["england"], area.comparators["region"]
    counties = {c.code: c for c in area.counties}
    out = []
    for d in area.districts:
        for bm, b in (("england", england), ("region", region), ("county", counties[d.county])):
            out.append((d.code, d.name, "district", bm, b.code, b.name, True))
    for level, areas in (("county", area.counties), ("itl", area.larger_areas)):
        for a in areas:
            for bm, b in (("england", england), ("region", region), ("county", england)):
                out.append((a.code, a.name, level, bm, b.code, b.name, True))
    for bm in jm.BENCHMARKS:
        out.append((region.code, region.name, "region", bm, england.code, england.name, True))
    return out


def build(con: duckdb.DuckDBPyConnection, area: AreaConfig, catalogue: Catalogue) -> float:
    """Create the judged table in the store being built (after `district_ranks`); return seconds."""
    t0 = time.perf_counter()
    con.execute("SET enable_progress_bar = false")
    con.execute("CREATE TEMP TABLE j_subjects (areacd VARCHAR, name VARCHAR, level VARCHAR, benchmark VARCHAR, "
                "benchmark_code VARCHAR, benchmark_name VARCHAR, shown BOOLEAN)")
    con.executemany("INSERT INTO j_subjects VALUES (?, ?, ?, ?, ?, ?, ?)", subject_rows(area))
    england = area.comparators["england"]
    con.execute("""
        INSERT INTO j_subjects
        SELECT areacd, areanm, 'district', 'england', ?, ?, false FROM areas
        WHERE english_district AND areacd NOT IN (SELECT areacd FROM j_subjects)""", [england.code, england.name])
    con.execute("CREATE TEMP TABLE j_methods (id VARCHAR, level VARCHAR, polarity VARCHAR, method VARCHAR, "
                "kind VARCHAR)")
    con.executemany("INSERT INTO j_methods VALUES (?, ?, ?, ?, ?)",
                    [(i.id, i.level, i.polarity, i.method, i.kind) for i in catalogue.indicators])
    con.execute("CREATE TEMP TABLE j_aliases (alt VARCHAR, own VARCHAR)")
    alias = aliases(area)
    if alias:
        con.executemany("INSERT INTO j_aliases VALUES (?, ?)", list(alias.items()))
    judgement = jm.judgement_sql("m.method", "m.polarity", "s.value", "s.lci", "s.uci", "b.value", "q.quintile")
    direction = jm.direction_sql("m.polarity", "s.value", "s.lci", "s.uci", "s.pvalue", "s.plci", "s.puci")
    con.execute(f"""
        CREATE TABLE {TABLE} AS
        WITH wanted AS (
            SELECT areacd FROM j_subjects UNION SELECT benchmark_code FROM j_subjects
        ),
        obs AS (
            SELECT o.indicator_id, coalesce(al.own, o.areacd) AS areacd, o.period, o.period_label,
                   o.period_start, o.value, o.lci, o.uci, o.status
            FROM observations o LEFT JOIN j_aliases al ON al.alt = o.areacd
            WHERE o.value IS NOT NULL AND NOT isnan(o.value)
              AND coalesce(al.own, o.areacd) IN (SELECT areacd FROM wanted)
            QUALIFY row_number() OVER (PARTITION BY o.indicator_id, coalesce(al.own, o.areacd), o.period
                                       ORDER BY al.own IS NOT NULL) = 1
        ),
        s AS (
            SELECT obs.*,
                   lag(value) OVER w AS pvalue, lag(lci) OVER w AS plci, lag(uci) OVER w AS puci,
                   lag(period) OVER w AS previous_period, lag(period_label) OVER w AS previous_period_label,
                   row_number() OVER (PARTITION BY indicator_id, areacd ORDER BY period_start DESC, period DESC) = 1
                       AS latest
            FROM obs
            WINDOW w AS (PARTITION BY indicator_id, areacd ORDER BY period_start, period)
        ),
        q AS (
            SELECT indicator_id, period, areacd, rank, n_districts,
                   -- 100 = best, 0 = worst, by the rank (ties share the better rank)
                   CASE WHEN n_districts > 1 THEN round(100.0 * (n_districts - rank) / (n_districts - 1), 1)
                        END AS percentile,
                   least(5, floor((rank - 1) * 5 / n_districts)::INTEGER + 1) AS quintile
            FROM district_ranks
        )
        SELECT s.areacd, coalesce(a.areanm, sub.name) AS areanm, s.indicator_id, sub.benchmark,
               sub.benchmark_code, sub.benchmark_name, sub.shown,
               s.period, s.period_label, s.period_start, s.value, s.lci, s.uci, s.status,
               s.previous_period, s.previous_period_label, s.pvalue AS previous_value,
               -- the difference of the two figures as written (83.4 - 84.0 = -0.6), not of their
               -- binary approximations (-0.5999999999999943): each read back as its shortest decimal
               CAST(CAST(CAST(s.value AS VARCHAR) AS DECIMAL(38, 17))
                    - CAST(CAST(s.pvalue AS VARCHAR) AS DECIMAL(38, 17)) AS DOUBLE) AS change,
               {direction} AS direction,
               -- a count is never ranked: its rank would be a ranking by size
               CASE WHEN m.kind <> 'count' THEN q.rank::INTEGER END AS rank,
               CASE WHEN m.kind <> 'count' THEN q.n_districts::INTEGER END AS rank_of,
               CASE WHEN m.kind <> 'count' THEN q.percentile END AS percentile,
               CASE WHEN m.kind <> 'count' THEN q.quintile::INTEGER END AS quintile,
               CASE WHEN m.kind = 'count' THEN NULL ELSE b.value END AS benchmark_value,
               CASE WHEN m.kind = 'count' AND b.value > 0 THEN s.value / b.value END AS share,
               m.method, m.kind, {judgement} AS judgement, s.latest
        FROM s
        JOIN j_methods m ON m.id = s.indicator_id
        JOIN j_subjects sub ON sub.areacd = s.areacd AND sub.level = m.level
        LEFT JOIN areas a ON a.areacd = s.areacd
        LEFT JOIN obs b ON b.indicator_id = s.indicator_id AND b.areacd = sub.benchmark_code AND b.period = s.period
        LEFT JOIN q ON q.indicator_id = s.indicator_id AND q.period = s.period AND q.areacd = s.areacd
        ORDER BY s.indicator_id, sub.benchmark, s.areacd, s.period_start
    """)
    con.execute(f"CREATE INDEX {TABLE}_area ON {TABLE} (areacd, benchmark)")
    con.execute(f"CREATE INDEX {TABLE}_ind ON {TABLE} (indicator_id, benchmark)")
    for t in ("j_subjects", "j_methods", "j_aliases"):
        con.execute(f"DROP TABLE {t}")
    return time.perf_counter() - t0


# --- Reading the table ------------------------------------------------------------------------------
# Plain rows, no pandas: `python -m lis_data profile` starts without it.

@dataclass(frozen=True)
class Judged:
    """One row of the judged table."""

    areacd: str
    areanm: str
    indicator_id: str
    benchmark: str
    benchmark_code: str
    benchmark_name: str
    shown: bool
    period: str  # ISO 8601, as published
    period_label: str
    period_start: object
    value: float
    lci: float | None
    uci: float | None
    status: str | None
    previous_period: str | None
    previous_period_label: str | None
    previous_value: float | None
    change: float | None
    direction: str
    rank: int | None
    of: int | None
    percentile: float | None
    quintile: int | None
    benchmark_value: float | None
    share: float | None
    method: str
    kind: str
    judgement: str
    latest: bool


_SELECT = ", ".join(COLUMNS)


#: Joins an indicator id and a period into one key (neither contains it).
_KEY_SEP = "|"


def _clean(x):
    return None if isinstance(x, float) and math.isnan(x) else x


def read(store, *, areas: Sequence[str] | None = None, indicators: Sequence[str] | None = None,
         benchmark: str | None = None, period: str | None = None, latest: bool | None = None,
         shown: bool | None = None) -> list[Judged]:
    """Rows of the judged table, oldest period first, filtered by any of the arguments."""
    where, params = [], []
    if areas is not None:
        where.append("areacd IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(areas))
    if indicators is not None:
        where.append("indicator_id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(indicators))
    for col, val in (("benchmark", benchmark), ("period", period), ("latest", latest), ("shown", shown)):
        if val is not None:
            where.append(f"{col} = ?")
            params.append(val)
    sql = (f"SELECT {_SELECT} FROM {TABLE}" + (f" WHERE {' AND '.join(where)}" if where else "")
           + " ORDER BY indicator_id, areacd, period_start, period")
    return [Judged(*map(_clean, r)) for r in store.rows(sql, params)]


def read_at(store, *, areas: Sequence[str], figures: Iterable[tuple[str, str]], benchmark: str) -> list[Judged]:
    """The rows of `areas` for just the (indicator, period) pairs in `figures`, judged against
    `benchmark`: what the other districts show beside one district's latest figures, without reading
    every period of every district."""
    keys = sorted({f"{indicator}{_KEY_SEP}{period}" for indicator, period in figures})
    if not keys or not areas:
        return []
    sql = (f"SELECT {_SELECT} FROM {TABLE} WHERE areacd IN (SELECT unnest(?::VARCHAR[])) AND benchmark = ? "
           f"AND indicator_id || '{_KEY_SEP}' || period IN (SELECT unnest(?::VARCHAR[])) "
           "ORDER BY indicator_id, areacd, period_start, period")
    return [Judged(*map(_clean, r)) for r in store.rows(sql, [list(areas), benchmark, keys])]


def frame(store, **filters):
    """The same rows as a DataFrame (columns as in the table, `rank_of` as `of`)."""
    import pandas as pd

    rows = read(store, **filters)
    return pd.DataFrame([r.__dict__ for r in rows], columns=[f.name for f in fields(Judged)])


def benchmark_of(area: AreaConfig, code: str, level: str, benchmark: str) -> tuple[str, str] | None:
    """(code, name) of the area a figure of `code` (an area at `level`) is judged against, or None
    when it is not judged there (England; another English district with a benchmark other than
    England). The same rule that builds the table (`subject_rows`)."""
    if benchmark not in jm.BENCHMARKS:
        raise ValueError(f"benchmark {benchmark!r}: choose from {', '.join(jm.BENCHMARKS)}")
    found = _subjects(area).get((code, level, benchmark))
    if found is None and level == "district" and benchmark == "england" and code != area.comparators["england"].code:
        return area.comparators["england"].code, area.comparators["england"].name
    return found


_SUBJECTS: dict[int, tuple[AreaConfig, dict]] = {}


def _subjects(area: AreaConfig) -> dict[tuple[str, str, str], tuple[str, str]]:
    held = _SUBJECTS.get(id(area))
    if held is None or held[0] is not area:  # AreaConfig holds a dict: not hashable, keyed by identity
        held = _SUBJECTS[id(area)] = (area, {(c, lvl, bm): (bc, bn) for c, _n, lvl, bm, bc, bn, _s in subject_rows(area)})
    return held[1]


def shown_areas(area: AreaConfig, level: str) -> dict[str, str]:
    """{code: name} of the areas an indicator published at `level` is shown for, in config order."""
    return {c: n for c, n, lvl, bm, _bc, _bn, _s in subject_rows(area) if lvl == level and bm == "england"}
