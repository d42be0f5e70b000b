"""Judgements for the pages: which benchmark each area is compared with, and cached tables of
judgements made by the one rule in lis_data.judgement. Wording only; the rule is not here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data import judgement as jm

from . import data


def benchmark_code(code: str, benchmark: str) -> str | None:
    """The code of the area `code` is judged against, or None when it is not judged: England, the
    region and the UK are benchmarks, not subjects; with the county as benchmark, only EM3
    districts (whose county is known) are judged."""
    a = data.area()
    if code in a.district_codes:
        return jm.benchmark_area(a, code, benchmark).code
    if code in {c.code for c in a.comparators.values()} or benchmark == "county":
        return None
    return a.comparators[benchmark].code


def benchmark_name(codes, benchmark: str) -> str:
    """The benchmark's name for these areas: "England", "the South East", "Surrey", or "each
    district's county" when they lie in different counties."""
    a = data.area()
    if benchmark != "county":
        return a.comparators[benchmark].name
    counties = {a.district(c).county for c in codes if c in a.district_codes}
    return a.name_of(counties.pop()) if len(counties) == 1 else "each district's county"


@st.cache_data(show_spinner=False, max_entries=2048)
def judged(indicator_id: str, codes: tuple[str, ...], benchmark: str, start: int | None = None,
           end: int | None = None) -> pd.DataFrame:
    """Every figure of these areas (areacd, period) with its benchmark's figure for the same period
    and its judgement (empty for areas that are not judged)."""
    ind = data.catalogue().indicator(indicator_id)
    rows = data.series(ind.id, codes, start, end)
    mapping = {c: b for c in codes if (b := benchmark_code(c, benchmark))}
    bench = data.series(ind.id, tuple(sorted(set(mapping.values()))), start, end) if mapping else rows.iloc[0:0]
    out = jm.judge_table(rows, bench, mapping, ind.polarity)
    return out[["areacd", "period", "value", "lci", "uci", "benchmark_value", "judgement"]]


def judgements_in(indicator_id: str, codes: tuple[str, ...], period: str, benchmark: str) -> list[str]:
    """The judgement of each area's figure in one period, in the order of `codes`: "no figure" for
    a judged area with none, "" for an area that is not judged."""
    df = judged(indicator_id, tuple(codes), benchmark)
    df = df[(df["period"] == period) & df["value"].notna()]
    found = dict(zip(df["areacd"], df["judgement"]))
    return [found.get(c, jm.NO_FIGURE if benchmark_code(c, benchmark) else "") for c in codes]


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
