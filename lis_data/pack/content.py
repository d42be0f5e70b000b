"""What an evidence pack says, as typed results built from the view layer (lis_data.views) and the
profile rows (lis_data.domain.profile): the same functions the pages call. No Streamlit, no HTML here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd

from lis_data.domain import judgement as jm
from lis_data.runtime import queries
from lis_data.config import AreaConfig, Catalogue, Indicator, Priority
from lis_data.constants import ATTRIBUTION, LICENCE, LICENCE_URL
from lis_data.errors import LisDataError
from lis_data.feedback.text import neutralise_for_display
from lis_data.domain.geography import load_boundaries
from lis_data.paths import extract_dir
from lis_data.domain.profile import GroupRow, ProfileRow, district_profiles, group_profile
from lis_data.runtime.release_log import parse_date, read_log
from lis_data.runtime.store import Store
from lis_data.views import indicator as iv
from lis_data.views import judged as jd
from lis_data.views.formatting import number, with_unit
from lis_data.views.images import chart_jpeg
from lis_data.views.map_classes import geoshape_choropleth
from lis_data.views.places import places_in
from lis_data.views.source import StoreSource
from lis_data.views.sources import SourceRow, source_rows
from lis_data.views.whats_new import WhatsNew, whats_new

EM3 = "EM3"
HEADLINES_PER_PRIORITY = 3
BOUNDARIES_CREDIT = ("Boundaries: Office for National Statistics, Open Government Licence v3.0; contains OS data "
                     "© Crown copyright and database right.")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def shown(value, ind: Indicator) -> str:
    """A figure as a reader expects it: the catalogue's decimal places, thousands separators, the unit
    once (the exports and the API keep the exact published value)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return with_unit(value, ind.unit, ind.decimals)


@dataclass(frozen=True)
class PackRequest:
    area: str  # a district's GSS code, or EM3
    priorities: tuple[str, ...]
    since: str | None
    benchmark: str

    @property
    def is_em3(self) -> bool:
        return self.area == EM3


def pack_request(area: AreaConfig, catalogue: Catalogue, area_code: str, priorities: Sequence[str] = (),
                 since: str | None = None, benchmark: str = jm.DEFAULT_BENCHMARK) -> PackRequest:
    """Check every input at the edge: a message names the input and the reason."""
    code = (area_code or "").strip().upper()
    if code != EM3 and code not in area.district_codes:
        raise LisDataError(f"--area {area_code[:20]!r}: not one of the {len(area.districts)} "
                           f"{area.short_name} district codes or EM3")
    ids = [p.id for p in catalogue.priorities]
    bad = [p for p in priorities if p not in ids]
    if bad:
        raise LisDataError(f"--priority {bad[0][:40]!r}: not a priority (choose from {', '.join(ids)})")
    if benchmark not in jm.BENCHMARKS:
        raise LisDataError(f"--benchmark {benchmark[:20]!r}: choose from {', '.join(jm.BENCHMARKS)}")
    return PackRequest(code, tuple(dict.fromkeys(priorities)) or tuple(ids),
                       parse_date(since, "--since") if since else None, benchmark)


@dataclass(frozen=True)
class IndicatorRow:
    indicator: str
    label: str
    area: str  # the area the figure is for
    period: str
    figure: str  # rounded to the catalogue's decimals, with its unit (shown)
    unit: str
    ci: str
    benchmark: str
    benchmark_figure: str
    judgement: str
    rank: str
    direction: str
    headline: bool


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str
    image: bytes  # JPEG


@dataclass(frozen=True)
class Comment:
    date: str
    respondent_type: str
    text: str


@dataclass(frozen=True)
class Feedback:
    available: bool
    count: int
    comments: tuple[Comment, ...]


@dataclass(frozen=True)
class Section:
    priority: Priority
    rows: tuple[IndicatorRow, ...]
    charts: tuple[Chart, ...]
    map: Chart | None
    map_table: tuple[tuple[str, str], ...]  # (district, figure) behind the map
    feedback: Feedback


@dataclass(frozen=True)
class PackContent:
    request: PackRequest
    area_name: str
    generated: str  # UTC date
    vintage: str  # the extract's latest build and latest release date
    benchmark_name: str
    summary: tuple[tuple[Priority, tuple[IndicatorRow, ...]], ...]
    sections: tuple[Section, ...]
    whats_new: WhatsNew
    sources: tuple[SourceRow, ...]
    attribution: str = ATTRIBUTION
    licence: str = LICENCE
    licence_url: str = LICENCE_URL
    boundaries: str = BOUNDARIES_CREDIT

    @property
    def title(self) -> str:
        return f"Evidence pack: {self.area_name} and the Local Industrial Strategy"


def _rounded(value, ind: Indicator) -> str:
    """A figure beside the headline one (interval), to the catalogue's decimal places."""
    return "" if value is None or value != value else number(value, ind.decimals)


def _profile_row(ind: Indicator, r: ProfileRow) -> IndicatorRow:
    ci = (f"{_rounded(r.lci_95, ind)} to {_rounded(r.uci_95, ind)}"
          if r.lci_95 is not None and r.uci_95 is not None else "")
    return IndicatorRow(ind.id, ind.label, r.area_name, r.period_label, shown(r.value, ind), ind.unit, ci, r.benchmark_area,
                        shown(r.benchmark_value, ind), r.judgement, "" if r.rank is None else f"{r.rank} of {r.of}",
                        r.direction, ind.headline)


def _group_row(src: StoreSource, ind: Indicator, r: GroupRow, codes: tuple[str, ...]) -> IndicatorRow:
    summary = src.group_summary(ind.id, codes)
    summary = summary[summary["n_with_value"] > 0]
    figure, area_text, direction = "", f"median of {len(codes)} districts", jm.NO_PREVIOUS
    if not summary.empty:
        last = summary.iloc[-1]
        figure = shown(float(last["median"]), ind)
        area_text += f" (range {shown(float(last['low']), ind)} to {shown(float(last['high']), ind)})"
        if len(summary) > 1:
            direction = jm.change_words(float(last["median"]) - float(summary.iloc[-2]["median"]))
    counts = ", ".join(f"{n} {j}" for j, n in r.counts if n and j != jm.NO_FIGURE)
    return IndicatorRow(ind.id, ind.label, area_text, r.period_label, figure, ind.unit, "", r.benchmark_area,
                        shown(r.benchmark_value, ind), counts or "not judged", "", direction, ind.headline)


def _larger_area_rows(src: StoreSource, ind: Indicator, codes: tuple[str, ...], benchmark: str) -> list[IndicatorRow]:
    """The larger areas' latest rows of the judged table, each naming the area it is judged against."""
    focus = iv.focus_areas(src, ind, codes)
    rows = jd.judged(src, ind.id, tuple(focus), benchmark)
    rows = rows[rows["latest"]]
    out = []
    for _, r in rows.iterrows():
        ci = f"{_rounded(r['lci'], ind)} to {_rounded(r['uci'], ind)}" if pd.notna(r["lci"]) and pd.notna(r["uci"]) else ""
        out.append(IndicatorRow(
            ind.id, f"{ind.label} ({ind.level} level only)", focus.get(r["areacd"], r["areacd"]), r["period_label"],
            shown(float(r["value"]), ind), ind.unit, ci, r["benchmark_name"],
            "" if pd.isna(r["benchmark_value"]) else shown(float(r["benchmark_value"]), ind), r["judgement"],
            "", r["direction"], ind.headline))
    return out


def _feedback(url: str | None, pid: str, places: tuple[str, ...] | None) -> Feedback:
    from lis_data import feedback as fb

    try:
        store = fb.open_store(url, create=False)  # a deleted store is not made again here
    except Exception:  # noqa: BLE001 -- the pack says the input could not be read, never why
        return Feedback(False, 0, ())
    try:
        # Only what the public may see, by the projector's rule (workshop_store.PUBLIC_SQL): never a
        # comment held for approval, rejected or hidden.
        df = store.public_comments(priority=pid, places=places)
    except Exception:  # noqa: BLE001
        return Feedback(False, 0, ())
    finally:
        store.close()
    # Explicit bidi controls shown as codes, as on the projector and the staff page, so a comment
    # prints in the order it was typed (feedback.text.neutralise_for_display).
    comments = tuple(
        Comment(str(pd.Timestamp(c).date()), str(t or ""),
                neutralise_for_display(_EMAIL.sub("[email removed]", str(text or ""))))
        for c, t, text in zip(df.get("created_at", []), df.get("respondent_type", []), df.get("comment", [])))
    return Feedback(True, len(df), comments)


def _vintage(catalogue: Catalogue, src: StoreSource) -> str:
    log = read_log(extract_dir())
    dates = [str(src.meta(i.id).get("release_date") or "") for i in catalogue.indicators]
    dates = [d for d in dates if d]
    built = f"extract built {log[-1].date}" if log else "extract as committed"
    return built + (f"; latest upstream release {max(dates, key=_date_key)}" if dates else "")


def _date_key(text: str):
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return datetime.min


def pack_content(store: Store, req: PackRequest, area: AreaConfig, catalogue: Catalogue,
                 feedback_url: str | None = None, workers: int = 4) -> PackContent:
    src = StoreSource(store, area, catalogue)
    codes = tuple(area.district_codes) if req.is_em3 else (req.area,)
    area_name = area.name if req.is_em3 else area.district(req.area).name
    benchmark = req.benchmark
    bname = jd.benchmark_name(area, codes, benchmark)
    if req.is_em3:
        by_ind: dict[str, IndicatorRow] = {
            g.indicator: _group_row(src, catalogue.indicator(g.indicator), g, codes)
            for g in group_profile(store, codes, benchmark, area, catalogue)}
    else:
        rows = district_profiles(store, codes, benchmark, area, catalogue)[req.area]
        by_ind = {r.indicator: _profile_row(catalogue.indicator(r.indicator), r) for r in rows}

    def rows_for(ind: Indicator) -> list[IndicatorRow]:
        if ind.level == "district":
            return [by_ind[ind.id]] if ind.id in by_ind else []
        return _larger_area_rows(src, ind, codes, benchmark)

    priorities = [catalogue.priority(p) for p in req.priorities]
    summary = tuple((p, tuple(r for ind in catalogue.headlines_for(p.id, HEADLINES_PER_PRIORITY)
                              for r in rows_for(ind))) for p in priorities)

    # Charts: the pages' own specs (lis_data.views.indicator), rendered offline in parallel.
    default_comps = {area.comparators["england"].code: area.comparators["england"].name,
                     area.comparators["region"].code: area.comparators["region"].name}
    jobs: dict[tuple, tuple[dict, str, str]] = {}
    for p in priorities:
        for ind in catalogue.headlines_for(p.id, HEADLINES_PER_PRIORITY):
            key = ("trend", ind.id)
            if key in jobs:
                continue
            focus = iv.focus_areas(src, ind, codes)
            comps = {c: n for c, n in default_comps.items() if c not in focus}
            fig = iv.trend_figure(src, ind.id, tuple(focus.items()), tuple(comps.items()), None, None, True, benchmark)
            meta = src.meta(ind.id)
            source = f"Source: {meta.get('source_org') or 'Office for National Statistics'}, released " \
                     f"{meta.get('release_date') or 'not stated'}. {ind.label}."
            if fig is not None and fig.spec is not None:
                jobs[key] = (fig.spec, f"{ind.label}: {fig.takeaway}", source)
            else:
                ranked = iv.ranked_figure(src, ind.id, codes, benchmark)
                if ranked.spec is not None:
                    jobs[key] = (ranked.spec, ranked.alt, source)
        mapped = next((i for i in catalogue.headlines_for(p.id, HEADLINES_PER_PRIORITY) if i.level == "district"), None)
        if mapped is not None and ("map", mapped.id) not in jobs:
            mc = iv.map_classes(src, mapped.id, benchmark)
            if mc is not None:
                title = f"{mapped.short_label} across the {len(area.districts)} districts, {mc.period_label}"
                spec = geoshape_choropleth(_boundaries(), mc.figures, codes if not req.is_em3 else (),
                                           mapped.polarity, mapped.unit, mapped.decimals, title,
                                           "Dark outline: the district in focus." if not req.is_em3 else "")
                jobs[("map", mapped.id)] = (spec, title, BOUNDARIES_CREDIT)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pngs = dict(zip(jobs, pool.map(lambda j: chart_jpeg(j[0], j[2], scale=1.25), jobs.values())))
    images = {k: Chart(v[1], v[1], pngs[k]) for k, v in jobs.items()}

    places = None if req.is_em3 else places_in(area, req.area)
    sections = []
    for p in priorities:
        heads = catalogue.headlines_for(p.id, HEADLINES_PER_PRIORITY)
        charts = tuple(images[("trend", i.id)] for i in heads if ("trend", i.id) in images)
        mapped = next((i for i in heads if i.level == "district"), None)
        map_chart = images.get(("map", mapped.id)) if mapped else None
        map_table = ()
        if map_chart is not None:
            mc = iv.map_classes(src, mapped.id, benchmark)
            map_table = tuple((area.district(c).name, with_unit(v, mapped.unit, mapped.decimals))
                              for c, v in mc.figures.items())
        rows = tuple(r for ind in catalogue.indicators_for(p.id) for r in rows_for(ind))
        sections.append(Section(p, rows, charts, map_chart, map_table, _feedback(feedback_url, p.id, places)))

    news = whats_new(store, codes, req.since, benchmark, area=area, catalogue=catalogue)
    chosen = {i.id for p in priorities for i in catalogue.indicators_for(p.id)}
    sources = tuple(r for r in source_rows(src, queries.coverage(store, area.district_codes)) if r.indicator_id in chosen)
    return PackContent(req, area_name, datetime.now(timezone.utc).date().isoformat(), _vintage(catalogue, src),
                       bname, summary, tuple(sections), news, sources)


_BOUNDARIES: dict[str, dict] = {}


#: The pack's map is about 460 px wide over some 1.5 degrees: a tolerance of a third of a pixel.
PACK_MAP_TOLERANCE = 0.001


def _boundaries() -> dict:
    """The extract's boundaries simplified for a map of the pack's size (lis_data.domain.display_geometry),
    read once per extract folder (never modified); the exact ones if they do not simplify cleanly."""
    from lis_data.domain.display_geometry import display_boundaries

    key = str(extract_dir())
    if key not in _BOUNDARIES:
        exact = load_boundaries()
        try:
            _BOUNDARIES[key] = display_boundaries(exact, PACK_MAP_TOLERANCE, context_tolerance=4 * PACK_MAP_TOLERANCE)
        except ValueError:
            _BOUNDARIES[key] = exact
    return _BOUNDARIES[key]
