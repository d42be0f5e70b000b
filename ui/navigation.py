"""The register of the app's pages: what pages and components look a page up in (for st.page_link)
and the settings of each page. It imports no page module: pages/site.py lists the pages and fills
the register on every run of app.py, so pages can link to each other without an import loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    render: Callable[[], None]
    title: str
    section: str
    icon: str | None = None
    uses_filters: bool = True  # whether the sidebar's shared filters apply to the page
    needs_figures: bool = True  # whether the page reads the indicator store (see figures_guard.py)
    default: bool = False
    footer: bool = True  # the site's contact line at the page's foot (not on a projected slide)


@dataclass(frozen=True)
class Section:
    """A group of the navigation (pages/site.py: SECTIONS)."""

    name: str
    first: bool = False  # shown before the sidebar's "View more"
    public: bool = True  # listed in the sidebar; else reachable by link and listed on the staff page


#: The internal key of the hidden default page served at "/" (never shown: its url path is "").
ROOT_KEY = "home"

_PAGES: dict[str, st.Page] = {}
_SPECS: dict[str, PageSpec] = {}
_ORDER: list[str] = []
_SECTIONS: dict[str, Section] = {}
_HOME: list[st.Page] = []


def register(specs_in_order: list[PageSpec], pages: dict[str, st.Page], root: PageSpec | None,
             sections: tuple[Section, ...] = (), home: st.Page | None = None) -> None:
    """Called by pages.site.build(): the specs and pages of this run (`home`: the hidden default
    page served at "/")."""
    _HOME[:] = [home] if home is not None else []
    _SECTIONS.update({s.name: s for s in sections})
    for spec in specs_in_order:
        _SPECS[spec.url_path] = spec
    if root is not None:
        _SPECS[""] = root
    _ORDER[:] = [s.url_path for s in specs_in_order]
    # Update in place without emptying first: another session's run may be reading the map.
    _PAGES.update(pages)
    for stale in set(_PAGES) - set(pages):
        _PAGES.pop(stale, None)


def registered() -> dict[str, str]:
    """The pages of the last run, as given to st.navigation: {url path: title} (the hidden default
    page at "")."""
    return {p.url_path: p.title for p in [*list(_PAGES.values()), *list(_HOME)]}


def site_map() -> dict[str, list[PageSpec]]:
    """Every page grouped by its section, in navigation order (a second way to find a page,
    WCAG 2.4.5)."""
    groups: dict[str, list[PageSpec]] = {}
    for spec in (_SPECS[k] for k in list(_ORDER) if k in _SPECS):
        groups.setdefault(spec.section or "Start", []).append(spec)
    return groups


def staff_pages() -> list[PageSpec]:
    """The pages left out of the public navigation (listed on the staff page)."""
    return [_SPECS[k] for k in list(_ORDER)
            if k in _SPECS and not _SECTIONS.get(_SPECS[k].section, Section("")).public]


def page(key: str) -> st.Page:
    """A page by its url path, for st.page_link."""
    return _PAGES[key]


def uses_filters(current: st.Page) -> bool:
    spec = _SPECS.get(current.url_path)
    return spec is None or spec.uses_filters


def shows_footer(current: st.Page) -> bool:
    spec = _SPECS.get(current.url_path)
    return spec is None or spec.footer


def needs_figures(current: st.Page) -> bool:
    spec = _SPECS.get(current.url_path)
    return spec is None or spec.needs_figures
