"""The officers' downloads beside the evidence pack's button: the workbook (Excel, gptables) and the Word
summary of the same area and benchmark (one district in focus: that district; otherwise EM3), each built
only when its button is pressed, the same files `python -m lis_data workbook|summary` writes."""

from __future__ import annotations

import warnings

import streamlit as st

from lis_data.pack import EM3

from . import data
from .filter_state import Filters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_data(show_spinner=False, max_entries=32)
def _workbook(area_code: str, benchmark: str, fingerprint: str) -> bytes:
    del fingerprint  # part of the cache key only (README: Caching)
    from lis_data.pack.workbook import workbook_bytes

    with warnings.catch_warnings():  # gptables' advice on blank cells: each blank here says why ([x], [z])
        warnings.simplefilter("ignore", UserWarning)
        return workbook_bytes(data.store(), area_code, benchmark, data.area(), data.catalogue())


@st.cache_data(show_spinner=False, max_entries=32)
def _summary(area_code: str, benchmark: str, fingerprint: str) -> bytes:
    del fingerprint  # part of the cache key only
    from lis_data.pack.word_summary import summary_docx

    return summary_docx(data.store(), area_code, benchmark, data.area(), data.catalogue())


def officer_downloads(filters: Filters, key: str) -> None:
    area_code = filters.districts[0] if len(filters.districts) == 1 else EM3
    benchmark = filters.benchmark
    who = data.area().district(area_code).name if area_code != EM3 else data.area().name
    safe = "".join(ch for ch in area_code if ch.isalnum())
    st.download_button(
        "Download workbook (Excel)", data=lambda: _workbook(area_code, benchmark, data.extract_fingerprint()),
        file_name=f"em3-indicators-{safe}.xlsx", mime=XLSX, on_click="ignore", icon=":material/table_view:",
        key=f"{key}-xlsx",
        help=f"An accessible spreadsheet for {who}: a cover, contents and notes, and one table per priority with "
             "every figure as published, its unit, period, judgement, rank and source.")
    st.download_button(
        "Download summary (Word)", data=lambda: _summary(area_code, benchmark, data.extract_fingerprint()),
        file_name=f"em3-summary-{safe}.docx", mime=DOCX, on_click="ignore", icon=":material/description:",
        key=f"{key}-docx",
        help=f"The board pack's answer in sentences and the one-page profile for {who}, editable, to paste into "
             "a board paper's own template.")
