"""Judgements for the pages: the view layer's (lis_data.views.judged) behind Streamlit's cache.
Wording and rule live there; nothing is computed here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data.domain.profile import GroupRow, ProfileRow, district_profile, group_profile
from lis_data.views.answer import district_answer, group_answer

from lis_data.views import judged as jd

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


@st.cache_data(show_spinner=False, max_entries=64)
def profile_rows(code: str, benchmark: str) -> list[ProfileRow]:
    """One district's profile rows (lis_data.domain.profile, from the judged table)."""
    return district_profile(data.store(), code, benchmark, data.area(), data.catalogue())


@st.cache_data(show_spinner=False, max_entries=16)
def group_rows(codes: tuple[str, ...], benchmark: str) -> list[GroupRow]:
    return group_profile(data.store(), codes, benchmark, data.area(), data.catalogue())


def answer(codes: tuple[str, ...], benchmark: str) -> tuple[str, ...]:
    """The answer in words for the districts in focus (lis_data.views.answer)."""
    area = data.area()
    if len(codes) == 1:
        return district_answer(profile_rows(codes[0], benchmark), area.district(codes[0]).name)
    name = area.short_name if len(codes) == len(area.districts) else f"the {len(codes)} districts in focus"
    return group_answer(group_rows(tuple(codes), benchmark), len(codes), name)
