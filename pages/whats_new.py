"""What's new since the last board: the indicators released since a date (by the release date in each
dataset's metadata) or changed by the builds of the extract logged since then, for the districts in
focus, each with its judgement then and now. The date: the picker on the page, or ?since=YYYY-MM-DD;
default the previous board date (setting `previous_board_date`) or 90 days ago. The list comes from
lis_data.views.whats_new, the same one the evidence pack prints."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from lis_data.constants import ATTRIBUTION
from lis_data.paths import extract_dir
from lis_data.config.settings import Invalid
from lis_data.runtime.release_log import read_log
from lis_data.views.whats_new import (WHATS_NEW_COLUMNS, WhatsNew, latest_release, since_param, summary_line,
                                      whats_new,
                                      worded_rows)

from ui import app_settings, data, sidebar
from ui.formatting import md_escape

#: Without a board date set, What's new looks back this many days.
DEFAULT_DAYS = 90
#: How many of the latest releases are named when nothing was released since the chosen date.
LATEST_SHOWN = 5
BOARD_DATE_SETTING = "previous_board_date"


@st.cache_data(show_spinner=False, max_entries=256)
def _news(codes: tuple[str, ...], since: str | None, benchmark: str, fingerprint: str) -> WhatsNew:
    del fingerprint  # part of the cache key only
    return whats_new(data.store(), codes, since, benchmark, entries=read_log(extract_dir()),
                     area=data.area(), catalogue=data.catalogue(), releases=releases())


def news(codes: tuple[str, ...], since: str | None, benchmark: str) -> WhatsNew:
    """What's new, cached until the extract or the configuration changes (README: Caching)."""
    return _news(codes, since, benchmark, data.extract_fingerprint())


def releases() -> dict[str, str | None]:
    """Each indicator's release date, from its dataset's metadata."""
    meta = data.indicator_meta()
    return {i: (None if pd.isna(r) else str(r)) for i, r in zip(meta["id"], meta["release_date"])}


def _board_date() -> str | None:
    """The previous board date, a setting (`previous_board_date`, or LIS_PREVIOUS_BOARD_DATE; ui/app_settings.py);
    a value that is not a date is reported and ignored."""
    value = app_settings.current().previous_board_date
    if isinstance(value, Invalid):
        st.warning(f"The setting `{BOARD_DATE_SETTING}` is not a date of the form YYYY-MM-DD, so it is ignored: "
                   f"looking back {DEFAULT_DAYS} days instead.", icon=":material/settings:")
        return None
    return value


def default_since() -> str:
    return _board_date() or (date.today() - timedelta(days=DEFAULT_DAYS)).isoformat()


def _since(default: str) -> str:
    """?since= validated by the view (an ISO date, never echoed); without it, or with a bad one, `default`."""
    param = since_param(st.query_params.get("since"))
    if param.note:
        st.warning(param.note, icon=":material/link_off:")
    return param.date or default


def _picked(since: str, default: str) -> str:
    """The date picker, set to `since`; a date picked is written to the address, so the link shares it."""
    today = date.today()
    chosen = st.date_input("Show what was released since", value=min(date.fromisoformat(since), today),
                           min_value=date(2000, 1, 1), max_value=today, format="YYYY-MM-DD",
                           help=f"Default: {default} (the previous board date, where set; else {DEFAULT_DAYS} days ago).")
    picked = chosen.isoformat() if isinstance(chosen, date) else since
    if picked != since:
        st.query_params["since"] = picked
    return picked


def _latest_releases(result: WhatsNew) -> None:
    """Nothing since the date: name the latest releases, so the page is never a dead end."""
    cat = data.catalogue()
    dated = sorted(((d, i) for i, d in ((i, latest_release(t)) for i, t in releases().items()) if d),
                   reverse=True)[:LATEST_SHOWN]
    if not dated:
        return
    st.markdown("**The latest releases** (choose an earlier date above to see them in full):")
    st.markdown("\n".join(f"- {d}: {md_escape(cat.indicator(i).label)}" for d, i in dated))


def render() -> None:
    filters = sidebar.current()
    cat = data.catalogue()
    st.title("What's new since the last board", anchor=False)
    default = default_since()
    since = _picked(_since(default), default)
    if not filters.districts:
        st.info("No districts in focus: choose one or more in the sidebar.", icon=":material/filter_alt:")
        return
    result = news(tuple(filters.districts), since, filters.benchmark)
    builds = (f"; builds of the extract since then: {', '.join(result.builds)}" if result.builds else "")
    st.markdown(f"Indicators released since **{result.since}** (the release date in each dataset's metadata"
                f"{builds}), for the districts in focus: the latest figure, its change since the period before, "
                f"and its judgement then and now. Each judgement is by its indicator's method and names the area it is "
                "judged against: by the published 95% confidence interval, or the fifth of English districts for "
                "rates published without one; counts are not judged. Ranks are among English districts, 1 the best.")
    if not result.items:
        st.info(f"Nothing released since {result.since}.", icon=":material/check:")
        _latest_releases(result)
    else:
        st.caption(f"{len(result.items)} indicator{'s' if len(result.items) != 1 else ''} released or "
                   f"changed since {result.since}.")
    for p in cat.priorities:
        items = result.for_priority(p.id)
        if not items:
            continue
        st.subheader(f"{p.number}. {p.title}", anchor=False)
        for item in items:
            st.markdown(f"**{item.label}**. {summary_line(item)}")
            rows = worded_rows(item, result.benchmark_name)
            if rows:
                st.dataframe(pd.DataFrame(rows, columns=list(WHATS_NEW_COLUMNS)), hide_index=True, width="stretch",
                             column_config={"Area": st.column_config.TextColumn(pinned=True)})
            else:
                st.caption("No figure for the areas in focus.")
    if result.indicators_gone:
        st.warning("Indicators gone from the upstream release: " + ", ".join(result.indicators_gone) + ".")
    st.caption(ATTRIBUTION + ".")
