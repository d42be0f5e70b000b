"""What's new since a date: the indicators released since then, by the release date in each dataset's
metadata (`releases`), and those with a new period, a revised figure, interval or status code, or
changed metadata in the builds logged since then (lis_data.runtime.release_log); each with the latest figure
for the areas in focus, its change since the previous period, its judgement and rank then and now
(read from the judged table, lis_data.runtime.judged_table), and the judgements a revision changed.

The What's new page and the evidence pack's "What's new" section show this same list. No Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lis_data.runtime import judged_table as jt
from lis_data.domain import judgement as jm
from lis_data.runtime import queries
from lis_data.config import AreaConfig, Catalogue, Indicator, load_area, load_catalogue
from lis_data.paths import extract_dir
from lis_data.errors import LisDataError
from lis_data.runtime.release_log import (JudgementChange, MetadataChange, ReleaseEntry, Revision, parse_date, previous_build_date,
                           read_log, since)
from lis_data.runtime.store import Store


@dataclass(frozen=True)
class Revised:
    """A published figure of one area and period changed by a build: its value, its 95% interval, its
    status code, or (a benchmark's figure revised) only its judgement."""

    period: str  # label
    old: str  # as published
    new: str
    old_interval: str = ""  # "lci–uci", as published
    new_interval: str = ""
    old_status: str = ""
    new_status: str = ""
    judgement: tuple[str, str] | None = None  # (before, after) the build, against `judged_against`
    judged_against: str = ""


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
    revisions: int  # every revised figure value of the indicator, all areas
    build_dates: tuple[str, ...]
    areas: tuple[AreaNews, ...]
    intervals_revised: int = 0  # all areas
    statuses_changed: int = 0
    judgements_changed: int = 0  # all judged areas, against the log's benchmark (England)
    judged_against: str = "England"
    metadata: tuple[MetadataChange, ...] = ()  # fields of the indicator's metadata changed
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


SINCE_IGNORED = ("The address's since parameter was ignored: it must be a date of the form YYYY-MM-DD "
                 "(for example 2026-09-01). Showing what was released since the default date.")


@dataclass(frozen=True)
class SinceParam:
    """The `since` URL parameter, validated: the date, or None with a note to show. The note never
    quotes what was sent (control or text-reversing characters in it would reach the page)."""

    date: str | None
    note: str | None = None


def since_param(raw) -> SinceParam:
    """`?since=` as sent (None when absent): an ISO date (YYYY-MM-DD, ASCII digits, nothing else)."""
    if raw is None:
        return SinceParam(None)
    try:
        return SinceParam(parse_date(raw))
    except LisDataError:
        return SinceParam(None, SINCE_IGNORED)


def subject_codes(ind: Indicator, codes: Sequence[str], area: AreaConfig) -> list[str]:
    """The areas an indicator is shown for: the districts in focus, or the larger areas covering
    EM3 when it is published only at a larger level (never split between districts): the judged
    table's rule (lis_data.runtime.judged_table.shown_areas)."""
    if ind.level == "district":
        return list(codes)
    return list(jt.shown_areas(area, ind.level))


def latest_release(text: str | None) -> str | None:
    """The latest ISO date in a dataset's release date ("2026-05-13", or several joined by commas where a
    file lists one date per contributing source); None when it names none."""
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", text or "")
    return max(dates) if dates else None


def _area_revisions(code: str, revisions: list[Revision], flips: list[tuple[JudgementChange, str]],
                    labels: dict[str, str]) -> tuple[Revised, ...]:
    """An area's revised figures and judgement changes, one Revised per logged change of a period."""
    out: list[Revised] = []
    flipped = {(j.period, i): (j, against) for i, (j, against) in enumerate(flips) if j.areacd == code}
    used: set[int] = set()
    for x in revisions:
        if x.areacd != code:
            continue
        hit = next(((k, v) for k, v in flipped.items() if k[0] == x.period and k[1] not in used), None)
        judgement, against = None, ""
        if hit is not None:
            used.add(hit[0][1])
            judgement, against = (hit[1][0].old, hit[1][0].new), hit[1][1]
        out.append(Revised(labels.get(x.period, x.period), x.old, x.new, x.old_interval, x.new_interval,
                           x.old_status, x.new_status, judgement, against))
    for (period, i), (j, against) in flipped.items():  # the benchmark's figure changed, not the area's
        if i not in used:
            out.append(Revised(labels.get(period, period), "", "", judgement=(j.old, j.new), judged_against=against))
    return tuple(out)


def _item(store: Store, ind: Indicator, codes: Sequence[str], benchmark: str, area: AreaConfig,
          added: list[str], revisions: list, dates: list[str], flips: list | None = None,
          metadata: list | None = None, released: str | None = None) -> NewsItem:
    flips, metadata = flips or [], metadata or []
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
        rev = _area_revisions(code, revisions, flips, labels)
        out.append(AreaNews(code, now.areanm, now.period_label, now.value, now.previous_period_label, now.change,
                            now.direction, now.judgement, None if before is None else before.judgement,
                            now.rank, None if before is None else before.rank, now.of, rev, now.benchmark_name))
    return NewsItem(ind.id, ind.label, ind.priorities[0], ind.unit, ind.decimals, ind.polarity, ind.level,
                    tuple(dict.fromkeys(added)), sum(1 for x in revisions if x.value_changed),
                    tuple(dict.fromkeys(dates)), tuple(out),
                    sum(1 for x in revisions if x.interval_changed), sum(1 for x in revisions if x.status_changed),
                    len(flips), ", ".join(dict.fromkeys(against for _, against in flips)) or "England",
                    tuple(metadata), released)


def release_dates(store: Store) -> dict[str, str | None]:
    """Each indicator's release date as its dataset's metadata gives it (the store's indicators table)."""
    return {str(i): (None if d is None else str(d)) for i, d in store.rows("SELECT id, release_date FROM indicators")}


def whats_new(store: Store, codes: Sequence[str], since_date: str | None = None,
              benchmark: str = jm.DEFAULT_BENCHMARK, entries: list[ReleaseEntry] | None = None,
              area: AreaConfig | None = None, catalogue: Catalogue | None = None,
              releases: Mapping[str, str | None] | None = None) -> WhatsNew:
    """The indicators released on or after `since_date` (by `releases`, {indicator id: release date
    from the dataset's metadata}) or changed by the builds logged since then, for the districts
    `codes`, in catalogue order. Default `releases`: the store's (release_dates). Default date: the
    latest build."""
    area, catalogue = area or load_area(), catalogue or load_catalogue()
    entries = read_log(extract_dir()) if entries is None else entries
    releases = release_dates(store) if releases is None else releases
    since_date = since_date or previous_build_date(entries)
    bname = jt.benchmark_of(area, area.district_codes[0], "district", benchmark)[1] if benchmark != "county" \
        else "each district's county"
    if since_date is None:
        return WhatsNew(None, (), bname, (), (), ())
    chosen = since(entries, since_date)
    added: dict[str, list[str]] = {}
    revised: dict[str, list] = {}
    flips: dict[str, list] = {}
    metadata: dict[str, list] = {}
    dates: dict[str, list[str]] = {}
    for e in chosen:
        for c in e.changes:
            added.setdefault(c.indicator_id, []).extend(c.periods_added)
            revised.setdefault(c.indicator_id, []).extend(c.revised)
            flips.setdefault(c.indicator_id, []).extend((j, e.benchmark) for j in c.judgements)
            metadata.setdefault(c.indicator_id, []).extend(c.metadata)
            dates.setdefault(c.indicator_id, []).append(e.date)
    released = {i: d for i, d in ((i, latest_release(t)) for i, t in (releases or {}).items())
                if d is not None and d >= since_date}
    items = tuple(
        _item(store, ind, codes, benchmark, area, added.get(ind.id, []), revised.get(ind.id, []),
              dates.get(ind.id, []), flips.get(ind.id, []), metadata.get(ind.id, []), released.get(ind.id))
        for ind in catalogue.indicators if ind.id in dates or ind.id in released)
    return WhatsNew(since_date, tuple(dict.fromkeys(e.date for e in chosen)), bname, items,
                    tuple(g for e in chosen for g in e.indicators_gone),
                    tuple(n for e in chosen for n in e.indicators_new))


WHATS_NEW_COLUMNS = ("Area", "Period", "Figure", "Change", "Judgement", "Rank", "Revised")


def worded_rows(item: NewsItem, benchmark_name: str) -> list[dict[str, str]]:
    """One row of words per area of an item: what the page's table and the pack's table show."""
    from lis_data.views.formatting import change as fmt_change, with_unit

    rows = []
    for a in item.areas:
        judged = jm.phrase(a.judgement, a.benchmark_name or benchmark_name)
        if a.previous_judgement is not None:  # the judgement then and now, changed or not
            judged += (f" (was {a.previous_judgement} in {a.previous_period})" if a.judgement_changed
                       else f" (also {a.previous_judgement} in {a.previous_period})")
        rank = "" if a.rank is None else f"{a.rank} of {a.of}"
        if a.rank_changed:
            rank += f" (was {a.previous_rank} in {a.previous_period})"
        moved = "" if a.change is None else f"{fmt_change(a.change, item.unit, item.decimals)} since {a.previous_period} ({a.direction})"
        revised = "; ".join(revision_words(r) for r in a.revised)
        rows.append({"Area": a.name, "Period": a.period, "Figure": with_unit(a.value, item.unit, item.decimals),
                     "Change": moved, "Judgement": judged, "Rank": rank, "Revised": revised})
    return rows


def revision_words(r: Revised) -> str:
    """One revision in words: "2022: 25 → 26", "2022: interval 21.75–31.12 → 10.0–12.0, judgement
    against England similar → better", "2022: status none → p"."""
    parts = []
    if r.old != r.new:
        parts.append(f"{r.old or 'no figure'} → {r.new or 'no figure'}")
    if r.old_interval != r.new_interval:
        parts.append(f"interval {r.old_interval or 'none'} → {r.new_interval or 'none'}")
    if r.old_status != r.new_status:
        parts.append(f"status {r.old_status or 'none'} → {r.new_status or 'none'}")
    if r.judgement is not None:
        parts.append(f"judgement against {r.judged_against} {r.judgement[0]} → {r.judgement[1]}"
                     + ("" if parts else f" ({r.judged_against}'s figure revised)"))
    return f"{r.period}: " + ", ".join(parts)


# What a metadata field is called in words (indicators.json field -> words).
METADATA_WORDS = {
    "caveats": "caveats", "description": "description", "subtitle": "subtitle", "source_org": "source",
    "source_url": "source address", "release_date": "release date", "upstream_label": "upstream label",
    "official_statistics_in_development": "official statistics in development", "decimals": "decimal places",
    "short_label": "short label",
}


def metadata_words(change: MetadataChange) -> str:
    """"caveats removed", "source changed", "release date changed": never the upstream text itself."""
    name = METADATA_WORDS.get(change.field, change.field.replace("_", " "))
    empty = lambda v: v is None or v == "" or v == [] or v is False  # noqa: E731
    verb = "removed" if empty(change.new) and not empty(change.old) else \
        "added" if empty(change.old) and not empty(change.new) else "changed"
    return f"{name} {verb}"


def summary_line(item: NewsItem) -> str:
    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    parts = [f"released {item.released}"] if item.released else []
    if item.periods_added:
        parts.append(f"new period{'s' if len(item.periods_added) > 1 else ''}: {', '.join(item.periods_added)}")
    if item.revisions:
        parts.append(n(item.revisions, "figure", "figures") + " revised")
    if item.intervals_revised:
        parts.append(n(item.intervals_revised, "confidence interval", "confidence intervals") + " revised")
    if item.statuses_changed:
        parts.append(n(item.statuses_changed, "status code", "status codes") + " changed")
    if item.judgements_changed:
        parts.append(n(item.judgements_changed, "judgement", "judgements") + f" against {item.judged_against} "
                     "changed by the revisions")
    if item.metadata:
        parts.append("metadata: " + ", ".join(dict.fromkeys(metadata_words(m) for m in item.metadata)))
    if item.released and not item.periods_added and item.areas:
        parts.append(f"latest period {item.areas[0].period}")
    text = "; ".join(parts)
    text = text[:1].upper() + text[1:]
    return text + (f" (build of {', '.join(item.build_dates)})." if item.build_dates else
                   " (release date from the dataset's metadata).")
