"""The navigation is built from the catalogue, and no page's URL can be taken for a file page."""

from __future__ import annotations

from pathlib import Path

from page_helpers import CATALOGUE, run_page

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"


def _registered(at) -> dict[str, str]:
    """The pages app.py gave st.navigation in `at`'s run (the app's own registry, ui/navigation.py)."""
    from ui import navigation

    return navigation.registered()


def test_each_priority_has_a_short_readable_url_and_its_title():
    pages = _registered(run_page())
    for p in CATALOGUE.priorities:
        assert pages[p.id] == f"{p.number}. {p.title}"
    assert "sources" in pages


def test_no_url_path_equals_a_module_in_pages():
    """Streamlit's legacy pages/ discovery runs the first script run of a fresh server; a url path equal
    to a module's stem would run that module as a file page instead of the app."""
    stems = {p.stem for p in PAGES_DIR.glob("*.py")}
    clashes = stems & set(_registered(run_page()))
    assert not clashes, clashes


def test_a_tenth_priority_is_a_catalogue_edit(monkeypatch):
    """Adding a priority to the catalogue adds a page, with no new code."""
    from dataclasses import replace

    from lis_data.config import Catalogue, Priority
    from ui import data

    extra = Priority(10, "tourism", "Visitor economy", "A statement for the test.")
    bigger = Catalogue(CATALOGUE.priorities + (extra,),
                       tuple(replace(i, priorities=i.priorities + ("tourism",)) if i.id == "food-outlets" else i
                             for i in CATALOGUE.indicators))
    monkeypatch.setattr(data, "load_catalogue", lambda: bigger)
    at = run_page("tourism")
    assert not at.exception
    assert [t.value for t in at.title] == ["10. Visitor economy"]
    assert "tourism" in _registered(at)
