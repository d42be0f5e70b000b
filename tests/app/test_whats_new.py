"""/whats-new over a changed release: a build with a revised figure and a new period shows both."""

from __future__ import annotations

import pytest
import streamlit as st

from lis_data.config import load_area, load_catalogue
from page_helpers import assert_clean, run_page
from synthetic_source import WOKING, build_changed_release


@pytest.fixture(scope="module")
def changed_app(tmp_path_factory):
    """The app reading a changed synthetic release (its own extract and store), caches cleared
    before and after so no other page test sees it."""
    tmp = tmp_path_factory.mktemp("whats-new")
    out, ind, old, new = build_changed_release(tmp, load_area(), load_catalogue())
    st.cache_data.clear()
    st.cache_resource.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIS_EXTRACT_DIR", str(out))
        mp.setenv("LIS_STORE_PATH", str(tmp / "store.duckdb"))
        yield out, ind, old, new
    st.cache_data.clear()
    st.cache_resource.clear()


def test_whats_new_shows_the_new_period_and_the_revision(changed_app):
    _, ind, old, new = changed_app
    at = run_page("whats-new", {"d": WOKING})
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    assert f"**{ind.label}**. New period: 2023; 1 figure revised (build of 2026-10-03)." in text
    tables = [t.value for t in at.dataframe]
    revised = [t for t in tables if t["Revised"].str.len().gt(0).any()]
    assert len(revised) == 1
    row = revised[0].iloc[0]
    assert (row["Area"], row["Period"], row["Revised"]) == ("Woking", "2023", f"2022: {old} → {new}")
    assert "since 2022" in row["Change"]


def test_whats_new_since_a_date_and_a_bad_date(changed_app):
    at = run_page("whats-new", {"d": WOKING, "since": "2026-11-01"})
    assert_clean(at)
    assert any("Nothing released since 2026-11-01" in i.value for i in at.info)
    at = run_page("whats-new", {"d": WOKING, "since": "not-a-date"})
    assert any("since parameter was ignored" in w.value for w in at.warning)
    assert at.dataframe  # falls back to the default date (90 days back), which the build of 2026-10-03 is after


@pytest.mark.parametrize("raw", ["2026-09-01\u202eQZEVIL", "\x1b[31mQZRED\x07", "2026-09-01\n", "\u2067QZ\u2069"])
def test_a_bad_since_is_noted_without_echoing_it(changed_app, raw):
    """Control and text-reversing characters sent in since= never reach the page."""
    at = run_page("whats-new", {"d": WOKING, "since": raw})
    assert_clean(at)
    notes = [w.value for w in at.warning if "since" in w.value]
    assert notes, [w.value for w in at.warning]
    shown = " ".join(notes + [m.value for m in at.markdown] + [i.value for i in at.info])
    for c in raw:
        if not c.isascii() or not c.isprintable():
            assert c not in shown, f"U+{ord(c):04X} echoed"
    assert "QZ" not in shown
    assert at.dataframe  # the default date, as for no parameter


def test_releases_come_from_the_datasets_metadata_with_the_judgement_then_and_now(changed_app):
    """The synthetic release's metadata dates every dataset 01/02/2025: since 2025-01-01 each indicator is
    named as released that day; since 2025-03-01 the indicators are listed for the logged build only."""
    at = run_page("whats-new", {"d": WOKING, "since": "2025-01-01"})
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    assert "Released 2025-02-01" in text
    many = len(at.dataframe)
    assert many > 1
    judged = [t.value.iloc[0]["Judgement"] for t in at.dataframe]
    assert any("(also " in j or "(was " in j for j in judged), judged
    at = run_page("whats-new", {"d": WOKING, "since": "2025-03-01"})
    assert "Released 2025-02-01" not in " ".join(m.value for m in at.markdown)
    assert "build of 2026-10-03" in " ".join(m.value for m in at.markdown)


def test_the_date_picker_sets_the_date_and_the_board_date_setting_is_the_default(changed_app, monkeypatch):
    at = run_page("whats-new", {"d": WOKING, "since": "2026-11-01"})
    assert str(at.date_input[0].value) == "2026-11-01"
    at.date_input[0].set_value(__import__("datetime").date(2025, 1, 1)).run()
    assert at.query_params["since"] == ["2025-01-01"] or at.query_params["since"] == "2025-01-01"
    assert len(at.dataframe) > 1
    monkeypatch.setenv("LIS_PREVIOUS_BOARD_DATE", "2025-01-15")
    at = run_page("whats-new", {"d": WOKING})
    assert str(at.date_input[0].value) == "2025-01-15"
    monkeypatch.setenv("LIS_PREVIOUS_BOARD_DATE", "15/01/2025")
    at = run_page("whats-new", {"d": WOKING})
    assert any("previous_board_date" in w.value for w in at.warning)
