"""The board pack: at most twelve A4 pages an officer can put into a board paper as they are.

Page 1, the cover: the area, the answer in three or four sentences and the contents (links).
Page 2, the one-page profile: every district-level indicator with its figure, the benchmark's, the rank
and the judgement. Pages 3 to 11: one page per priority with its headline indicators and at most two
charts sized for print. Last page: What's new since a date and the sources, with links as links.

Judgements, ranks and fifths come from one function, lis_data.views.board_figures.board_figures. Every
figure shown is rounded to the catalogue's decimals with its unit once (the exports keep the exact
published values). No Streamlit.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from html import escape
from urllib.parse import urlsplit

from lis_data.domain import judgement as jm
from lis_data.config import AreaConfig, Catalogue, Indicator, Priority
from lis_data.constants import ATTRIBUTION, LICENCE, LICENCE_URL
from lis_data.config.settings import current, require
from lis_data.runtime.store import Store
from lis_data.views import indicator as iv
from lis_data.views import judged as jd
from lis_data.views.board_figures import BoardFigure, answer_sentences, board_figures
from lis_data.views.formatting import change as fmt_change, with_unit
from lis_data.views.images import chart_jpeg, for_print
from lis_data.views.source import StoreSource
from lis_data.views.whats_new import WhatsNew, whats_new
from lis_data.pack.content import BOUNDARIES_CREDIT, EM3, PackRequest, _vintage

#: The setting that holds the date of the previous board meeting (YYYY-MM-DD): What's new starts there.
PREVIOUS_BOARD_SETTING = "LIS_PREVIOUS_BOARD_DATE"
DEFAULT_NEWS_DAYS = 90
CHARTS_PER_PRIORITY = 2
HEADLINES = 3
NEWS_ROWS = 12
#: The printed width of a chart: its smallest text (12 px in a ~700 px image) then prints at 8 pt or more.
CHART_WIDTH_MM = 176
CHART_PLOT_HEIGHT = 150  # px, in print: two charts, a table and the statement fit one A4 page
PT_PER_MM = 72 / 25.4
PRINT_SCALE = 1.6  # ~1,100 px across 176 mm: 160 dpi


def default_since(today: date | None = None) -> str:
    """What's new starts at the previous board date (setting LIS_PREVIOUS_BOARD_DATE) or 90 days ago."""
    setting = require(current().previous_board_date)
    if setting:
        return setting
    return ((today or datetime.now(timezone.utc).date()) - timedelta(days=DEFAULT_NEWS_DAYS)).isoformat()


@dataclass(frozen=True)
class PrintChart:
    indicator: str
    title: str  # the caption and text alternative
    spec: dict  # the Vega-Lite spec as printed (for_print)
    source: str
    image: bytes = b""  # JPEG


@dataclass(frozen=True)
class PriorityPage:
    priority: Priority
    figures: tuple[BoardFigure, ...]  # its headline district-level indicators
    larger: tuple[str, ...]  # its headline indicators published for larger areas only (labels)
    charts: tuple[PrintChart, ...]


@dataclass(frozen=True)
class SourceLink:
    source: str
    indicators: str
    released: str
    url: str | None


@dataclass(frozen=True)
class BoardContent:
    request: PackRequest
    area_name: str
    generated: str
    vintage: str
    benchmark_name: str
    answer: tuple[str, ...]
    profile: tuple[BoardFigure, ...]
    pages: tuple[PriorityPage, ...]
    news: WhatsNew
    sources: tuple[SourceLink, ...]

    @property
    def title(self) -> str:
        return f"Board pack: {self.area_name} and the Local Industrial Strategy"

    @property
    def charts(self) -> tuple[PrintChart, ...]:
        return tuple(c for p in self.pages for c in p.charts)


def _source_text(src: StoreSource, ind: Indicator) -> str:
    meta = src.meta(ind.id)
    return (f"Source: {meta.get('source_org') or 'Office for National Statistics'}, released "
            f"{meta.get('release_date') or 'not stated'}.")


def _chart(src: StoreSource, ind: Indicator, codes: tuple[str, ...], benchmark: str) -> PrintChart | None:
    a = src.area()
    focus = iv.focus_areas(src, ind, codes)
    comps = {c.code: c.name for c in (a.comparators["england"], a.comparators["region"]) if c.code not in focus}
    fig = iv.trend_figure(src, ind.id, tuple(focus.items()), tuple(comps.items()), None, None, True, benchmark)
    if fig is None or fig.spec is None:
        return None
    return PrintChart(ind.id, f"{ind.label}: {fig.takeaway}", for_print(fig.spec, CHART_PLOT_HEIGHT),
                      _source_text(src, ind))


def _sources(src: StoreSource, catalogue: Catalogue) -> tuple[SourceLink, ...]:
    by_link: dict[tuple, list[str]] = {}
    for ind in catalogue.indicators:
        m = src.meta(ind.id)
        url = str(m.get("source_url") or "")
        key = (str(m.get("source_org") or "Office for National Statistics"), str(m.get("release_date") or "not stated"),
               url if urlsplit(url).scheme in ("http", "https") else None)
        by_link.setdefault(key, []).append(ind.short_label)
    return tuple(SourceLink(org, ", ".join(names), released, url) for (org, released, url), names in by_link.items())


def board_content(store: Store, req: PackRequest, area: AreaConfig, catalogue: Catalogue,
                  workers: int = 4) -> BoardContent:
    src = StoreSource(store, area, catalogue)
    codes = tuple(area.district_codes) if req.is_em3 else (req.area,)
    area_name = area.name if req.is_em3 else area.district(req.area).name
    bname = jd.benchmark_name(area, codes, req.benchmark)
    figs = board_figures(store, EM3 if req.is_em3 else req.area, req.benchmark, area, catalogue)
    by_ind = {f.indicator: f for f in figs}
    pages, charts = [], []
    built: dict[str, PrintChart | None] = {}  # an indicator serving two priorities is drawn once
    for pid in req.priorities:
        p = catalogue.priority(pid)
        heads = catalogue.headlines_for(p.id, HEADLINES)
        mine = []
        for ind in catalogue.headlines_for(p.id, len(catalogue.indicators_for(p.id))):
            if len(mine) == CHARTS_PER_PRIORITY:
                break
            if ind.id not in built:
                built[ind.id] = _chart(src, ind, codes, req.benchmark)
            c = built[ind.id]
            if c is not None:
                mine.append(c)
        charts.extend(mine)
        pages.append(PriorityPage(p, tuple(by_ind[i.id] for i in heads if i.id in by_ind),
                                  tuple(i.label for i in heads if i.level != "district"), tuple(mine)))
    unique = list({id(c): c for c in charts}.values())
    with ThreadPoolExecutor(max_workers=workers) as pool:
        images = list(pool.map(lambda c: chart_jpeg(c.spec, c.source, scale=PRINT_SCALE, quality=85), unique))
    done = dict(zip((id(c) for c in unique), images))
    pages = [PriorityPage(pg.priority, pg.figures, pg.larger,
                          tuple(PrintChart(c.indicator, c.title, c.spec, c.source, done[id(c)]) for c in pg.charts))
             for pg in pages]
    news = whats_new(store, codes, req.since or default_since(), req.benchmark, area=area, catalogue=catalogue)
    return BoardContent(req, area_name, datetime.now(timezone.utc).date().isoformat(), _vintage(catalogue, src),
                        bname, answer_sentences(figs, area_name, bname), figs, tuple(pages), news,
                        _sources(src, catalogue))


# ---------------------------------------------------------------------------------------------------
# The document

CSS = """
@page { size: A4; margin: 10mm 14mm 13mm 14mm;
        @bottom-left { content: "EM3 Local Industrial Strategy board pack"; font-size: 8pt; color: #404040; }
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #404040; } }
html { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1A1A1A; }
h1 { font-size: 20pt; margin: 0 0 4mm 0; }
h2 { font-size: 14pt; margin: 0 0 2.5mm 0; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 3mm 0 1.5mm 0; page-break-after: avoid; }
p { margin: 0 0 2mm 0; }
.answer p { font-size: 11.5pt; line-height: 1.35; }
.meta { font-size: 9pt; color: #333333; }
section { page-break-before: always; }
blockquote { margin: 0 0 2mm 0; padding: 1.5mm 3mm; border-left: 3px solid #0072B2; background: #F2F6FA;
             font-size: 9pt; }
ul.contents { list-style: none; padding-left: 0; margin: 0; } ul.contents li { margin: 0 0 1mm 0; }
.unit { color: #404040; }
a { color: #005A8C; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0 0 2mm 0; }
th, td { border-bottom: 0.5pt solid #BDBDBD; padding: 0.7mm 1.2mm; text-align: left; vertical-align: top;
         overflow-wrap: normal; word-break: normal; hyphens: manual; }
th { background: #E6EEF5; font-weight: bold; }
td.num, th.num { text-align: right; white-space: nowrap; }
th.num { white-space: normal; }  /* a heading may wrap between its words; a figure never */
td.nowrap { white-space: nowrap; }
table.profile { font-size: 7.5pt; }
table.profile th { font-size: 7.5pt; }
table.profile { line-height: 1.12; }
table.profile td { padding-top: 0.2mm; padding-bottom: 0.2mm; }
table.profile td.group { background: #F4F4F4; font-weight: bold; }
table.heads { font-size: 8.5pt; }
table.news, table.sources { font-size: 7.6pt; }
figure { margin: 1mm 0 2mm 0; page-break-inside: avoid; }
figure img { width: CHART_MMmm; }
figcaption { font-size: 8pt; color: #404040; }
.small { font-size: 8pt; color: #404040; }
.licence { font-weight: bold; }
""".replace("CHART_MM", str(CHART_WIDTH_MM))

_MD_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^\s)]{1,500})\)")


def _e(text) -> str:
    return escape(str(text if text is not None else ""), quote=True)


def linked(text: str) -> str:
    """Escaped text with its Markdown links ([text](https://…)) made links; nothing else is markup."""
    out, last = [], 0
    for m in _MD_LINK.finditer(text or ""):
        out.append(_e(text[last:m.start()]))
        out.append(f"<a href='{_e(m.group(2))}'>{_e(m.group(1))}</a>")
        last = m.end()
    out.append(_e((text or "")[last:]))
    return "".join(out)


def _name(f: BoardFigure, label: str) -> str:
    return _e(label) + (f" <span class='unit'>({_e(f.unit)})</span>" if f.unit_label else "")


def _mark(judgement: str) -> str:
    symbol = jm.STYLE.get(judgement, {}).get("symbol", "")
    return f"{symbol} {judgement}".strip() if judgement else ""


_FIFTH = {1: "best", 2: "2nd", 3: "middle", 4: "4th", 5: "worst"}


def _profile_table(c: BoardContent, catalogue_order: Sequence[Priority]) -> str:
    em3 = c.request.is_em3
    if em3:
        cols = ("<col style='width:31%'/><col style='width:10%'/><col style='width:12%'/><col style='width:12%'/>"
                "<col style='width:19%'/><col style='width:8%'/><col style='width:8%'/>")
        head = ("<tr><th>Indicator</th><th>Period</th><th class='num'>Median of districts</th>"
                f"<th class='num'>{_e(c.benchmark_name)}</th><th>Districts judged</th>"
                "<th class='num'>Worst fifth</th><th class='num'>Best fifth</th></tr>")
    else:
        cols = ("<col style='width:36%'/><col style='width:10%'/><col style='width:13%'/><col style='width:12%'/>"
                "<col style='width:11%'/><col style='width:12%'/><col style='width:6%'/>")
        head = (f"<tr><th>Indicator</th><th>Period</th><th class='num'>{_e(c.area_name)}</th>"
                f"<th class='num'>{_e(c.benchmark_name)}</th><th class='num'>Rank</th><th>Judgement</th>"
                "<th>Fifth</th></tr>")
    out = [f"<table class='profile'>{cols}<thead>{head}</thead><tbody>"]
    for p in catalogue_order:
        rows = [f for f in c.profile if f.priority == p.id]
        if not rows:
            continue
        out.append(f"<tr><td class='group' colspan='7'>{p.number}. {_e(p.title)}</td></tr>")
        for f in rows:
            if em3:
                out.append(f"<tr><td>{_name(f, f.short_label)}</td><td class='nowrap'>{_e(f.period)}</td>"
                           f"<td class='num'>{_e(f.cell(f.value))}</td>"
                           f"<td class='num'>{_e(f.cell(f.benchmark_value))}</td><td>{_e(f.judgement_text)}</td>"
                           f"<td class='num'>{f.in_worst_fifth}</td><td class='num'>{f.in_best_fifth}</td></tr>")
            else:
                out.append(f"<tr><td>{_name(f, f.short_label)}</td><td class='nowrap'>{_e(f.period)}</td>"
                           f"<td class='num'>{_e(f.cell(f.value) or 'no figure')}</td>"
                           f"<td class='num'>{_e(f.cell(f.benchmark_value))}</td><td class='num'>{_e(f.rank_text)}</td>"
                           f"<td>{_e(_mark(f.judgement))}</td><td>{_e(_FIFTH.get(f.quintile, ''))}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _heads_table(c: BoardContent, figs: Sequence[BoardFigure]) -> str:
    em3 = c.request.is_em3
    out = ["<table class='heads'><col style='width:34%'/><col style='width:10%'/><col style='width:14%'/>"
           "<col style='width:13%'/><col style='width:12%'/><col style='width:17%'/>"
           f"<tr><th>Indicator</th><th>Period</th><th class='num'>{'Median' if em3 else _e(c.area_name)}</th>"
           f"<th class='num'>{_e(c.benchmark_name)}</th><th class='num'>{'Worst fifth' if em3 else 'Rank'}</th>"
           f"<th>{'Districts judged' if em3 else 'Judgement'}</th></tr>"]
    for f in figs:
        rank = str(f.in_worst_fifth) if em3 else f.rank_text
        out.append(f"<tr><td>{_name(f, f.label)}</td><td class='nowrap'>{_e(f.period)}</td>"
                   f"<td class='num'>{_e(f.cell(f.value) or 'no figure')}</td>"
                   f"<td class='num'>{_e(f.cell(f.benchmark_value))}</td><td class='num'>{_e(rank)}</td>"
                   f"<td>{_e(f.judgement_text if em3 else _mark(f.judgement))}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _news(c: BoardContent) -> str:
    n = c.news
    since = n.since or "the last build"
    out = [f"<section id='whats-new'><h2>What's new since {_e(since)}</h2>"]
    if not n.builds:
        out.append(f"<p>No build of the extract with new or revised figures has been logged since {_e(since)}, "
                   "so nothing is listed as new.</p>")
    elif not n.items:
        out.append(f"<p>No indicator has a new period or a revised figure since {_e(since)}.</p>")
    else:
        out.append("<table class='news'><col style='width:40%'/><col style='width:18%'/><col style='width:16%'/>"
                   "<col style='width:26%'/><tr><th>Indicator</th><th>New or revised</th><th class='num'>Latest</th>"
                   "<th>Change</th></tr>")
        for item in n.items[:NEWS_ROWS]:
            a = item.areas[0] if len(item.areas) == 1 else None
            what = ", ".join(item.periods_added) or f"{item.revisions} revised"
            latest = with_unit(a.value, item.unit, item.decimals) if a else f"{len(item.areas)} areas"
            moved = fmt_change(a.change, item.unit, item.decimals) + f" since {a.previous_period}" \
                if a and a.change is not None else ""
            out.append(f"<tr><td>{_e(item.label)}</td><td>{_e(what)}</td><td class='num'>{_e(latest)}</td>"
                       f"<td>{_e(moved)}</td></tr>")
        out.append("</table>")
        if len(n.items) > NEWS_ROWS:
            out.append(f"<p class='small'>And {len(n.items) - NEWS_ROWS} more: the full pack (--full) and the "
                       "What's new page list them all.</p>")
    return "".join(out)


def board_html(c: BoardContent, priorities: Sequence[Priority]) -> str:
    bench_words = f"{_e(c.benchmark_name)}, by the published 95% confidence interval"
    out = [f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>{_e(c.title)}</title>"
           f"<meta name='author' content='Enterprise M3 LEP dashboard'><style>{CSS}</style></head><body>"]
    out.append(f"<div id='cover'><h1>{_e(c.title)}</h1>"
               f"<p class='meta'>{_e(c.area_name)}{'' if c.request.is_em3 else ' (' + _e(c.request.area) + ')'}"
               f" · {_e(c.generated)} · data: {_e(c.vintage)} · judged against {bench_words}.</p>"
               "<h2>The answer</h2><div class='answer'>" + "".join(f"<p>{_e(s)}</p>" for s in c.answer) + "</div>"
               "<h2>Contents</h2><ul class='contents'>"
               "<li><a href='#profile'>Profile: every indicator on one page</a></li>"
               + "".join(f"<li><a href='#p-{_e(pg.priority.id)}'>{pg.priority.number}. {_e(pg.priority.title)}</a></li>"
                         for pg in c.pages)
               + "<li><a href='#whats-new'>What's new</a></li><li><a href='#sources'>Sources and licence</a></li>"
               f"</ul><p class='licence'>{_e(ATTRIBUTION)}.</p></div>")
    out.append(f"<section id='profile'><h2>Profile: {_e(c.area_name)}</h2>"
               + _profile_table(c, priorities)
               + "<p class='small'>Judgement: better or worse only where the published 95% confidence interval lies "
               "wholly on one side of the benchmark's figure; not tested where no interval is published. Rank among "
               "English districts, 1st best; fifth: the district's position among them, not a test.</p></section>")
    for pg in c.pages:
        p = pg.priority
        out.append(f"<section id='p-{_e(p.id)}'><h2>{p.number}. {_e(p.title)}</h2><blockquote>{_e(p.statement)}"
                   "</blockquote>")
        if pg.figures:
            out.append(_heads_table(c, pg.figures))
        if pg.larger:
            out.append(f"<p class='small'>Published for larger areas only: {_e('; '.join(pg.larger))}.</p>")
        for ch in pg.charts:
            data = base64.b64encode(ch.image).decode("ascii")
            out.append(f"<figure><img src='data:image/jpeg;base64,{data}' alt='{_e(ch.title)}'/></figure>")
        out.append("</section>")
    out.append(_news(c))
    out.append("<h2 id='sources' style='margin-top:4mm'>Sources and licence</h2>"
               "<table class='sources'><col style='width:26%'/><col style='width:60%'/><col style='width:14%'/>"
               "<tr><th>Source</th><th>Indicators</th><th>Released</th></tr>")
    for s in c.sources:
        org = f"<a href='{_e(s.url)}'>{_e(s.source)}</a>" if s.url else _e(s.source)
        out.append(f"<tr><td>{org}</td><td>{_e(s.indicators)}</td><td class='nowrap'>{_e(s.released)}</td></tr>")
    out.append(f"</table><p class='licence'>{_e(ATTRIBUTION)}. <a href='{_e(LICENCE_URL)}'>{_e(LICENCE)}</a>. "
               f"{_e(BOUNDARIES_CREDIT)}</p><p class='small'>Caveats for each indicator: the full pack "
               "(python -m lis_data pack --full) and the Data and sources page.</p></section></body></html>")
    return "".join(out)


def _no_fetch():
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def board_pdf(c: BoardContent, catalogue: Catalogue) -> bytes:
    from weasyprint import HTML

    html = board_html(c, [catalogue.priority(p) for p in c.request.priorities])
    return HTML(string=html, url_fetcher=_no_fetch(), base_url=None).write_pdf(
        pdf_tags=True, pdf_variant="pdf/ua-1", custom_metadata=True)
