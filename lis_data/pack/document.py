"""The evidence pack as HTML and CSS, and as a tagged PDF (WeasyPrint). Every text from outside (a
comment, a caveat) is escaped; nothing is fetched while building: the charts are embedded PNG data,
the fonts come from the system."""

from __future__ import annotations

import base64
from html import escape
from urllib.parse import urlsplit

from lis_data.domain import judgement as jm
from lis_data.views.whats_new import WHATS_NEW_COLUMNS, summary_line, worded_rows
from lis_data.pack.board import linked
from lis_data.pack.content import IndicatorRow, PackContent

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-left { content: "EM3 Local Industrial Strategy evidence pack"; font-size: 8pt; color: #404040; }
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #404040; } }
html { font-family: "Liberation Sans", "DejaVu Sans", "Noto Sans CJK JP", "Noto Color Emoji", Arial, sans-serif; font-size: 9.5pt; color: #1A1A1A; }
h1 { font-size: 22pt; margin: 0 0 6mm 0; }
h2 { font-size: 14pt; margin: 0 0 3mm 0; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 2mm 0; page-break-after: avoid; }
.cover { page-break-after: always; padding-top: 50mm; }
.cover p { font-size: 12pt; }
section { page-break-before: always; }
blockquote { margin: 0 0 3mm 0; padding: 2mm 4mm; border-left: 3px solid #0072B2; background: #F2F6FA; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm 0; table-layout: fixed; }
table.ind { font-size: 7.5pt; }
table.ind col.c1 { width: 17%; } table.ind col.c2 { width: 10%; } table.ind col.c3 { width: 9%; }
table.ind col.c4 { width: 13%; } table.ind col.c5 { width: 11%; } table.ind col.c6 { width: 9%; }
table.ind col.c7 { width: 9%; } table.ind col.c8 { width: 9%; } table.ind col.c9 { width: 6%; }
table.ind col.c10 { width: 7%; }
table.ind th { font-size: 7pt; }

th, td { border-bottom: 0.5pt solid #BDBDBD; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #E6EEF5; font-weight: bold; }
td.num { text-align: right; }
th, td { overflow-wrap: normal; word-break: normal; hyphens: manual; }  /* wrap between words only */
td.fig { white-space: nowrap; }
td.free { overflow-wrap: anywhere; }  /* free text (a comment) may hold an unbroken address */
figure { margin: 2mm 0 4mm 0; page-break-inside: avoid; }
figure img { width: 100%; max-height: 110mm; object-fit: contain; }
figcaption { font-size: 8pt; color: #404040; }
.charts { display: flex; flex-wrap: wrap; justify-content: space-between; }
.charts figure { width: 49%; margin: 1mm 0 3mm 0; }
.map figure { width: 70%; }
.small { font-size: 8pt; color: #404040; }
table.sources { font-size: 7pt; }
.licence { font-weight: bold; }
"""


def _e(text) -> str:
    return escape(str(text if text is not None else ""), quote=True)


def _row_cells(r: IndicatorRow) -> str:
    mark = jm.STYLE.get(r.judgement, {}).get("symbol", "")
    return (f"<td>{_e(r.label)}</td><td>{_e(r.area)}</td><td>{_e(r.period)}</td>"
            f"<td class='num'>{_e(r.figure)}</td><td class='num'>{_e(r.ci)}</td>"
            f"<td>{_e(r.benchmark)}</td><td class='num'>{_e(r.benchmark_figure)}</td>"
            f"<td>{_e((mark + ' ') if mark else '')}{_e(r.judgement)}</td><td>{_e(r.rank)}</td><td>{_e(r.direction)}</td>")


_COLS = "".join(f"<col class='c{i}'/>" for i in range(1, 11))
_HEAD = (_COLS + "<tr><th>Indicator</th><th>Area</th><th>Period</th><th>Figure</th><th>95% CI</th>"
         "<th>Benchmark</th><th>Its figure</th><th>Judgement</th><th>Rank</th><th>Direction</th></tr>")


def _source_link(source: str, link: str | None) -> str:
    """The source's name as a link to its page (http and https only), never an address printed raw."""
    if link and urlsplit(link).scheme in ("http", "https"):
        return f"<a href='{_e(link)}'>{_e(source)}</a>"
    return _e(source)


def _img(chart) -> str:
    data = base64.b64encode(chart.image).decode("ascii")
    return (f"<figure><img src='data:image/jpeg;base64,{data}' alt='{_e(chart.alt)}'/>"
            f"<figcaption>{_e(chart.title)}</figcaption></figure>")


def pack_html(c: PackContent) -> str:
    out = [f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>{_e(c.title)}</title>"
           f"<meta name='author' content='Enterprise M3 LEP dashboard'><style>{CSS}</style></head><body>"]
    # Cover
    out.append(f"<div class='cover'><h1>{_e(c.title)}</h1>"
               f"<p><strong>Area:</strong> {_e(c.area_name)}"
               f"{'' if c.request.is_em3 else ' (' + _e(c.request.area) + ')'}</p>"
               f"<p><strong>Date:</strong> {_e(c.generated)}</p>"
               f"<p><strong>Data vintage:</strong> {_e(c.vintage)}</p>"
               f"<p><strong>Judged against:</strong> {_e(c.benchmark_name)}, by the published 95% confidence "
               "interval where one is published (better or worse only where it lies wholly on one side); "
               "otherwise by the fifth of English districts (a position, not a test); counts and totals "
               "are not judged.</p>"
               f"<p class='licence'>{_e(c.attribution)}.</p></div>")
    # One-page summary
    out.append("<section><h2>Summary: the priorities and their headline indicators</h2>"
               f"<table class='ind'>{_HEAD}")
    for p, rows in c.summary:
        out.append(f"<tr><th colspan='10'>{p.number}. {_e(p.title)}</th></tr>")
        out.extend(f"<tr>{_row_cells(r)}</tr>" for r in rows)
        if not rows:
            out.append("<tr><td colspan='10'>No figures.</td></tr>")
    out.append("</table><p class='small'>Figures rounded to the catalogue's decimal places (the CSV downloads, the API "
               "and the workbook keep the exact published values). Direction is the change since the "
               "previous published period, worded by the indicator's polarity; it is not a test of significance."
               "</p></section>")
    # One section per priority
    for s in c.sections:
        p = s.priority
        out.append(f"<section><h2>{p.number}. {_e(p.title)}</h2><blockquote>{_e(p.statement)}</blockquote>")
        out.append(f"<h3>Indicators</h3><table class='ind'>{_HEAD}")
        out.extend(f"<tr>{_row_cells(r)}</tr>" for r in s.rows)
        out.append("</table>")
        if s.charts:
            out.append("<h3>Headline charts</h3><div class='charts'>")
            out.extend(_img(ch) for ch in s.charts)
            out.append("</div>")
        if s.map is not None:
            out.append("<h3>District map</h3><div class='map'>" + _img(s.map) + "</div>")
            out.append("<table><tr><th>District</th><th>Figure</th></tr>"
                       + "".join(f"<tr><td>{_e(n)}</td><td class='num'>{_e(v)}</td></tr>" for n, v in s.map_table)
                       + "</table>")
        out.append("<h3>The sounding board</h3>")
        fb = s.feedback
        if not fb.available:
            out.append("<p>The sounding board's input could not be read when this pack was built.</p>")
        else:
            where = "EM3" if c.request.is_em3 else c.area_name
            out.append(f"<p>{fb.count} visible comment{'s' if fb.count != 1 else ''} on this priority for {_e(where)} "
                       "(names and email addresses are never included).</p>")
            if fb.comments:
                out.append("<table><tr><th>Date</th><th>Respondent</th><th>Comment</th></tr>")
                out.extend(f"<tr><td>{_e(m.date)}</td><td>{_e(m.respondent_type)}</td><td class='free'>{_e(m.text)}</td></tr>"
                           for m in fb.comments)
                out.append("</table>")
        out.append("</section>")
    # What's new
    news = c.whats_new
    out.append(f"<section><h2>What's new since {_e(news.since or 'the last build')}</h2>")
    if news.since is None:
        out.append("<p>No build of the extract has been logged, so nothing is listed as new.</p>")
    elif not news.items:
        out.append(f"<p>No indicator has a new period, a revision or changed metadata since {_e(news.since)}.</p>")
    for item in news.items:
        out.append(f"<h3>{_e(item.label)}</h3><p>{_e(summary_line(item))}</p>")
        rows = worded_rows(item, news.benchmark_name)
        if rows:
            out.append("<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in WHATS_NEW_COLUMNS) + "</tr>"
                       + "".join("<tr>" + "".join(f"<td>{_e(r[h])}</td>" for h in WHATS_NEW_COLUMNS) + "</tr>"
                                 for r in rows) + "</table>")
    if news.indicators_gone:
        out.append(f"<p>Indicators gone from the upstream release: {_e(', '.join(news.indicators_gone))}.</p>")
    out.append("</section>")
    # Appendix
    out.append("<section><h2>Appendix: sources, release dates, caveats and licence</h2>"
               "<table class='sources'><col style='width: 17%'/><col style='width: 19%'/><col style='width: 9%'/>"
               "<col style='width: 11%'/><col style='width: 9%'/><col style='width: 35%'/>"
               "<tr><th>Indicator</th><th>Source</th><th>Released</th><th>Periods</th>"
               "<th>District coverage</th><th>Caveats</th></tr>")
    out.extend(f"<tr><td>{_e(s.indicator)}</td><td>{_source_link(s.source, s.link)}</td>"
               f"<td>{_e(s.released)}</td><td>{_e(s.periods)}</td><td>{_e(s.coverage)}</td><td>{linked(s.caveats)}</td></tr>"
               for s in c.sources)
    out.append(f"</table><p class='licence'>{_e(c.attribution)}.</p>"
               f"<p><a href='{_e(c.licence_url)}'>{_e(c.licence)}</a></p><p>{_e(c.boundaries)}</p></section>")
    out.append("</body></html>")
    return "".join(out)


def _no_fetch():
    """WeasyPrint's URL fetcher: embedded data: URLs only, nothing from the network or the disk."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def pack_pdf(c: PackContent) -> bytes:
    from weasyprint import HTML

    return HTML(string=pack_html(c), url_fetcher=_no_fetch(), base_url=None).write_pdf(
        pdf_tags=True, pdf_variant="pdf/ua-1", custom_metadata=True)
