"""A broken extract (half a Parquet file, truncated JSON, a missing file) gives every page that needs
the figures a clear message naming the file and the reason, never a traceback or a path; the details
go to the server log. The sounding board, which needs no figures, keeps working."""

from __future__ import annotations

import logging
import shutil

import pytest
from markdown_safety import bodies
from page_helpers import assert_clean, run_page

from lis_data.paths import extract_dir
from ui import data

FIGURE_PAGES = ["overview", "housing", "towns", "sources", "workshop"]


def _half(path):
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


DAMAGE = {
    "half-parquet": ("observations.parquet", _half),
    "truncated-indicators": ("indicators.json", _half),
    "missing-areas": ("areas.csv", lambda p: p.unlink()),
    "truncated-boundaries": ("boundaries.geojson", _half),
    "missing-observations": ("observations.parquet", lambda p: p.unlink()),
}


def _forget_the_figures() -> None:
    """The store and boundaries are held once per process: drop them so the next run reopens them."""
    data.store.clear()
    data.boundaries.clear()


def _break(damage: str, tmp_path, monkeypatch) -> str:
    name, how = DAMAGE[damage]
    extract = tmp_path / "extract"
    shutil.copytree(extract_dir(), extract)
    how(extract / name)
    monkeypatch.setenv("LIS_EXTRACT_DIR", str(extract))
    monkeypatch.setenv("LIS_STORE_PATH", str(tmp_path / "store" / "indicators.duckdb"))
    _forget_the_figures()
    return name


@pytest.fixture
def broken(request, tmp_path, monkeypatch):
    """broken(damage) breaks a copy of the extract; the real one is back after the test."""
    yield lambda damage: _break(damage, tmp_path, monkeypatch)
    monkeypatch.undo()
    _forget_the_figures()


# Every damage on the overview and on one other page that needs the figures (the pages share one guard).
CASES = [(damage, page) for i, damage in enumerate(DAMAGE)
         for page in ("overview", FIGURE_PAGES[1 + i % (len(FIGURE_PAGES) - 1)])]


@pytest.mark.parametrize("damage, path", CASES)
def test_pages_that_need_the_figures_say_so(broken, damage, path, tmp_path, caplog):
    name = broken(damage)
    caplog.set_level(logging.WARNING)
    at = run_page(path, {"priority": "housing", "code": "BASINGSTOKE-2026-12-03"} if path == "workshop" else None)
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any(e.startswith("The figures are unavailable:") for e in errors), errors
    assert any(name in e for e in errors), (name, errors)
    shown = "\n".join(bodies(at))
    assert str(tmp_path) not in shown and "/extract" not in shown, shown
    logged = "\n".join(r.getMessage() for r in caplog.records)
    reference = errors[0].rsplit("reference ", 1)[-1].rstrip(").")
    assert reference in logged and str(tmp_path) in logged, "the details are in the server log"


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_sounding_board_works_without_the_figures(broken, damage):
    broken(damage)
    at = run_page("sounding-board")
    assert_clean(at)
    assert [t.value for t in at.title] == ["Sounding board"]
    assert any(b.label == "Send to the LEP" for b in at.button)


def test_the_figures_come_back_when_the_extract_is_repaired(broken, monkeypatch):
    broken("half-parquet")
    at = run_page("overview")
    assert any(e.value.startswith("The figures are unavailable:") for e in at.error)
    monkeypatch.undo()
    _forget_the_figures()
    at = run_page("overview")
    assert_clean(at)
    assert at.metric, "the scorecard is back"
