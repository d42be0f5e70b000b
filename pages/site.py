"""The app's pages, built from the catalogue: one st.Page per priority from a single template.

app.py calls build() on every run; it fills the register in ui/navigation.py, which
pages use to link to each other (so no page module imports this one, and no component imports a
page: tests/test_layering.py).

Page modules are imported, never run as files: a url_path must never equal the stem of a module in
pages/, or a fresh server's first request could run that file through Streamlit's legacy pages/
discovery (tests/app/test_navigation.py checks this).
"""

from __future__ import annotations

import streamlit as st

from ui.navigation import ROOT_KEY, PageSpec, Section, register

#: The navigation's groups, in order: each page names its group (PageSpec.section), so a new page slots
#: in by naming one. The sidebar lists the pages group by group as one flat list (see build()); it shows
#: the groups marked `first` and folds the rest under Streamlit's "View more", so that on a phone the
#: shared filters below the list are a short scroll away. Pages of a group that is not `public` are
#: left out of the sidebar: they open at their address, from the links that lead to them, and the
#: staff page lists them (navigation.staff_pages()).
SECTIONS: tuple[Section, ...] = (
    Section("Start", first=True),
    Section("Places", first=True),
    Section("Strategic priorities"),
    Section("Sounding board"),
    Section("LIS hub"),
    Section("About the figures"),
    Section("For staff", public=False),
)


def specs() -> list[PageSpec]:
    """Every page of the app, in navigation order."""
    from . import (
        accessibility_statement,
        comparison,
        data_sources,
        district_profile,
        events_list,
        facilitator,
        idea_board,
        join_board,
        priority,
        privacy_notice,
        research_library,
        scorecard,
        sounding_board,
        staff_hub,
        staff_review,
        towns_map,
        whats_new,
        workshop_mode,
        workshop_record,
        you_said,
    )
    from ui import data

    cat = data.catalogue()
    return [
        PageSpec("overview", scorecard.render, "Overview", "Start", ":material/dashboard:", default=True),
        PageSpec("whats-new", whats_new.render, "What's new", "Start", ":material/new_releases:"),
        *(PageSpec(p.id, priority.page_for(p.id), f"{p.number}. {p.title}", "Strategic priorities")
          for p in cat.priorities),
        PageSpec("profile", district_profile.render, "District profile", "Places", ":material/format_list_bulleted:"),
        PageSpec("compare", comparison.render, "Comparison table", "Places", ":material/table_chart:"),
        PageSpec("towns", towns_map.render, "Towns and gateways map", "Places", ":material/map:"),
        PageSpec("sounding-board", sounding_board.render, "Sounding board", "Sounding board", ":material/forum:",
                 uses_filters=False, needs_figures=False),
        PageSpec("workshop", workshop_mode.render, "Workshop mode", "Sounding board", ":material/co_present:",
                 footer=False),  # a slide fills the projector: no contact line under it
        PageSpec("facilitate", facilitator.render, "Facilitator", "For staff", ":material/how_to_vote:",
                 uses_filters=False, needs_figures=False),
        PageSpec("staff", staff_review.render, "Staff: sounding board input", "For staff", ":material/lock:",
                 uses_filters=False, needs_figures=False),
        # The LIS hub: research, events, workshop records, ideas and the sounding board's members.
        PageSpec("research", research_library.render, "Research library", "LIS hub", ":material/library_books:",
                 uses_filters=False, needs_figures=False),
        PageSpec("events", events_list.render, "Workshops and events", "LIS hub", ":material/event:",
                 uses_filters=False, needs_figures=False),
        PageSpec("workshops", workshop_record.render, "Workshop records", "LIS hub", ":material/summarize:",
                 uses_filters=False),
        PageSpec("ideas", idea_board.render, "Ideas", "LIS hub", ":material/lightbulb:", uses_filters=False),
        PageSpec("you-said-we-did", you_said.render, "You said, we did", "LIS hub", ":material/campaign:",
                 uses_filters=False),
        PageSpec("join", join_board.render, "Join the sounding board", "LIS hub", ":material/group_add:",
                 uses_filters=False, needs_figures=False),
        PageSpec("staff-hub", staff_hub.render, "Staff: LIS hub", "For staff", ":material/admin_panel_settings:",
                 uses_filters=False, needs_figures=False),
        PageSpec("sources", data_sources.render, "Data and sources", "About the figures", ":material/dataset:",
                 uses_filters=False),
        PageSpec("accessibility", accessibility_statement.render, "Accessibility", "About the figures",
                 ":material/accessibility:", uses_filters=False, needs_figures=False),
        PageSpec("privacy", privacy_notice.render, "Privacy notice", "About the figures", ":material/shield_person:",
                 uses_filters=False, needs_figures=False),
    ]


def ordered_specs() -> list[PageSpec]:
    """Every page in navigation order: group by group (SECTIONS), in each group as specs() lists them.
    A page naming a group SECTIONS does not list is an error, not a page quietly left out."""
    every = specs()
    order = {s.name: i for i, s in enumerate(SECTIONS)}
    unknown = sorted({s.section for s in every} - set(order))
    if unknown:
        raise ValueError(f"pages/site.py: pages name groups not in SECTIONS: {', '.join(unknown)}")
    return sorted(every, key=lambda s: order[s.section])  # stable: the order within a group stays


def shown_first() -> int:
    """How many sidebar entries show before "View more": the pages of the groups marked `first`."""
    first = {s.name for s in SECTIONS if s.first}
    return sum(1 for s in specs() if s.section in first)


def build() -> list[st.Page]:
    """The pages in navigation order, as one flat list. Called by app.py on every run.

    Flat on purpose: Streamlit's sectioned sidebar puts each section's heading inside the list of
    links, which screen readers announce as a broken list (axe-core rule "list", WCAG 1.3.1). The
    sections still group the pages in the site map on the Accessibility page (`site_map`)."""
    pages: dict[str, st.Page] = {}
    ordered: list[st.Page] = []
    root = None
    every = ordered_specs()
    public = {s.name for s in SECTIONS if s.public}
    for spec in every:
        page = st.Page(spec.render, title=spec.title, url_path=spec.url_path, icon=spec.icon,
                       visibility="visible" if spec.section in public else "hidden")
        pages[spec.url_path] = page
        ordered.append(page)
        if spec.default:
            # Streamlit serves its default page at "/" only (its url path is ""), so a default page
            # could not also open at its own path. The spec's page stays a normal page at
            # /<url_path>, and a hidden default page shows the same view at "/".
            home = st.Page(spec.render, title=spec.title, url_path=ROOT_KEY, icon=spec.icon, default=True,
                           visibility="hidden")
            ordered.append(home)
            root = spec
    register(every, pages, root, SECTIONS, home=home if root else None)
    return ordered
