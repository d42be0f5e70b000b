"""What's new since a date: the indicators with a new period or a revised figure in the builds
logged since then (lis_data.release_log), each with the latest figure for the areas in focus, its
change since the previous period, and any change of judgement (lis_data.judgement) or rank.

The What's new page and the evidence pack's "What's new" section show this same list. No Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import judged_table as jt
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
    benchmark_name: str = ""  # the area this figure is judged against, as the judged table names it

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


def subject_codes(ind: Indicator, codes: Sequence[str], area: AreaConfig) -> list[str]:
    """The areas an indicator is shown for: the districts in focus, or the larger areas covering
    EM3 when it is published only at a larger level (never split between districts): the judged
    table's rule (lis_data.judged_table.shown_areas)."""
    if ind.level == "district":
        return list(codes)
    return list(jt.shown_areas(area, ind.level))


def _item(store: Store, ind: Indicator, codes: Sequence[str], benchmark: str, area: AreaConfig,
          added: list[str], revisions: list, dates: list[str]) -> NewsItem:
    subjects = subject_codes(ind, codes, area)
    by_area: dict[str, list[jt.Judged]] = {}
    for r in jt.read(store, areas=subjects, indicators=[ind.id], benchmark=benchmark):
        by_area.setdefault(r.areacd, []).append(r)
    per = queries.periods(store, ind.id)
    labels = dict(zip(per["period"], per["period_label"]))
    out = []
    for code in subjects:
        rows = by_area.get(code)
        if not rows:
            continue
        now, before = rows[-1], (rows[-2] if len(rows) > 1 else None)
        rev = tuple(Revised(labels.get(x.period, x.period), x.old, x.new) for x in revisions if x.areacd == code)
        out.append(AreaNews(code, now.areanm, now.period_label, now.value, now.previous_period_label, now.change,
                            now.direction, now.judgement, None if before is None else before.judgement,
                            now.rank, None if before is None else before.rank, now.of, rev, now.benchmark_name))
    return NewsItem(ind.id, ind.label, ind.priorities[0], ind.unit, ind.decimals, ind.polarity, ind.level,
                    tuple(dict.fromkeys(added)), len(revisions), tuple(dict.fromkeys(dates)), tuple(out))


def whats_new(store: Store, codes: Sequence[str], since_date: str | None = None,
              benchmark: str = jm.DEFAULT_BENCHMARK, entries: list[ReleaseEntry] | None = None,
              area: AreaConfig | None = None, catalogue: Catalogue | None = None) -> WhatsNew:
    """The indicators changed by the builds on or after `since_date` (default: the latest build),
    for the districts `codes`, in catalogue order."""
    area, catalogue = area or load_area(), catalogue or load_catalogue()
    entries = read_log(extract_dir()) if entries is None else entries
    since_date = since_date or previous_build_date(entries)
    bname = jt.benchmark_of(area, area.district_codes[0], "district", benchmark)[1] if benchmark != "county" \
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
    items = tuple(
        _item(store, ind, codes, benchmark, area, added.get(ind.id, []), revised.get(ind.id, []), dates[ind.id])
        for ind in catalogue.indicators if ind.id in dates)
    return WhatsNew(since_date, tuple(dict.fromkeys(e.date for e in chosen)), bname, items,
                    tuple(g for e in chosen for g in e.indicators_gone),
                    tuple(n for e in chosen for n in e.indicators_new))


WHATS_NEW_COLUMNS = ("Area", "Period", "Figure", "Change", "Judgement", "Rank", "Revised")


def worded_rows(item: NewsItem, benchmark_name: str) -> list[dict[str, str]]:
    """One row of words per area of an item: what the page's table and the pack's table show."""
    from .formatting import change as fmt_change, with_unit

    rows = []
    for a in item.areas:
        judged = jm.phrase(a.judgement, a.benchmark_name or benchmark_name)
        if a.judgement_changed:
            judged += f" (was {a.previous_judgement} in {a.previous_period})"
        rank = "" if a.rank is None else f"{a.rank} of {a.of}"
        if a.rank_changed:
            rank += f" (was {a.previous_rank} in {a.previous_period})"
        moved = "" if a.change is None else f"{fmt_change(a.change, item.unit, item.decimals)} since {a.previous_period} ({a.direction})"
        revised = "; ".join(f"{r.period}: {r.old or 'no figure'} → {r.new or 'no figure'}" for r in a.revised)
        rows.append({"Area": a.name, "Period": a.period, "Figure": with_unit(a.value, item.unit, item.decimals),
                     "Change": moved, "Judgement": judged, "Rank": rank, "Revised": revised})
    return rows


def summary_line(item: NewsItem) -> str:
    parts = []
    if item.periods_added:
        parts.append(f"new period{'s' if len(item.periods_added) > 1 else ''}: {', '.join(item.periods_added)}")
    if item.revisions:
        parts.append(f"{item.revisions} figure{'s' if item.revisions > 1 else ''} revised")
    return "; ".join(parts).capitalize() + f" (build of {', '.join(item.build_dates)})."
