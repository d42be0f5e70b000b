"""The public navigation: staff pages left out of the sidebar (still open at their address and listed
on the staff page), the groups in the order pages/site.py gives, the first groups shown before
"View more"."""

from __future__ import annotations

from page_helpers import run_page

from pages import site


def test_staff_and_facilitator_pages_are_hidden_but_open_and_listed_on_the_staff_page():
    at = run_page("staff")
    assert not at.exception
    hidden = {s.url_path for s in site.ordered_specs()
              if not next(x for x in site.SECTIONS if x.name == s.section).public}
    assert hidden == {"staff", "facilitate", "staff-hub"}
    links = [el.proto.label for el in at.get("page_link")]
    assert "Facilitator" in links, links
    assert any("/facilitate" in c.value for c in at.caption)
    at = run_page("facilitate")
    assert not at.exception


def test_every_page_names_a_known_group_and_groups_keep_their_order():
    specs = site.ordered_specs()
    order = [x.name for x in site.SECTIONS]
    positions = [order.index(s.section) for s in specs]
    assert positions == sorted(positions)
    assert specs[0].url_path == "overview"
    assert site.shown_first() < len([s for s in specs if s.section != "For staff"]) - 2
