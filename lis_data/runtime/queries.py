"""The query API the pages use. Every function takes a Store and returns a DataFrame.

Parameterised SQL only. Comparators published under another code (the South
East as ITL1 area TLJ in some releases) are read under that code and returned
under the comparator's own code and name.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lis_data.domain import area_codes
from lis_data.config import AreaConfig, load_area
from lis_data.runtime.store import Store

SERIES_COLUMNS = ["areacd", "areanm", "period", "period_label", "period_start", "period_end", "frequency",
                  "value", "lci", "uci", "status", "observation", "unit"]


_aliases = area_codes.aliases
_placeholders = area_codes.placeholders
_with_aliases = area_codes.with_aliases


def _config_names(area: AreaConfig) -> dict[str, str]:
    return {a.code: a.name for a in (*area.districts, *area.counties, *area.comparators.values(), *area.larger_areas)}


def _canonicalise(df: pd.DataFrame, area: AreaConfig, keys: Sequence[str]) -> pd.DataFrame:
    """Return rows read under an alias under the area's own code, preferring the own code's rows."""
    aliases = _aliases(area)
    if df.empty or not aliases or not df["areacd"].isin(list(aliases)).any():
        return df
    df = df.copy()
    df["_alias"] = df["areacd"].isin(list(aliases))
    df["areacd"] = df["areacd"].replace(aliases)
    names = {a.code: a.name for a in area.comparators.values()}
    if "areanm" in df:
        df.loc[df["_alias"], "areanm"] = df.loc[df["_alias"], "areacd"].map(names)
    # A row with a figure wins over one without (snapshot() lists the own code even when only
    # the alias has a figure); between two rows alike, the own code's row wins.
    df["_missing"] = df["value"].isna() if "value" in df else False
    df = df.sort_values(["_missing", "_alias"], kind="stable").drop_duplicates(subset=list(keys), keep="first")
    return df.drop(columns=["_alias", "_missing"])


def series(store: Store, indicator_id: str, areas: Sequence[str],
           start_year: int | None = None, end_year: int | None = None,
           area: AreaConfig | None = None) -> pd.DataFrame:
    """Every published period of one indicator for the given areas, gaps included, oldest first."""
    area = area or load_area()
    codes = _with_aliases(list(areas), area)
    sql = f"""
        SELECT o.areacd, a.areanm, o.period, o.period_label, o.period_start, o.period_end, o.frequency,
               o.value, o.lci, o.uci, o.status, o.observation, o.unit
        FROM observations o LEFT JOIN areas a USING (areacd)
        WHERE o.indicator_id = ? AND o.areacd IN ({_placeholders(codes)})
          AND (? IS NULL OR year(o.period_start) >= ?) AND (? IS NULL OR year(o.period_start) <= ?)
        ORDER BY o.period_start, o.areacd
    """
    df = store.df(sql, [indicator_id, *codes, start_year, start_year, end_year, end_year])
    df = _canonicalise(df, area, ["areacd", "period"])
    return df.sort_values(["period_start", "areacd"]).reset_index(drop=True)


def periods(store: Store, indicator_id: str) -> pd.DataFrame:
    """The periods of an indicator, oldest first."""
    return store.df(
        "SELECT DISTINCT period, period_label, period_start FROM observations WHERE indicator_id = ? ORDER BY period_start",
        [indicator_id])


def latest(store: Store, indicator_id: str, areas: Sequence[str], area: AreaConfig | None = None) -> pd.DataFrame:
    """For each area: its latest figure, the previous period's figure and the change, and its rank
    among English districts (districts only). Areas with no figure at all are absent."""
    area = area or load_area()
    codes = _with_aliases(list(areas), area)
    sql = f"""
        WITH s AS (
            SELECT o.areacd, o.period, o.period_label, o.period_start, o.value, o.lci, o.uci, o.status,
                   lag(o.value) OVER w AS previous_value,
                   lag(o.period_label) OVER w AS previous_label,
                   row_number() OVER (PARTITION BY o.areacd ORDER BY o.period_start DESC) AS recency
            FROM observations o
            WHERE o.indicator_id = ? AND o.areacd IN ({_placeholders(codes)}) AND o.value IS NOT NULL
            WINDOW w AS (PARTITION BY o.areacd ORDER BY o.period_start)
        )
        SELECT s.areacd, a.areanm, s.period, s.period_label, s.period_start, s.value, s.lci, s.uci, s.status,
               s.previous_value, s.previous_label, s.value - s.previous_value AS change,
               r.rank, r.n_districts, r.percentile
        FROM s LEFT JOIN areas a USING (areacd)
        LEFT JOIN district_ranks r ON r.indicator_id = ? AND r.period = s.period AND r.areacd = s.areacd
        WHERE s.recency = 1
        ORDER BY s.areacd
    """
    df = store.df(sql, [indicator_id, *codes, indicator_id])
    return _canonicalise(df, area, ["areacd"]).reset_index(drop=True)


def snapshot(store: Store, indicator_id: str, areas: Sequence[str], period: str | None = None,
             area: AreaConfig | None = None) -> pd.DataFrame:
    """All the given areas in one period (default: the latest period in which any of them has a figure),
    with ranks among English districts. Areas with no figure in that period are kept, value missing."""
    area = area or load_area()
    codes = _with_aliases(list(areas), area)
    if period is None:
        row = store.rows(
            f"SELECT period FROM observations WHERE indicator_id = ? AND areacd IN ({_placeholders(codes)}) "
            "AND value IS NOT NULL ORDER BY period_start DESC LIMIT 1", [indicator_id, *codes])
        if not row:
            return pd.DataFrame(columns=["areacd", "areanm", "period", "period_label", "value", "lci", "uci",
                                         "status", "rank", "n_districts", "percentile"])
        period = row[0][0]
    sql = """
        WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS areacd)
        SELECT w.areacd, a.areanm, ? AS period, p.period_label, o.value, o.lci, o.uci, o.status,
               r.rank, r.n_districts, r.percentile
        FROM wanted w LEFT JOIN areas a USING (areacd)
        LEFT JOIN observations o ON o.areacd = w.areacd AND o.indicator_id = ? AND o.period = ?
        LEFT JOIN (SELECT DISTINCT period_label FROM observations WHERE indicator_id = ? AND period = ?) p ON true
        LEFT JOIN district_ranks r ON r.indicator_id = ? AND r.period = ? AND r.areacd = w.areacd
    """
    df = store.df(sql, [codes, period, indicator_id, period, indicator_id, period, indicator_id, period])
    df = df[~(df["areacd"].isin(list(_aliases(area))) & df["value"].isna())]
    df = _canonicalise(df, area, ["areacd"])
    order = {c: i for i, c in enumerate(areas)}
    df = df[df["areacd"].isin(order)].copy()
    # An area with no figure at all is not in the areas table: name it from the area config.
    df["areanm"] = df["areanm"].fillna(df["areacd"].map(_config_names(area)))
    return df.sort_values("areacd", key=lambda s: s.map(order)).reset_index(drop=True)


def group_summary(store: Store, indicator_id: str, areas: Sequence[str],
                  start_year: int | None = None, end_year: int | None = None) -> pd.DataFrame:
    """Per period (optionally within a span of years): the median, lowest and highest of the given
    districts and how many have a figure. A median and range, never a total of rates."""
    sql = f"""
        SELECT period, period_label, period_start,
               median(value) AS median, min(value) AS low, max(value) AS high,
               count(value) AS n_with_value, count(*) AS n_rows
        FROM observations
        WHERE indicator_id = ? AND areacd IN ({_placeholders(areas)})
          AND (? IS NULL OR year(period_start) >= ?) AND (? IS NULL OR year(period_start) <= ?)
        GROUP BY period, period_label, period_start
        ORDER BY period_start
    """
    return store.df(sql, [indicator_id, *areas, start_year, start_year, end_year, end_year])


def neighbours(store: Store, district: str, kind: str, how_many: int) -> pd.DataFrame:
    """The ONS statistical neighbours of a district, nearest first."""
    return store.df(
        "SELECT n.neighbour AS areacd, a.areanm, n.rank FROM neighbours n LEFT JOIN areas a ON a.areacd = n.neighbour "
        "WHERE n.areacd = ? AND n.kind = ? AND n.rank <= ? ORDER BY n.rank",
        [district, kind, how_many])


def indicators(store: Store) -> pd.DataFrame:
    """The catalogue with each indicator's upstream metadata."""
    return store.df("SELECT * FROM indicators")


def area_names(store: Store, codes: Sequence[str]) -> dict[str, str]:
    rows = store.rows(f"SELECT areacd, areanm FROM areas WHERE areacd IN ({_placeholders(codes)})", list(codes))
    return dict(rows)


def coverage(store: Store, districts: Sequence[str]) -> pd.DataFrame:
    """Per indicator: how many district x period cells hold a figure, and which are missing."""
    sql = """
        WITH p AS (SELECT DISTINCT indicator_id, period, period_label, period_start FROM observations),
             d AS (SELECT unnest(?::VARCHAR[]) AS areacd),
             grid AS (SELECT p.*, d.areacd FROM p, d)
        SELECT g.indicator_id, g.period, g.period_label, g.period_start, g.areacd,
               o.value IS NOT NULL AS present, o.status
        FROM grid g LEFT JOIN observations o
          ON o.indicator_id = g.indicator_id AND o.period = g.period AND o.areacd = g.areacd
        ORDER BY g.indicator_id, g.period_start, g.areacd
    """
    return store.df(sql, [list(districts)])


EXPORT_COLUMNS = ["areacd", "dataset", "indicator", "measure", "period", "observation", "lci_95", "uci_95", "status"]


def _export_where(areas: Sequence[str] | None, datasets: Sequence[str] | None) -> tuple[str, list]:
    where, params = [], []
    if areas:
        where.append(f"areacd IN ({_placeholders(areas)})")
        params += list(areas)
    if datasets:
        where.append(f"dataset IN ({_placeholders(datasets)})")
        params += list(datasets)
    return (f"WHERE {' AND '.join(where)} " if where else ""), params


def export_sql(areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None,
               columns: Sequence[str] = EXPORT_COLUMNS) -> tuple[str, list]:
    """The query behind `export`: one row per figure with its upstream identity, exactly as published
    (`columns` of the observations table, EXPORT_COLUMNS by default)."""
    where, params = _export_where(areas, datasets)
    return (f"SELECT {', '.join(columns)} FROM observations {where}"
            "ORDER BY dataset, indicator, measure, areacd, period_start"), params


def export_count(store: Store, areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None) -> int:
    """How many rows `export` would return, counted without reading them."""
    where, params = _export_where(areas, datasets)
    return int(store.rows(f"SELECT count(*) FROM observations {where}", params)[0][0])


def export(store: Store, areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per figure with its upstream identity, exactly as published."""
    sql, params = export_sql(areas, datasets)
    return store.df(sql, params)


def with_gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Make every missing figure an explicit row with no value, so that a chart breaks its line there
    instead of drawing across the gap. Missing means: a period another area has but this one lacks,
    or, for annual series, a calendar year inside the published span that is absent for every area.
    Nothing is interpolated: added rows carry no value."""
    if df.empty:
        return df
    periods = df[["period", "period_label", "period_start", "period_end", "frequency"]].drop_duplicates("period").copy()
    periods["period_start"] = pd.to_datetime(periods["period_start"])
    periods["period_end"] = pd.to_datetime(periods["period_end"])
    if (periods["frequency"] == "annual").all() and len(periods) > 1:
        starts = pd.to_datetime(periods["period_start"])
        month_day = (starts.dt.month.iloc[0], starts.dt.day.iloc[0])
        have = set(starts.dt.year)
        missing_years = [y for y in range(min(have), max(have) + 1) if y not in have]
        if missing_years:
            extra = pd.DataFrame({
                "period": [f"(none published for {y})" for y in missing_years],
                "period_label": [f"{y} (not published)" for y in missing_years],
                "period_start": [pd.Timestamp(y, *month_day) for y in missing_years],
                "period_end": [pd.Timestamp(y, *month_day) for y in missing_years],
                "frequency": "annual",
            })
            periods = pd.concat([periods, extra], ignore_index=True)
    areas = df[["areacd", "areanm"]].drop_duplicates("areacd")
    grid = areas.merge(periods, how="cross")
    keep = [c for c in df.columns if c not in ("areanm", "period_label", "period_start", "period_end", "frequency")]
    out = grid.merge(df[keep], on=["areacd", "period"], how="left")
    return out.sort_values(["period_start", "areacd"]).reset_index(drop=True)


def year_range(store: Store) -> tuple[int, int]:
    """The first and last year of any figure in the store."""
    lo, hi = store.rows("SELECT min(year(period_start)), max(year(period_start)) FROM observations")[0]
    return int(lo), int(hi)
