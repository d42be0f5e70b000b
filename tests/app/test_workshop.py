"""Workshop mode: the QR code's payload, the preselected form it opens, the live tally, stepping
through the priorities."""

from __future__ import annotations

import io
import os

import pytest
from page_helpers import CATALOGUE, assert_clean, run_page
from PIL import Image

from lis_data import feedback
from pages.components.workshop_links import audience_base, form_url, qr_png

BASE = "http://192.168.1.20:8501"
CODE = "BASINGSTOKE-2026-12-03"
SECRETS = {"public_url": BASE}


def _decode(png: bytes) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1
    return found[0].text


def test_qr_code_decodes_to_the_form_url():
    url = form_url(BASE, "housing", CODE)
    assert url == f"{BASE}/sounding-board?priority=housing&workshop={CODE}"
    assert _decode(qr_png(url)) == url


@pytest.mark.parametrize("configured, page_url, expected", [
    ("http://10.0.0.5:8501/", "http://localhost:8501/workshop", "http://10.0.0.5:8501"),
    ("https://dash.example.org/em3", None, "https://dash.example.org/em3"),
    ("", "http://localhost:8501/workshop?code=X", "http://localhost:8501"),
    ("not a url", "http://127.0.0.1:9/x", "http://127.0.0.1:9"),
    (None, None, None),
])
def test_audience_address(configured, page_url, expected):
    assert audience_base(configured, page_url) == expected


def test_workshop_page_shows_the_qr_for_the_priority_and_code():
    at = run_page("workshop", {"priority": "housing", "code": CODE.lower()}, SECRETS)
    assert_clean(at)
    assert [t.value for t in at.title] == ["4. Housing supply and diversity"]
    payload = at.session_state["ws_qr_payload"]
    assert payload == f"{BASE}/sounding-board?priority=housing&workshop={CODE}"
    assert _decode(qr_png(payload)) == payload
    qr = [h.proto.body for h in at.get("html") if "data:image/png;base64," in h.proto.body]
    assert len(qr) == 1 and f"alt='QR code that opens the sounding-board form: {payload}'" in qr[0].replace("&amp;", "&")
    import base64
    import re
    assert _decode(base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", qr[0]).group(1))) == payload
    assert len(at.get("vega_lite_chart")) >= 3, "three headline charts"


def test_opening_the_qr_url_preselects_priority_and_workshop():
    at = run_page("sounding-board", {"priority": "housing", "workshop": CODE})
    assert_clean(at)
    assert at.selectbox(key="sb_priority").value == "housing"
    assert any(CODE in i.value.replace("\\", "") for i in at.info)


def _store():
    return feedback.open_store(os.environ["LIS_FEEDBACK_URL"])


def test_live_panel_shows_a_submission_made_after_the_first_render():
    code = "LIVE-TEST-1"
    at = run_page("workshop", {"priority": "digital", "code": code}, SECRETS)
    assert_clean(at)
    tally = [m for m in at.metric if code in m.label][0]
    before = int(tally.value)
    sub = feedback.validate_submission(
        {"priority": "digital", "respondent_type": "resident", "comment": "Mobile signal drops on the A31 near Alton.",
         "workshop_code": code, "submission_key": feedback.new_submission_key()},
        priorities=[p.id for p in CATALOGUE.priorities], places=[])
    assert isinstance(sub, feedback.Submission), sub
    receipt = _store().append(sub)
    at.run()  # the fragment's next refresh (AppTest has no timer; a rerun runs the fragment again)
    assert_clean(at)
    tally = [m for m in at.metric if code in m.label][0]
    assert int(tally.value) == before + 1
    # held for approval (a workshop code holds comments by default): counted, not shown
    assert not any("Mobile signal drops" in t.value for t in at.text)
    assert any("1 waiting for the facilitator's approval" in c.value for c in at.caption)
    _store().review_comment(receipt.id, "approved")
    at.run()
    assert any("Mobile signal drops" in t.value for t in at.text)


def test_latest_comments_are_plain_text_on_the_projector_with_bidi_controls_shown():
    """A bare URL or email in a comment is not a live link on the presenter's screen (Markdown
    autolinks them even when escaped), and a right-to-left override cannot reorder the text."""
    code = "LIVE-TEST-PLAIN"
    comment = "See www.evil.example and http://evil.example/x or mail me@evil.example \u202egnp.exe"
    sub = feedback.validate_submission(
        {"priority": "digital", "respondent_type": "resident", "comment": comment, "workshop_code": code,
         "submission_key": feedback.new_submission_key()},
        priorities=[p.id for p in CATALOGUE.priorities], places=[])
    _store().review_comment(_store().append(sub).id, "approved")
    at = run_page("workshop", {"priority": "digital", "code": code}, SECRETS)
    assert_clean(at)
    shown = [t.value for t in at.text]
    assert "See www.evil.example and http://evil.example/x or mail me@evil.example ⟨U+202E⟩gnp.exe" in shown
    for element in [*at.markdown, *at.caption]:
        assert "evil" not in element.value, "the comment never goes through Markdown"


def test_next_and_previous_keep_the_workshop_code():
    at = run_page("workshop", {"priority": "exports", "code": CODE}, SECRETS)
    at.button(key="ws_next").click().run()
    assert_clean(at)
    assert [t.value for t in at.title] == ["1. Innovation and commercialisation"]  # wraps round
    assert at.session_state["ws_qr_payload"].endswith(f"priority=innovation&workshop={CODE}")
    at.button(key="ws_prev").click().run()
    assert [t.value for t in at.title] == ["9. Exports and investment"]


def test_invalid_workshop_parameters_are_ignored_with_a_note():
    at = run_page("workshop", {"priority": "moon", "code": "no spaces allowed!"}, SECRETS)
    assert_clean(at)
    notes = " ".join(w.value for w in at.warning)
    assert "priority=moon" in notes and "no spaces allowed!" in notes
    assert any("workshop code" in i.value for i in at.info)
