"""What's new since a date: the indicators released since then, by the release date in each dataset's
metadata (`releases`), and those with a new period or a revised figure in the builds logged since then
(lis_data.release_log); each with the latest figure for the areas in focus, its change since the
previous period, and its judgement (lis_data.judgement) and rank then and now.

The What's new page and the evidence pack's "What's new" section show this same list. No Streamlit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .. import judgement as jm
from .. import queries
from ..config import AreaConfig, Catalogue, Indicator, load_area, load_catalogue
from ..paths import extract_dir
from ..release_log import ReleaseEntry, previous_build_date, read_log, since
from ..store import Store


@dataclass(frozen=True)
class Revised:
    period: str  # label
    old: str  # as published
    new: str


@dataclass(frozen=True)
class AreaNews:
    code: str
    name: str
    period: str  # label of the latest period with a figure
    value: float | None
    previous_period: str | None
    change: float | None  # value minus the previous period's
    direction: str
    judgement: str  # against the benchmark in the same period
    previous_judgement: str | None
    rank: int | None  # among English districts, 1 = best (district indicators only)
    previous_rank: int | None
    of: int | None
    revised: tuple[Revised, ...]

    @property
    def judgement_changed(self) -> bool:
        return self.previous_judgement is not None and self.previous_judgement != self.judgement

    @property
    def rank_changed(self) -> bool:
        return self.previous_rank is not None and self.rank is not None and self.previous_rank != self.rank


@dataclass(frozen=True)
class NewsItem:
    indicator_id: str
    label: str
    priority: str
    unit: str
    decimals: int
    polarity: str
    level: str
    periods_added: tuple[str, ...]
    revisions: int  # every revised figure of the indicator, all areas
    build_dates: tuple[str, ...]
    areas: tuple[AreaNews, ...]
    released: str | None = None  # the release date in the dataset's metadata, when on or after `since`


@dataclass(frozen=True)
class WhatsNew:
    since: str | None  # None: no build logged
    builds: tuple[str, ...]  # dates of the builds listed
    benchmark_name: str
    items: tuple[NewsItem, ...]
    indicators_gone: tuple[str, ...]
    indicators_new: tuple[str, ...]

    def for_priority(self, pid: str) -> tuple[NewsItem, ...]:
        return tuple(i for i in self.items if i.priority == pid)


def _num(x) -> float | None:
    return None if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else float(x)


def subject_codes(ind: Indicator, codes: Sequence[str], area: AreaConfig) -> list[str]:
    """The areas an indicator is shown for: the districts in focus, or the larger areas covering
    EM3 when it is published only at a larger level (never split between districts)."""
    if ind.level == "district":
        return list(codes)
    if ind.level == "itl":
        return [a.code for a in area.larger_areas]
    if ind.level == "county":
        return [c.code for c in area.counties]
    return [area.comparators["region"].code]


def latest_release(text: str | None) -> str | None:
    """The latest ISO date in a dataset's release date ("2026-05-13", or several joined by commas where a
    file lists one date per contributing source); None when it names none."""
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", text or "")
    return max(dates) if dates else None


def _judged(fig: dict, code: str, bench: str, period: str, polarity: str) -> str:
    """The judgement of one area's figure in one period against its benchmark's in the same period: the
    one place What's new judges (the judgement then and the judgement now)."""
    value, lci, uci = fig[(code, period)]
    return jm.judge(value, lci, uci, fig.get((bench, period), (None,))[0], polarity)


def _bench_code(ind: Indicator, code: str, benchmark: str, area: AreaConfig) -> str:
    if ind.level == "district" and code in area.district_codes:
        return jm.benchmark_area(area, code, benchmark).code
    return area.comparators["england"].code


def _item(store: Store, ind: Indicator, codes: Sequence[str], benchmark: str, area: AreaConfig,
          added: list[str], revisions: list, dates: list[str], released: str | None = None) -> NewsItem:
    subjects = subject_codes(ind, codes, area)
    benches = {c: _bench_code(ind, c, benchmark, area) for c in subjects}
    df = queries.series(store, ind.id, list(dict.fromkeys([*subjects, *benches.values()])), area=area)
    df = df[df["value"].notna()]
    fig = {(a, p): (_num(v), _num(lo), _num(hi))
           for a, p, v, lo, hi in zip(df["areacd"], df["period"], df["value"], df["lci"], df["uci"])}
    per = queries.periods(store, ind.id)
    labels = dict(zip(per["period"], per["period_label"]))
    names = {**queries.area_names(store, subjects), **{d.code: d.name for d in area.districts}}
    rank_rows = store.rows(
        f"SELECT period, areacd, rank, n_districts FROM district_ranks WHERE indicator_id = ? "
        f"AND areacd IN ({queries._placeholders(subjects)})", [ind.id, *subjects])
    ranks = {(p, a): (int(r), int(n)) for p, a, r, n in rank_rows}
    out = []
    for code in subjects:
        own = df[df["areacd"] == code]
        periods = list(own["period"])
        if not periods:
            continue
        last, prev = periods[-1], (periods[-2] if len(periods) > 1 else None)
        value = fig[(code, last)][0]
        bench = benches[code]
        j = _judged(fig, code, bench, last, ind.polarity)
        pj = None
        change = None
        if prev is not None:
            pj = _judged(fig, code, bench, prev, ind.polarity)
            change = value - fig[(code, prev)][0]
        r, pr = ranks.get((last, code)), ranks.get((prev, code)) if prev else None
        rev = tuple(Revised(labels.get(x.period, x.period), x.old, x.new) for x in revisions if x.areacd == code)
        out.append(AreaNews(code, names.get(code, code), labels.get(last, last), value,
                            labels.get(prev, prev) if prev else None, change, jm.direction(change, ind.polarity),
                            j, pj, r[0] if r else None, pr[0] if pr else None, r[1] if r else None, rev))
    return NewsItem(ind.id, ind.label, ind.priorities[0], ind.unit, ind.decimals, ind.polarity, ind.level,
                    tuple(dict.fromkeys(added)), len(revisions), tuple(dict.fromkeys(dates)), tuple(out), released)


def whats_new(store: Store, codes: Sequence[str], since_date: str | None = None,
              benchmark: str = jm.DEFAULT_BENCHMARK, entries: list[ReleaseEntry] | None = None,
              area: AreaConfig | None = None, catalogue: Catalogue | None = None,
              releases: Mapping[str, str | None] | None = None) -> WhatsNew:
    """The indicators released on or after `since_date` (by `releases`, {indicator id: release date
    from the dataset's metadata}) or changed by the builds logged since then, for the districts
    `codes`, in catalogue order. Default date: the latest build."""
    area, catalogue = area or load_area(), catalogue or load_catalogue()
    entries = read_log(extract_dir()) if entries is None else entries
    since_date = since_date or previous_build_date(entries)
    bname = jm.benchmark_area(area, area.district_codes[0], benchmark).name if benchmark != "county" \
        else "each district's county"
    if since_date is None:
        return WhatsNew(None, (), bname, (), (), ())
    chosen = since(entries, since_date)
    added: dict[str, list[str]] = {}
    revised: dict[str, list] = {}
    dates: dict[str, list[str]] = {}
    for e in chosen:
        for c in e.changes:
            added.setdefault(c.indicator_id, []).extend(c.periods_added)
            revised.setdefault(c.indicator_id, []).extend(c.revised)
            dates.setdefault(c.indicator_id, []).append(e.date)
    released = {i: d for i, d in ((i, latest_release(t)) for i, t in (releases or {}).items())
                if d is not None and d >= since_date}
    items = tuple(
        _item(store, ind, codes, benchmark, area, added.get(ind.id, []), revised.get(ind.id, []),
              dates.get(ind.id, []), released.get(ind.id))
        for ind in catalogue.indicators if ind.id in dates or ind.id in released)
    return WhatsNew(since_date, tuple(dict.fromkeys(e.date for e in chosen)), bname, items,
                    tuple(g for e in chosen for g in e.indicators_gone),
                    tuple(n for e in chosen for n in e.indicators_new))


WHATS_NEW_COLUMNS = ("Area", "Period", "Figure", "Change", "Judgement", "Rank", "Revised")


def worded_rows(item: NewsItem, benchmark_name: str) -> list[dict[str, str]]:
    """One row of words per area of an item: what the page's table and the pack's table show."""
    from .formatting import change as fmt_change, with_unit

    rows = []
    for a in item.areas:
        judged = jm.phrase(a.judgement, benchmark_name)
        if a.previous_judgement is not None:  # the judgement then and now, changed or not
            judged += (f" (was {a.previous_judgement} in {a.previous_period})" if a.judgement_changed
                       else f" (also {a.previous_judgement} in {a.previous_period})")
        rank = "" if a.rank is None else f"{a.rank} of {a.of}"
        if a.rank_changed:
            rank += f" (was {a.previous_rank} in {a.previous_period})"
        moved = "" if a.change is None else f"{fmt_change(a.change, item.unit, item.decimals)} since {a.previous_period} ({a.direction})"
        revised = "; ".join(f"{r.period}: {r.old or 'no figure'} → {r.new or 'no figure'}" for r in a.revised)
        rows.append({"Area": a.name, "Period": a.period, "Figure": with_unit(a.value, item.unit, item.decimals),
                     "Change": moved, "Judgement": judged, "Rank": rank, "Revised": revised})
    return rows


def summary_line(item: NewsItem) -> str:
    parts = [f"released {item.released}"] if item.released else []
    if item.periods_added:
        parts.append(f"new period{'s' if len(item.periods_added) > 1 else ''}: {', '.join(item.periods_added)}")
    if item.revisions:
        parts.append(f"{item.revisions} figure{'s' if item.revisions > 1 else ''} revised")
    if item.released and not item.periods_added and item.areas:
        parts.append(f"latest period {item.areas[0].period}")
    text = "; ".join(parts)
    text = text[:1].upper() + text[1:]
    return text + (f" (build of {', '.join(item.build_dates)})." if item.build_dates else
                   " (release date from the dataset's metadata).")
