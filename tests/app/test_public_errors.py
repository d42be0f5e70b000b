"""Public pages never show a store's internal error: they say "temporarily unavailable" with a short
reference, and the details (redacted) go to the server log under that reference."""

from __future__ import annotations

import logging
import re

import pytest
from markdown_safety import bodies
from page_helpers import run_page

from ui import public_errors

SECRET_BITS = ("s3cret", "127.0.0.1", "feedbackdb", "staffuser", "5433")
UNREACHABLE = "postgresql://staffuser:s3cret@127.0.0.1:1/feedbackdb"
WORKSHOP = {"priority": "housing", "code": "BASINGSTOKE-2026-12-03"}
REF = re.compile(r"\b[0-9a-f]{8}\b")


def _shown(at) -> str:
    return "\n".join(bodies(at))


def _assert_reference_logged(text: str, caplog) -> str:
    refs = REF.findall(text)
    assert refs, text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert refs[-1] in logged, logged
    return logged


def test_workshop_live_panel_hides_the_store_error(caplog):
    caplog.set_level(logging.WARNING)
    at = run_page("workshop", WORKSHOP, secrets={"public_url": "http://192.168.1.20:8501",
                                                  "feedback_url": UNREACHABLE})
    assert not at.exception
    shown = _shown(at)
    assert "temporarily unavailable" in shown
    for bit in SECRET_BITS:
        assert bit not in shown, bit
    logged = _assert_reference_logged(shown, caplog)
    assert "s3cret" not in logged, "the log is redacted"
    assert "127.0.0.1" in logged, "the log has the details"


def test_workshop_live_panel_hides_a_file_path(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    at = run_page("workshop", WORKSHOP, secrets={"public_url": "http://192.168.1.20:8501",
                                                  "feedback_url": f"sqlite://{blocker}/feedback.sqlite"})
    assert not at.exception
    shown = _shown(at)
    assert "temporarily unavailable" in shown
    assert str(tmp_path) not in shown and "not-a-folder" not in shown
    _assert_reference_logged(shown, caplog)


def test_sounding_board_gives_a_reference_when_the_store_is_down(caplog):
    caplog.set_level(logging.WARNING)
    at = run_page("sounding-board", {"priority": "housing"}, secrets={"feedback_url": UNREACHABLE})
    at.selectbox(key="sb_respondent_type").set_value("business")
    at.text_area(key="sb_comment").set_value("The housing evidence misses starter homes near Woking station.")
    [send] = [b for b in at.button if b.label == "Send to the LEP"]
    send.click().run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "not** been saved" in errors
    for bit in SECRET_BITS:
        assert bit not in _shown(at), bit
    logged = _assert_reference_logged(errors, caplog)
    assert "s3cret" not in logged


def test_report_logs_a_redacted_traceback_under_a_fresh_reference(caplog):
    caplog.set_level(logging.WARNING)
    try:
        raise RuntimeError("cannot connect to postgresql://u:hunter2@db.internal:5432/x")
    except RuntimeError as exc:
        first, second = public_errors.report("The test store", exc), public_errors.report("The test store", exc)
    assert REF.fullmatch(first) and first != second
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert first in logged and "db.internal" in logged and "hunter2" not in logged
    assert "Traceback" in logged


@pytest.mark.parametrize("what", ["The live tally", "Figures"])
def test_public_message_names_no_detail(what):
    text = public_errors.message(what, "0123abcd")
    assert what in text and "temporarily unavailable" in text and "0123abcd" in text


def test_uncaught_errors_show_no_details_in_the_browser():
    """Defence in depth: whatever a page fails to catch, the browser gets a generic message only."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
