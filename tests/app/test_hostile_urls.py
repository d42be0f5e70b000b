"""Hostile URLs: every query parameter a page reads, with Markdown, HTML, KaTeX, unicode digits, huge
numbers and control characters in it. No traceback, and nothing from the URL renders as Markdown: an
"Ignored ..." note quotes the value literally (in a code span, truncated) and says why.

Pages are opened as a deep link opens them: the first run draws the page at its address (nothing is
drawn before scripts/app_test_entry.py switches to it), so the notes drawn on that run are the ones
inspected.
"""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_safety import active_in, active_parts, bodies
from page_helpers import AREA, CATALOGUE, assert_clean
from streamlit.testing.v1 import AppTest
from scripts.app_test_pages import goto, new_app_test

from lis_data.paths import PROJECT_ROOT
from ui.formatting import md_escape, md_literal

SECRETS = {"public_url": "http://192.168.1.20:8501"}


def open_deep(path: str, query: dict[str, str] | None = None) -> AppTest:
    at = new_app_test(SECRETS, query)
    if path:
        goto(at, path)
    at.run()
    return at


def _notes(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


# --- integers: strict ASCII digits, bounded length ----------------------------------------------

@pytest.mark.parametrize("path, param, value, reason", [
    ("", "from", "²⁰²⁰", "not a year"),
    ("housing", "to", "²⁰²⁵", "not a year"),
    ("", "from", "9" * 5000, "not a year"),
    ("", "to", "٢٠٢٠", "not a year"),  # Arabic-Indic digits: isdigit() and int() accept them
    ("", "from", "2030", "no figures"),  # a year the slider cannot show
    ("energy", "to", "1990", "no figures"),
])
def test_bad_year_is_ignored_with_a_note_naming_parameter_and_reason(path, param, value, reason):
    at = open_deep(path, {param: value})
    assert_clean(at)
    notes = [n for n in _notes(at) if f"{param}=" in n]
    assert notes, _notes(at)
    assert reason in notes[0], notes
    assert len(notes[0]) < 300, "a long value is truncated"


def test_a_year_range_beyond_the_figures_is_clamped_not_an_error():
    at = open_deep("", {"from": "1990", "to": "2030"})
    assert_clean(at)
    lo, hi = at.slider(key="f_years").min, at.slider(key="f_years").max
    assert at.session_state["f_years"] == (lo, hi)


# --- Markdown from the URL ------------------------------------------------------------------------

LINK_AND_IMAGE = "**[log in here](http://evil.example)**![x](http://host.example/leak.png)"
FORMULA_AND_CODES = "$$\\int_0^1$$ :red[alert] :material/warning: :smile: <b>x</b> www.evil.example a@b.co"

# (page, parameter) for every parameter whose value a page echoes.
ECHOED = [
    ("housing", "ind"), ("workshop", "priority"), ("workshop", "code"), ("", "d"), ("", "cmp"), ("", "nb"), ("", "bm"),
    ("", "from"), ("towns", "to"),
]


@pytest.mark.parametrize("payload", [LINK_AND_IMAGE, FORMULA_AND_CODES], ids=["link-image", "formula-codes"])
@pytest.mark.parametrize("path, param", ECHOED)
def test_echoed_parameter_is_quoted_literally(path, param, payload):
    at = open_deep(path, {param: payload})
    assert_clean(at)
    notes = [n for n in _notes(at) if param in n and "Ignored" in n]
    assert notes, _notes(at)
    for note in notes:
        assert active_parts(note) == [], note
        assert "`" in note, "the value is quoted in a code span"
    assert not [p for p in active_in(at) if "evil" in p[1] or "host.example" in p[1]]


@pytest.mark.parametrize("value", [
    LINK_AND_IMAGE, FORMULA_AND_CODES, "`` ` ``", "```\ncode\n```", "a\n\n# heading\n\n- item\n| a | b |\n|---|---|",
    "\x00\x1b[31m\u202eevil", "$x$", "\\$x\\$", ":streamlit:", "x" * 500, "", "   ", "`", "a`b``c```d",
])
def test_md_literal_renders_nothing_and_shows_the_value(value):
    text = md_literal(value)
    assert active_parts(f"Ignored {text}: reason.") == []
    assert "\n" not in text and "\x00" not in text and "\u202e" not in text
    assert len(text) < 90
    if value and value.isprintable() and len(value) <= 60 and value.strip():
        assert value in text  # quoted as given


@pytest.mark.parametrize("value", [
    LINK_AND_IMAGE, FORMULA_AND_CODES, "see http://evil.example/x and www.evil.example", "mail a@b.example",
    ":streamlit: :smile: :material/home: :red[x] :blue-background[y]", "$x$ and $$y$$", "<img src=x>",
    "# h\n\n1. a\n- b\n\n| a |\n|---|", "[a]: http://evil.example\n\n[a]",
])
def test_md_escape_renders_nothing(value):
    assert active_parts(md_escape(value)) == [], md_escape(value)


# --- arbitrary text in every parameter of every page --------------------------------------------------

PATHS = ["overview", *(p.id for p in CATALOGUE.priorities), "towns", "sounding-board", "workshop", "facilitate",
         "staff", "sources"]
KEYS = ["d", "cmp", "from", "to", "nb", "bm", "ind", "priority", "code", "workshop"]
PAYLOADS = [LINK_AND_IMAGE, FORMULA_AND_CODES, "²⁰²⁰", "9" * 5000, "-1", "2020.0", " 2020 ", "0x7e4",
            "E07000089,![i](http://h.example/i.png)", "england,<script>alert(1)</script>", "\x00\r\n\t\u202e",
            ":material/home: :streamlit:", "[a](javascript:alert(1))", "\\", "`", AREA.district_codes[0]]

values = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=80),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(max_size=20)),
    st.integers().map(str),
    st.text("0123456789²³¹⁰٠١٢٣۴", min_size=1, max_size=6),
)

_BASELINE: dict[str, set] = {}


def _baseline(path: str) -> set:
    if path not in _BASELINE:
        at = open_deep(path)
        assert_clean(at)
        _BASELINE[path] = active_in(at)
    return _BASELINE[path]


@settings(max_examples=24, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(path=st.sampled_from(PATHS), query=st.dictionaries(st.sampled_from(KEYS), values, min_size=1, max_size=4))
def test_arbitrary_query_parameters_never_raise_or_render(path, query):
    at = open_deep(path, query)
    assert not at.exception, [e.value for e in at.exception]
    new = active_in(at) - _baseline(path)
    assert not new, (new, query)
    server_paths = (str(PROJECT_ROOT), sys.prefix, os.path.dirname(os.environ["LIS_STORE_PATH"]))
    for body in bodies(at):
        for server_path in server_paths:
            assert server_path not in body, body
