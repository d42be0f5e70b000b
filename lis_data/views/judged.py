"""Judgements for a view: which benchmark each area is compared with, and tables of judgements made
by the one rule in lis_data.judgement. Wording of judgements too; the rule itself is not here."""

from __future__ import annotations

import pandas as pd

from .. import judgement as jm
from ..config import AreaConfig
from .source import ViewSource


def benchmark_code(area: AreaConfig, code: str, benchmark: str) -> str | None:
    """The code of the area `code` is judged against, or None when it is not judged: England, the
    region and the UK are benchmarks, not subjects; with the county as benchmark, only EM3
    districts (whose county is known) are judged."""
    if code in area.district_codes:
        return jm.benchmark_area(area, code, benchmark).code
    if code in {c.code for c in area.comparators.values()} or benchmark == "county":
        return None
    return area.comparators[benchmark].code


def benchmark_name(area: AreaConfig, codes, benchmark: str) -> str:
    """The benchmark's name for these areas: "England", "the South East", "Surrey", or "each
    district's county" when they lie in different counties."""
    if benchmark != "county":
        return area.comparators[benchmark].name
    counties = {area.district(c).county for c in codes if c in area.district_codes}
    return area.name_of(counties.pop()) if len(counties) == 1 else "each district's county"


def judged(src: ViewSource, indicator_id: str, codes: tuple[str, ...], benchmark: str, start: int | None = None,
           end: int | None = None) -> pd.DataFrame:
    """Every figure of these areas (areacd, period) with its benchmark's figure for the same period
    and its judgement (empty for areas that are not judged)."""
    area = src.area()
    ind = src.catalogue().indicator(indicator_id)
    rows = src.series(ind.id, tuple(codes), start, end)
    mapping = {c: b for c in codes if (b := benchmark_code(area, c, benchmark))}
    bench = src.series(ind.id, tuple(sorted(set(mapping.values()))), start, end) if mapping else rows.iloc[0:0]
    out = jm.judge_table(rows, bench, mapping, ind.polarity)
    return out[["areacd", "period", "value", "lci", "uci", "benchmark_value", "judgement"]]


def judgements_in(src: ViewSource, indicator_id: str, codes: tuple[str, ...], period: str,
                  benchmark: str) -> list[str]:
    """The judgement of each area's figure in one period, in the order of `codes`: "no figure" for
    a judged area with none, "" for an area that is not judged."""
    df = judged(src, indicator_id, tuple(codes), benchmark)
    df = df[(df["period"] == period) & df["value"].notna()]
    found = dict(zip(df["areacd"], df["judgement"]))
    return [found.get(c, jm.NO_FIGURE if benchmark_code(src.area(), c, benchmark) else "") for c in codes]


def words(judgement: str, name: str) -> str:
    """A judgement as text with its shape: "▼ worse than England"."""
    if not judgement:
        return ""
    return f"{jm.STYLE[judgement]['symbol']} {jm.phrase(judgement, name)}"


def counts_text(judgements, name: str) -> str:
    """"Against England: 2 ▲ better, 9 ● similar, 1 ▼ worse, 2 not tested"; zero counts left out
    except better, similar and worse."""
    c = jm.count(j for j in judgements if j)
    parts = [f"{c[j]} {jm.STYLE[j]['symbol']} {j}" for j in (jm.BETTER, jm.SIMILAR, jm.WORSE)]
    parts += [f"{c[j]} {jm.STYLE[j]['symbol']} {j}" for j in (jm.HIGHER, jm.LOWER) if c[j]]
    parts += [f"{c[j]} {j}" for j in (jm.NOT_TESTED, jm.NOT_COMPARED, jm.NO_FIGURE) if c[j]]
    return f"Against {name} (95% CI): " + ", ".join(parts)
