"""EM3 Local Industrial Strategy dashboard: navigation, page config and the shared filters.

One file, two roles:

* Run as the app script (every browser session's run, and `AppTest.from_file("app.py")`), where
  `__name__ == "__main__"`: page config, navigation and the shared filters.
* Imported by the server (`streamlit run app.py` finds `app = st.App(...)` below and serves it in
  ASGI mode; `uvicorn app:app` works too): the server object, with the dashboard's own HTTP routes
  (web/routes.py: `/ready`), running this same file as its script.
"""

from pathlib import Path

import streamlit as st

PAGE_ICON = Path(__file__).resolve().parent / "assets" / "page-icon.png"
SITE_NAME = "EM3 Local Industrial Strategy dashboard"

if __name__ == "__main__":
    from pages import site
    from ui import figures_guard, global_style, hub_views, navigation, sidebar

    st.set_page_config(
        page_title=SITE_NAME,
        page_icon=str(PAGE_ICON),  # shipped, so no page load asks a font service for the icon
        layout="wide",
        initial_sidebar_state="auto",
    )

    # The groups marked first show; the rest fold under "View more" (a phone reaches the filters soon).
    current = st.navigation(site.build(), expanded=site.shown_first())
    # The browser tab names the page first, then the site (WCAG 2.4.2).
    st.set_page_config(page_title=f"{current.title} · {SITE_NAME}")
    global_style.apply()
    try:
        if not figures_guard.allows(current):  # a broken extract: a clear message, not a traceback
            st.stop()
        if navigation.uses_filters(current):
            sidebar.render()
            for note in sidebar.notes():
                st.warning(note, icon=":material/link_off:")
        current.run()
    finally:
        if navigation.shows_footer(current):
            hub_views.footer()  # the LIS contact address at every page's foot, even after st.stop()
else:
    import logging

    from lis_data.config import settings
    from web import middleware, routes
    from ui import feedback_access, legacy_pages, warmup

    # The project's own warnings (readiness, stores, sign-in) go to the server's standard error, with
    # a time; Streamlit's loggers keep their own handlers.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings.current()  # the environment's settings, read once at start: a bad value is logged now
    legacy_pages.disable()  # before any session: the pages come from st.navigation, not pages/*.py
    warmup.start()  # imports and display boundaries once, before the first visitor; /ready waits for it
    # Middleware: no public "Clear cache" over the websocket; a missing /static/ file is a 404.
    app = st.App(__file__, routes=routes.routes(feedback_url=feedback_access.store_url, warm=warmup.done),
                 middleware=middleware.middleware())
