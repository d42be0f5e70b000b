"""The sources table: per indicator its priorities, level, periods, district coverage, source,
release date and link; and each indicator's notes (subtitle, description, caveats). The Data and
sources page, the priority pages' source notes and the evidence pack's appendix read these.

Upstream metadata is untrusted text. It is published as Markdown (the ONS's caveats carry links),
and a hostile or mistaken release could carry an image that calls an outside server, a link to a
`javascript:` address, raw HTML or text-reversing characters. So it is never passed on as Markdown:
`plain_paragraphs` reads it with markdown-it-py and keeps the words only (a link's text, followed by
its address in brackets when that is a valid https address; an image's description, never its
address; HTML as the literal text it is), with control and invisible format characters removed.
A page escapes the result for Markdown, the pack for HTML. The only links are the ones the project
builds itself from `safe_link`, a validated https address.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd
from markdown_it import MarkdownIt

from lis_data.views.source import ViewSource

DEFAULT_SOURCE = "Office for National Statistics"
MAX_URL = 2000
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z", re.ASCII)
# Characters that could end a Markdown link target or a quoted attribute, or hide part of an address.
_URL_FORBIDDEN = set("<>\"'`\\()[]{}|^ ")
_MD = MarkdownIt("commonmark", {"html": True})


def safe_link(url) -> str | None:
    """`url` when it is an https address the project may link to (ASCII, no spaces, quotes, brackets
    or credentials, a host name with a dot), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > MAX_URL or not url.isascii() or not url.isprintable():
        return None
    if any(c in _URL_FORBIDDEN for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port  # noqa: F841 -- raises on a port that is not a number
    except ValueError:
        return None
    if parts.scheme != "https" or parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return None
    if not parts.hostname or not _HOST.match(parts.hostname):
        return None
    return url


def clean_line(text: str) -> str:
    """One line of upstream text: control characters and invisible format characters (bidi
    overrides and isolates, zero-width characters) removed, runs of white space made one space."""
    kept = []
    for c in str(text):
        cat = unicodedata.category(c)
        if cat in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"):
            kept.append(" " if c in "\t\n\r\x0b\x0c\u2028\u2029\x85" else "")
        else:
            kept.append(c)
    return " ".join("".join(kept).split())


def _inline_text(children) -> str:
    out: list[str] = []
    href: list[str | None] = []
    for tok in children:
        if tok.type in ("text", "code_inline", "html_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "link_open":
            href.append(safe_link(tok.attrs.get("href")))
            out.append("\0")  # where the link's text starts
        elif tok.type == "link_close":
            link = href.pop() if href else None
            start = max(i for i, part in enumerate(out) if part == "\0")
            words = "".join(out[start + 1:]).strip()
            del out[start:]
            out.append(words if not link or words == link else f"{words} ({link})" if words else link)
        elif tok.type == "image":
            alt = "".join(c.content for c in (tok.children or []) if c.type in ("text", "code_inline"))
            if alt.strip():
                out.append(f"[image: {alt.strip()}]")
    return "".join(out)


@functools.lru_cache(maxsize=4096)  # pages call it on every rerun; the metadata texts are few
def plain_paragraphs(text) -> tuple[str, ...]:
    """Upstream Markdown as plain paragraphs of words (see the module docstring); list items are
    paragraphs starting with "– "."""
    if not isinstance(text, str) or not text.strip():
        return ()
    try:
        tokens = _MD.parse(text)
    except RecursionError:  # nested too deeply to be prose
        return (clean_line(text),)
    out: list[str] = []
    bullet = False
    for tok in tokens:
        if tok.type == "list_item_open":
            bullet = True
        elif tok.type == "inline":
            line = clean_line(_inline_text(tok.children or []))
            if line:
                out.append(("– " if bullet else "") + line)
            bullet = False
        elif tok.type in ("html_block", "code_block", "fence"):
            line = clean_line(tok.content)
            if line:
                out.append(line)
    return tuple(out)


def plain_text(text) -> str:
    """plain_paragraphs joined by blank lines."""
    return "\n\n".join(plain_paragraphs(text))


@dataclass(frozen=True)
class SourceRow:
    indicator_id: str
    indicator: str
    priorities: str  # "1, 9"
    level: str
    periods: str  # "2004 to 2023"
    coverage: str  # "280 of 294" (districts x periods with a figure), or "not published for districts"
    source: str  # plain text
    released: str
    link: str | None  # a validated https address (safe_link), or None
    dataset: str
    caveats: str  # plain text (plain_text)


@dataclass(frozen=True)
class IndicatorNotes:
    """What the metadata says about one indicator, as plain text (never Markdown)."""

    indicator_id: str
    subtitle: str
    description: tuple[str, ...]  # paragraphs
    caveats: tuple[str, ...]
    source: str
    released: str  # "not stated" when the metadata gives no date
    link: str | None  # safe_link of the metadata's source address
    in_development: bool  # official statistics in development


def _first_link(urls) -> str | None:
    """The first safe link of a source address; some files list one per source, split by "|"."""
    if not isinstance(urls, str):
        return None
    return next((link for part in urls.split("|") if (link := safe_link(part))), None)


def indicator_notes(meta: dict, indicator_id: str = "") -> IndicatorNotes:
    """The notes of one indicator from its metadata row (ViewSource.meta)."""
    released = clean_line(meta.get("release_date") or "")
    return IndicatorNotes(
        indicator_id or str(meta.get("id") or ""),
        plain_text(meta.get("subtitle")).replace("\n\n", " "),
        plain_paragraphs(meta.get("description")),
        plain_paragraphs(meta.get("caveats")),
        plain_text(meta.get("source_org")).replace("\n\n", " ") or DEFAULT_SOURCE,
        released or "not stated",
        _first_link(meta.get("source_url")),
        bool(meta.get("official_statistics_in_development")),
    )


def source_rows(src: ViewSource, coverage: pd.DataFrame) -> tuple[SourceRow, ...]:
    """`coverage`: queries.coverage for the area's districts."""
    cat = src.catalogue()
    rows = []
    for ind in cat.indicators:
        c = coverage[coverage["indicator_id"] == ind.id]
        periods = c.drop_duplicates("period").sort_values("period_start")
        notes = indicator_notes(src.meta(ind.id), ind.id)
        rows.append(SourceRow(
            ind.id, ind.label, ", ".join(str(cat.priority(p).number) for p in ind.priorities), ind.level,
            f"{periods['period_label'].iloc[0]} to {periods['period_label'].iloc[-1]}" if len(periods) else "",
            f"{int(c['present'].sum())} of {len(c)}" if ind.level == "district" else "not published for districts",
            notes.source, notes.released, notes.link, ind.dataset, "\n\n".join(notes.caveats)))
    return tuple(rows)
