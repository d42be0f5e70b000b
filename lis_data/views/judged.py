"""Judgements for a view, read from the judged table (lis_data.runtime.judged_table): which area each figure
is judged against and its judgement, as the table holds them; wording of judgements. Neither the
rules nor the choice of benchmark are here: both are written once, in the table's build."""

from __future__ import annotations

import pandas as pd

from lis_data.runtime import judged_table as jt
from lis_data.domain import judgement as jm
from lis_data.config import AreaConfig
from lis_data.views.source import ViewSource


def level_of(area: AreaConfig, code: str) -> str | None:
    """The level at which an area is a subject: district, county, itl or region (None for England)."""
    if code == area.comparators["england"].code:
        return None
    if code == area.comparators["region"].code:
        return "region"
    if code in {c.code for c in area.counties}:
        return "county"
    if code in {a.code for a in area.larger_areas}:
        return "itl"
    return "district"


def benchmark_code(area: AreaConfig, code: str, benchmark: str) -> str | None:
    """The code of the area `code` is judged against (the judged table's rule), or None."""
    level = level_of(area, code)
    found = None if level is None else jt.benchmark_of(area, code, level, benchmark)
    return None if found is None else found[0]


def benchmark_name(area: AreaConfig, codes, benchmark: str) -> str:
    """The name of the area these areas are judged against: "England", "the South East", "Surrey",
    or "each district's county" / "each area's benchmark" when they differ."""
    names = {area.name_of(b) for c in codes if (b := benchmark_code(area, c, benchmark))}
    if len(names) == 1:
        return names.pop()
    if not names:
        return area.comparators[benchmark if benchmark != "county" else "england"].name
    return "each district's county" if benchmark == "county" else "each area's benchmark"


JUDGED_COLUMNS = ["areacd", "areanm", "period", "period_start", "status", "value", "lci", "uci", "benchmark_code", "benchmark_name", "benchmark_value",
                  "share", "judgement", "method", "kind", "rank", "of", "quintile", "direction", "change",
                  "previous_period_label", "period_label", "latest"]


def judged(src: ViewSource, indicator_id: str, codes: tuple[str, ...], benchmark: str, start: int | None = None,
           end: int | None = None) -> pd.DataFrame:
    """The judged table's rows of these areas for one indicator (areas that are not judged, such as
    England, have none), optionally within a span of years."""
    df = src.judged(indicator_id, tuple(codes), benchmark)
    if start is not None or end is not None:
        years = pd.to_datetime(df["period_start"]).dt.year
        df = df[(years >= (start or -10**6)) & (years <= (end or 10**6))]
    return df[JUDGED_COLUMNS].reset_index(drop=True)


def latest(src: ViewSource, indicator_id: str, codes: tuple[str, ...], benchmark: str) -> pd.DataFrame:
    """Each area's latest row of the judged table (areas with no figure are absent), in the columns of
    queries.latest: the one place the latest figure, its change and its rank are worked out."""
    df = judged(src, indicator_id, codes, benchmark)
    df = df[df["latest"]].rename(columns={"previous_period_label": "previous_label", "of": "n_districts"})
    return df.reset_index(drop=True)


def judgements_in(src: ViewSource, indicator_id: str, codes: tuple[str, ...], period: str,
                  benchmark: str) -> list[str]:
    """The judgement of each area's figure in one period, in the order of `codes`: "no figure" for
    a judged area with none, "" for an area that is not judged."""
    df = judged(src, indicator_id, tuple(codes), benchmark)
    found = dict(zip(df.loc[df["period"] == period, "areacd"], df.loc[df["period"] == period, "judgement"]))
    return [found.get(c, jm.NO_FIGURE if benchmark_code(src.area(), c, benchmark) else "") for c in codes]


def words(judgement: str, name: str) -> str:
    """A judgement as text with its shape: "▼ worse than England", "⬇ worst fifth of English districts"."""
    if not judgement:
        return ""
    return f"{jm.STYLE[judgement]['symbol']} {jm.phrase(judgement, name)}"


def counts_text(judgements, name: str) -> str:
    """"Against England (95% CI): 2 ▲ better, 9 ● similar, 1 ▼ worse; among English districts: 3 ⬇ worst
    fifth, …"; each method's part only where it has judgements, zero counts left out except better,
    similar and worse."""
    c = jm.count(j for j in judgements if j)
    parts = []
    if any(c[j] for j in (jm.BETTER, jm.SIMILAR, jm.WORSE, jm.HIGHER, jm.LOWER, jm.NOT_TESTED, jm.NOT_COMPARED)):
        tested = [f"{c[j]} {jm.STYLE[j]['symbol']} {j}" for j in (jm.BETTER, jm.SIMILAR, jm.WORSE)]
        tested += [f"{c[j]} {jm.STYLE[j]['symbol']} {j}" for j in (jm.HIGHER, jm.LOWER) if c[j]]
        tested += [f"{c[j]} {j}" for j in (jm.NOT_TESTED, jm.NOT_COMPARED) if c[j]]
        parts.append(f"Against {name} (95% CI): " + ", ".join(tested))
    fifths = [f"{c[j]} {jm.STYLE[j]['symbol']} {j}" for j in jm.QUINTILE_JUDGEMENTS if c[j]]
    if fifths:
        parts.append("Among English districts: " + ", ".join(fifths))
    rest = [f"{c[j]} {j}" for j in (jm.NOT_JUDGED, jm.NO_FIGURE) if c[j]]
    if rest:
        parts.append(", ".join(rest))
    return "; ".join(parts) if parts else f"Against {name}: nothing judged"
