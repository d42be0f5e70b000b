"""Judgements for the pages: the view layer's (lis_data.views.judged) behind Streamlit's cache.
Wording and rule live there; nothing is computed here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data.views import judged as jd
from lis_data.views.judged import counts_text, words  # noqa: F401 -- re-exported for the pages

from . import data


def benchmark_code(code: str, benchmark: str) -> str | None:
    return jd.benchmark_code(data.area(), code, benchmark)


def benchmark_name(codes, benchmark: str) -> str:
    return jd.benchmark_name(data.area(), codes, benchmark)


@st.cache_data(show_spinner=False, max_entries=2048)
def judged(indicator_id: str, codes: tuple[str, ...], benchmark: str, start: int | None = None,
           end: int | None = None) -> pd.DataFrame:
    return jd.judged(data.SOURCE, indicator_id, tuple(codes), benchmark, start, end)


def judgements_in(indicator_id: str, codes: tuple[str, ...], period: str, benchmark: str) -> list[str]:
    return jd.judgements_in(data.SOURCE, indicator_id, tuple(codes), period, benchmark)
