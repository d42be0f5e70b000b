"""Workshop mode, the projector: the QR code encodes the short join address (public_url), the code
shown under it; the projector follows the workshop's state set by the facilitator; it never shows
set-up (no PIN field, no facilitator link, no settings panel) and never opens a workshop; only the
facilitator's projector (opened with the projector key) records what the room sees and answers
keyboard shortcuts; comments on the wall are escaped text with bidi controls shown."""

from __future__ import annotations

import base64
import io
import re
import uuid

import pytest
from page_helpers import CATALOGUE, assert_clean, feedback_store, run_page
from PIL import Image

from lis_data import feedback
from ui.workshop_links import audience_base, join_url, qr_png

BASE = "http://192.168.1.20:8501"
CODE = "BASINGSTOKE-2026-12-03"
PIN = "teal-otter-42"
SECRETS = {"public_url": BASE}
IDS = [p.id for p in CATALOGUE.priorities]


def _decode(png: bytes) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1
    return found[0].text




def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _qr_payload(at) -> str:
    found = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", _html(at))
    assert len(found) == 1, "one QR code"
    return _decode(base64.b64decode(found[0]))


def _comment(code: str, text: str, priority: str = "digital"):
    sub = feedback.validate_submission(
        {"priority": priority, "respondent_type": "resident", "comment": text, "workshop_code": code,
         "submission_key": feedback.new_submission_key()}, priorities=IDS, places=[])
    assert isinstance(sub, feedback.Submission), sub
    return feedback_store().append(sub)


def test_qr_code_decodes_to_the_join_address():
    url = join_url(BASE, CODE)
    assert url == f"{BASE}/j/{CODE}"
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


def test_evidence_slide_has_the_qr_to_the_public_url_and_the_code_in_large_type():
    feedback_store().open_workshop(CODE, PIN)  # (already open when the store is shared: unchanged)
    at = run_page("workshop", {"priority": "housing", "code": CODE.lower()}, SECRETS)
    assert_clean(at)
    html = _html(at)
    assert "4. Housing supply and diversity" in html
    assert _qr_payload(at) == f"{BASE}/j/{CODE}" == at.session_state["ws_qr_payload"]
    assert f"192.168.1.20:8501/j/{CODE}<b>{CODE}</b>" in html, "the short address, then the code in large type"
    assert len(at.get("vega_lite_chart")) == 2, "two headline charts beside the QR code"


def test_the_projector_never_shows_set_up_nor_opens_a_workshop():
    """Issue 18 and 21: the projected page has no PIN field, no 'open the workshop', no facilitator
    link and no settings panel, whether the workshop is open or not; and visiting it opens nothing."""
    code = f"NEVER-CLAIMED-{uuid.uuid4().hex[:6].upper()}"
    for opened in (False, True):
        at = run_page("workshop", {"priority": "housing", "code": code}, SECRETS)
        assert_clean(at)
        main = at.main  # the sidebar holds the dashboard's shared district filter, not set-up
        assert not main.text_input, [t.label for t in main.text_input]
        assert not main.toggle and not main.expander
        assert not [b for b in main.button if "Open" in b.label]
        every_text = _html(at) + " ".join(m.value for m in [*at.markdown, *at.caption, *at.warning, *at.info])
        # what a person reads: without images' data (a QR code's base64 may hold "PIN" by chance)
        # and style sheets
        shown = re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+|<style>.*?</style>", "", every_text, flags=re.S)
        assert not re.search(r"\bfacilitate\b", shown) and not re.search(r"\bPIN\b", shown), shown[:2000]
        if not opened:
            assert feedback_store().workshop(code) is None, "nobody claims a code by visiting the projector"
            feedback_store().open_workshop(code, PIN)


def test_an_anonymous_visit_does_not_rewrite_the_recorded_screen():
    """Issue 18: /workshop?code=...&priority=... by anyone used to rewrite the screen stored with every
    poll answer. The projector follows the facilitator's priority and writes nothing."""
    code = f"SCREEN-KEPT-{uuid.uuid4().hex[:6].upper()}"
    feedback_store().open_workshop(code, PIN)
    feedback_store().drive_projector(code, priority="housing", indicators=["house-price-ratio"], vintage="v1")
    before = feedback_store().workshop(code)
    at = run_page("workshop", {"priority": "energy", "code": code}, SECRETS)
    assert_clean(at)
    after = feedback_store().workshop(code)
    assert (after.screen_priority, after.screen_indicators, after.screen_vintage, after.state_seq) == \
        ("housing", ("house-price-ratio",), "v1", before.state_seq)
    assert "4. Housing supply and diversity" in _html(at), "the projector shows what the facilitator chose"


def test_the_facilitators_projector_records_the_screen_and_answers_shortcuts():
    code = f"KEYED-PROJ-{uuid.uuid4().hex[:6].upper()}"
    feedback_store().open_workshop(code, PIN)
    key = feedback_store().new_projector_key(code)
    at = run_page("workshop", {"priority": "energy", "code": code, "key": key}, SECRETS)
    assert_clean(at)
    assert "key" not in at.query_params, "the key leaves the address bar"
    w = feedback_store().workshop(code)
    assert w.screen_priority == "energy" and len(w.screen_indicators) == 2
    shortcuts = {b.key: b for b in at.button}
    assert shortcuts["proj_next_priority"].proto.shortcut.lower() in ("right", "arrowright")
    shortcuts["proj_next_priority"].click().run()
    assert feedback_store().workshop(code).screen_priority == "digital"
    at.button(key="proj_slide_wall").click().run()
    assert feedback_store().workshop(code).slide == "wall"
    assert_clean(at)
    # a new key (from the facilitator view) revokes this projector's
    feedback_store().new_projector_key(code)
    at.button(key="proj_next_slide").click().run()
    assert feedback_store().workshop(code).slide == "wall"


def test_a_wrong_projector_key_records_nothing():
    code = f"KEYED-PROJ-{uuid.uuid4().hex[:6].upper()}"
    feedback_store().open_workshop(code, PIN)
    feedback_store().new_projector_key(code)
    at = run_page("workshop", {"priority": "energy", "code": code, "key": "x" * 43}, SECRETS)
    assert any("out of date" in w.value for w in at.warning)
    assert feedback_store().workshop(code).screen_priority is None
    assert not [b for b in at.button if b.key and b.key.startswith("proj_")]


def test_the_projector_follows_the_facilitator_and_the_wall_shows_new_comments():
    code = f"LIVE-TEST-{uuid.uuid4().hex[:6].upper()}"
    feedback_store().open_workshop(code, PIN)
    at = run_page("workshop", {"code": code}, SECRETS)
    assert_clean(at)
    assert "st-key-slide_evidence" not in _html(at)  # the container key is on the element, not in html
    feedback_store().drive_projector(code, slide="wall")
    at.run()  # the live fragment's next run: it sees the change and redraws the page
    at.run()
    assert "What the room says" in _html(at)
    receipt = _comment(code, "Mobile signal drops on the A31 near Alton.")
    at.run()
    assert "Mobile signal drops" not in _html(at), "held: not on the wall"
    assert "1 waiting for approval" in _html(at)
    feedback_store().review_comment(receipt.id, "approved")
    at.run()
    assert "Mobile signal drops on the A31 near Alton." in _html(at)


def test_comments_on_the_wall_are_escaped_text_with_bidi_controls_shown():
    """No link, image or markup from a comment reaches the projector, and a right-to-left override
    cannot reorder the text."""
    code = f"LIVE-TEST-{uuid.uuid4().hex[:6].upper()}"
    feedback_store().open_workshop(code, PIN)
    comment = "See http://evil.example/x <img src=x onerror=alert(1)> [a](http://evil.example) \u202egnp.exe"
    feedback_store().review_comment(_comment(code, comment).id, "approved")
    feedback_store().drive_projector(code, slide="wall")
    at = run_page("workshop", {"code": code}, SECRETS)
    assert_clean(at)
    html = _html(at)
    assert ("See http://evil.example/x &lt;img src=x onerror=alert(1)&gt; [a](http://evil.example) "
            "⟨U+202E⟩gnp.exe") in html
    assert "<img src=x" not in html and "<a " not in html and "\u202e" not in html
    for element in [*at.markdown, *at.caption]:
        assert "evil" not in element.value, "the comment never goes through Markdown"


def test_without_a_code_the_projector_steps_through_the_evidence():
    at = run_page("workshop", {"priority": "exports"}, SECRETS)
    assert_clean(at)
    at.button(key="ws_next").click().run()
    assert "1. Innovation and commercialisation" in _html(at)  # wraps round
    at.button(key="ws_prev").click().run()
    assert "9. Exports and investment" in _html(at)
    assert "data:image/png" not in _html(at), "no code, no QR code"


def test_invalid_workshop_parameters_are_ignored_with_a_note():
    at = run_page("workshop", {"priority": "moon", "code": "no spaces allowed!"}, SECRETS)
    assert_clean(at)
    notes = " ".join(w.value for w in at.warning)
    assert "priority=moon" in notes and "no spaces allowed!" in notes
