"""The sounding board and its staff page, through the real form with AppTest.

The app under test writes to the temporary DuckDB file that tests/app/conftest.py names in
LIS_FEEDBACK_URL. AppTest runs the app in this process, and the DuckDB backend shares one
connection per file within a process (reference-counted), so `_rows` opens the same file through
lis_data.feedback.open_store while the app's cached store is open, without a lock conflict.
Rows from other tests share the file: every test finds its own rows by a unique marker.
"""

from __future__ import annotations

import os
import uuid

from streamlit.testing.v1 import AppTest

from lis_data import feedback
from page_helpers import CATALOGUE, assert_clean, run_page

BOARD = "sounding-board"
SEND = "Send to the LEP"
UNREACHABLE = "postgresql://127.0.0.1:1/none"
PASSWORD = "correct horse battery staple"


def _rows(marker: str | None = None):
    """Stored rows (hidden ones too), optionally those whose comment contains `marker`."""
    with feedback.open_store(os.environ["LIS_FEEDBACK_URL"]) as store:
        df = store.list(include_hidden=True)
    return df if marker is None else df[df["comment"].str.contains(marker, regex=False)]


def _marker() -> str:
    return f"mark-{uuid.uuid4().hex[:12]}"


_KINDS = {"priority": "selectbox", "respondent_type": "selectbox", "places": "multiselect",
          "comment": "text_area", "consent": "checkbox"}


def _fill(at: AppTest, **values) -> AppTest:
    for field, value in values.items():
        key = "sb_website" if field == "honeypot" else f"sb_{field}"
        getattr(at, _KINDS.get(field, "text_input"))(key=key).set_value(value)
    return at


def _valid(marker: str, **over) -> dict:
    return {"priority": "housing", "respondent_type": "business",
            "comment": f"The housing evidence misses starter homes near Woking station. {marker}", **over}


def _send(at: AppTest) -> AppTest:
    [button] = [b for b in at.button if b.label == SEND]
    return button.click().run()


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _reference(at: AppTest) -> str:
    [message] = [s.value for s in at.success if "reference" in s.value]
    return message.split("**")[1]


def _errors(at: AppTest) -> list[str]:
    return _texts(at.error)


# --- the form ---------------------------------------------------------------------------------

def test_valid_submission_is_stored_with_a_reference_and_the_form_is_cleared():
    m = _marker()
    at = run_page(BOARD)
    _clean(at)
    assert _texts(at.title) == ["Sounding board"]
    key_before = at.session_state["sb_submission_key"]
    _fill(at, **_valid(m, places=["E07000217", "Farnborough"], organisation="Acme Ltd",
                       evidence_url="https://www.example.org/report"))
    _send(at)
    _clean(at)
    assert not _errors(at), _errors(at)
    ref = _reference(at)
    rows = _rows(m)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["reference"] == ref and ref.startswith("SB-")
    assert row["priority"] == "housing" and row["respondent_type"] == "business"
    assert row["places"] == ["E07000217", "Farnborough"]
    assert row["organisation"] == "Acme Ltd" and row["evidence_url"] == "https://www.example.org/report"
    assert row["submission_key"] == key_before
    # Cleared for the next comment, under a new key.
    assert at.text_area(key="sb_comment").value == ""
    assert at.multiselect(key="sb_places").value == []
    assert at.session_state["sb_submission_key"] != key_before


def test_priority_is_preselected_from_the_link():
    at = run_page(BOARD, {"priority": "energy"})
    _clean(at)
    assert at.selectbox(key="sb_priority").value == "energy"
    assert not at.warning


def test_unknown_priority_in_the_link_is_a_visible_note():
    at = run_page(BOARD, {"priority": "<b>nonsense</b>"})
    _clean(at)
    assert at.selectbox(key="sb_priority").value is None
    notes = _texts(at.warning)
    assert any("does not have" in n for n in notes), notes
    assert not any("nonsense" in n for n in notes), "the raw parameter is not echoed"


def test_priority_page_links_to_the_board_with_its_priority():
    at = run_page("workforce")
    _clean(at)
    links = [link for link in at.get("page_link") if "sounding board" in link.value]
    assert len(links) == 1
    assert links[0].proto.page == BOARD
    assert "priority=workforce" in links[0].proto.query_string


def test_invalid_fields_show_errors_beside_them_and_keep_the_text():
    m = _marker()
    at = run_page(BOARD)
    typed = {"priority": "digital", "comment": f"  short {m}"[:9], "evidence_url": "ftp://files.example.org/x",
             "organisation": "Parish council", "email": "not-an-email", "consent": True}
    _fill(at, **typed)
    _send(at)
    _clean(at)
    errors = " | ".join(_errors(at))
    assert "too short" in errors
    assert "http" in errors  # the link
    assert "email address like" in errors
    assert "responding as" in errors  # respondent type missing
    assert "not been sent" in errors
    # The summary names every field at fault, with its error.
    summary = next(e for e in _errors(at) if "not been sent" in e)
    for name in ("**Your comment**", "**Link to evidence**", "**Your email**", "**You are responding as**"):
        assert name in summary, summary
    # Everything typed is still there.
    assert at.text_area(key="sb_comment").value == typed["comment"]
    assert at.text_input(key="sb_evidence_url").value == typed["evidence_url"]
    assert at.text_input(key="sb_organisation").value == "Parish council"
    assert at.text_input(key="sb_email").value == "not-an-email"
    assert at.selectbox(key="sb_priority").value == "digital"
    assert at.checkbox(key="sb_consent").value is True
    # The comment's error sits right after the comment box (and its hint).
    form = [n for n in _flatten(at.main) if getattr(n, "type", None) in ("text_area", "error", "caption",
                                                                         "text_input", "selectbox")]
    i = next(i for i, n in enumerate(form) if n.type == "text_area")
    assert form[i + 1].type == "caption" and form[i + 2].type == "error"
    assert "too short" in form[i + 2].value
    assert _rows(m).empty


def test_a_paste_past_the_limit_is_kept_and_the_person_told_by_how_much_to_shorten_it():
    """The box takes any length (a browser limit would silently drop a long paste); Send refuses
    a comment over 4,000 characters with how much to cut, keeping the text; 4,000 are accepted."""
    m = _marker()
    at = run_page(BOARD)
    box = at.text_area(key="sb_comment")
    assert not box.max_chars
    long = (m + " " + "y" * 4200)[:4123]
    _fill(at, priority="places", respondent_type="resident", comment=long)
    _send(at)
    _clean(at)
    assert at.text_area(key="sb_comment").value == long
    assert any("shorten it by 123 characters" in e for e in _errors(at)), _errors(at)
    assert _rows(m).empty
    at.text_area(key="sb_comment").set_value(long[:4000])
    _send(at)
    _clean(at)
    assert not _errors(at), _errors(at)
    assert len(_rows(m).iloc[0]["comment"]) == 4000


def test_a_comment_of_invisible_characters_is_refused():
    at = run_page(BOARD)
    _fill(at, priority="places", respondent_type="resident", comment="\u200b\u3164\u2800\u115f\u1160\uffa0" * 4)
    _send(at)
    _clean(at)
    assert any("no visible character" in e for e in _errors(at)), _errors(at)


def test_invisible_characters_do_not_count_towards_the_minimum():
    """`a` and nine zero-width spaces is one character to a reader: too short (issue 18)."""
    m = _marker()
    at = run_page(BOARD)
    _fill(at, priority="places", respondent_type="resident", comment="a" + "\u200b" * 9)
    _send(at)
    _clean(at)
    assert any("too short" in e and "invisible" in e for e in _errors(at)), _errors(at)
    at.text_area(key="sb_comment").set_value(f"Ten chars. {m}" + "\u200b" * 3)
    _send(at)
    assert not _errors(at), _errors(at)
    assert len(_rows(m)) == 1


def test_a_long_paste_into_organisation_or_name_is_kept_and_named_with_its_limit():
    """No max_chars on these boxes (a browser drops a longer paste without a word): Send names the
    field and the limit and keeps the text (issue 18)."""
    m = _marker()
    at = run_page(BOARD)
    for key in ("sb_organisation", "sb_name", "sb_email"):
        assert not at.text_input(key=key).max_chars, key
    org, name = "O" * 250, "N" * 201
    _fill(at, **_valid(m, organisation=org, name=name, email="ada@example.org", consent=True))
    _send(at)
    _clean(at)
    errors = [e.replace("\\", "").replace("\u2060", "") for e in _errors(at)]  # as md_escape shows them
    assert any(e.startswith("Organisation is 250 characters long; the limit is 200") and "by 50 characters" in e
               for e in errors), errors
    assert any(e.startswith("Your name is 201 characters long; the limit is 200") and "by 1 character:" in e
               for e in errors), errors
    assert at.text_input(key="sb_organisation").value == org and at.text_input(key="sb_name").value == name
    assert _rows(m).empty


def _flatten(node):
    children = getattr(node, "children", None)
    if not children:
        yield node
        return
    for child in children.values():
        yield from _flatten(child)


def test_name_and_email_need_the_consent_tick():
    m = _marker()
    at = run_page(BOARD)
    _fill(at, **_valid(m, name="Ada Lovelace", email="ada@example.org"))
    _send(at)
    _clean(at)
    assert any("consent" in e for e in _errors(at)), _errors(at)
    assert at.text_input(key="sb_name").value == "Ada Lovelace"
    assert _rows(m).empty
    at.checkbox(key="sb_consent").check()
    _send(at)
    _clean(at)
    assert not _errors(at), _errors(at)
    rows = _rows(m)
    assert len(rows) == 1
    assert rows.iloc[0]["name"] == "Ada Lovelace" and rows.iloc[0]["email"] == "ada@example.org"
    assert bool(rows.iloc[0]["consent"]) is True


def test_privacy_notice_names_the_removal_address():
    at = run_page(BOARD)
    assert any("LIS@enterprisem3.org.uk" in c.value and "removed" in c.value for c in at.caption)


def test_filled_honeypot_looks_like_success_and_stores_nothing():
    m = _marker()
    at = run_page(BOARD)
    _fill(at, **_valid(m), honeypot="http://spam.example")
    _send(at)
    _clean(at)
    assert _reference(at).startswith("SB-")
    assert _rows(m).empty


def test_double_submit_and_rerun_store_one_row():
    m = _marker()
    at = run_page(BOARD)
    _fill(at, **_valid(m))
    _send(at)
    first = _reference(at)
    # A second click that reaches the server with the same values after the first was stored.
    _fill(at, **_valid(m))
    _send(at)
    _clean(at)
    assert _reference(at) == first
    at.run()  # a plain rerun
    assert len(_rows(m)) == 1


def test_second_tap_after_the_form_cleared_keeps_the_acknowledgement():
    """Two taps on Send 120-400 ms apart: the second reaches the server after the first stored the
    comment and cleared the form, so it carries an empty form. The person still sees the first
    tap's acknowledgement and reference, once, and no error."""
    m = _marker()
    at = run_page(BOARD, {"priority": "housing"})
    _fill(at, **_valid(m))
    _send(at)
    first = _reference(at)
    assert at.text_area(key="sb_comment").value == ""
    _send(at)  # the second tap: the cleared form
    _clean(at)
    assert not _errors(at), _errors(at)
    assert not at.warning, _texts(at.warning)
    assert [s.value for s in at.success if "reference" in s.value] and _reference(at) == first
    assert len(_rows(m)) == 1
    # Whatever the timing: a tap carrying the old values (before the cleared form reached the
    # browser) is acknowledged with the same reference too.
    _fill(at, **_valid(m))
    _send(at)
    _clean(at)
    assert _reference(at) == first and not _errors(at)
    _send(at)
    assert _reference(at) == first and not _errors(at)
    assert len(_rows(m)) == 1
    # Something typed after the acknowledgement is a new comment and is checked as one.
    at.text_area(key="sb_comment").set_value("too short")
    _send(at)
    assert any("too short" in e for e in _errors(at))


def _fresh_throttles():
    from web import throttle

    throttle.reset_all()


def test_rate_limit_per_address_holds_across_sessions():
    """A reload (a new session) does not reset the limit: comments from one address are counted
    in the process, whatever the session. AppTest has no client address, so every session here
    is the one 'unknown' address."""
    _fresh_throttles()
    secrets = {"feedback_rate_limit": 100, "feedback_rate_limit_per_address": 2}
    marks = [_marker() for _ in range(3)]
    for m in marks:
        at = run_page(BOARD, secrets=secrets)  # a new session each time, as after a reload
        _fill(at, **_valid(m))
        _send(at)
        _clean(at)
    notes = _texts(at.warning)
    assert any("from your network" in n for n in notes), notes
    assert marks[2] in at.text_area(key="sb_comment").value
    assert [len(_rows(m)) for m in marks] == [1, 1, 0]
    _fresh_throttles()


def test_rate_limit_per_process():
    _fresh_throttles()
    secrets = {"feedback_rate_limit": 100, "feedback_rate_limit_per_process": 1}
    marks = [_marker() for _ in range(2)]
    for m in marks:
        at = run_page(BOARD, secrets=secrets)
        _fill(at, **_valid(m))
        _send(at)
        _clean(at)
    assert any("in total" in n for n in _texts(at.warning)), _texts(at.warning)
    assert [len(_rows(m)) for m in marks] == [1, 0]
    _fresh_throttles()


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_workshop_room_behind_one_router_is_never_blocked_by_the_defaults():
    """100 phones behind one address, each sending the per-session most (5) within 10 minutes."""
    from web import throttle
    from pages.sounding_board import RATE_LIMIT, RATE_LIMIT_PER_ADDRESS, RATE_LIMIT_PER_PROCESS, RATE_WINDOW_MINUTES

    clock = _Clock()
    per_address = throttle.SlidingWindow(RATE_LIMIT_PER_ADDRESS, RATE_WINDOW_MINUTES * 60, clock=clock)
    per_process = throttle.SlidingWindow(RATE_LIMIT_PER_PROCESS, RATE_WINDOW_MINUTES * 60, clock=clock)
    for _ in range(100 * RATE_LIMIT):
        assert per_address.take("203.0.113.7") == 0
        assert per_process.take("") == 0
        clock.now += 1.0  # 500 comments in 500 s, inside one window


def test_rate_limit_per_session():
    at = run_page(BOARD, secrets={"feedback_rate_limit": 2, "feedback_rate_window_minutes": 10})
    marks = [_marker() for _ in range(3)]
    for m in marks[:2]:
        _fill(at, **_valid(m))
        _send(at)
        assert not _errors(at), _errors(at)
    _fill(at, **_valid(marks[2]))
    _send(at)
    _clean(at)
    notes = _texts(at.warning)
    assert any("at most 2 comments" in n for n in notes), notes
    assert marks[2] in at.text_area(key="sb_comment").value
    assert [len(_rows(m)) for m in marks] == [1, 1, 0]


def test_store_unreachable_keeps_the_text_and_claims_nothing():
    m = _marker()
    at = run_page(BOARD, secrets={"feedback_url": UNREACHABLE})
    _clean(at)
    _fill(at, **_valid(m))
    key = at.session_state["sb_submission_key"]
    _send(at)
    _clean(at)
    errors = _errors(at)
    assert any("not** been saved" in e for e in errors), errors
    assert not at.success
    assert m in at.text_area(key="sb_comment").value
    assert _rows(m).empty
    # The store is back: Send again stores it once, under the same key.
    at.secrets = {}
    _send(at)
    _clean(at)
    assert _reference(at)
    rows = _rows(m)
    assert len(rows) == 1 and rows.iloc[0]["submission_key"] == key


def test_workshop_code_from_the_link_is_shown_and_stored():
    m = _marker()
    at = run_page(BOARD, {"workshop": "guildford-2026-03"})
    _clean(at)
    assert any("GUILDFORD\\-2026\\-03" in i.value and "workshop" in i.value for i in at.info), _texts(at.info)
    _fill(at, **_valid(m))
    _send(at)
    assert _rows(m).iloc[0]["workshop_code"] == "GUILDFORD-2026-03"


def test_invalid_workshop_code_is_a_note():
    at = run_page(BOARD, {"workshop": "x"})
    _clean(at)
    assert any("workshop code" in w.value for w in at.warning)
    assert not any("counted with this workshop" in i.value for i in at.info)


# --- the staff page --------------------------------------------------------------------------

def _staff(password: str | None = PASSWORD, entered: str | None = PASSWORD) -> AppTest:
    secrets = {"staff_password": password} if password else {"unrelated": "x"}
    at = run_page("staff", secrets=secrets)
    if entered is not None and password:
        at.text_input(key="staff_password_entry").input(entered)
        [button] = [b for b in at.button if b.label == "Open the staff page"]
        button.click().run()
    return at


def _listed(at: AppTest):
    """The list of submissions on the staff page (empty when none is listed)."""
    import pandas as pd

    tables = [d.value for d in at.dataframe if "Comment" in d.value.columns]
    return tables[0] if tables else pd.DataFrame({"Comment": [], "Priority": []})


def test_staff_page_without_a_password_configured_shows_no_feedback():
    at = _staff(password=None)
    _clean(at)
    assert any("No staff access is configured" in w.value for w in at.warning)
    assert not at.dataframe and not at.get("download_button")


def test_staff_page_refuses_a_wrong_password():
    at = _staff(entered="guess")
    _clean(at)
    assert any("not right" in e.value for e in at.error)
    assert not at.dataframe and not at.get("download_button")


def test_staff_page_lists_filters_hides_counts_and_downloads():
    m = _marker()
    board = run_page(BOARD)
    _fill(board, **_valid(m, priority="energy"))
    _send(board)
    [fid] = list(_rows(m)["id"])

    at = _staff()
    _clean(at)
    assert not at.error, _errors(at)
    table = _listed(at)
    assert m in " ".join(table["Comment"])
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download Parquet"]
    counts = next(d.value for d in at.dataframe if "Comments" in d.value.columns)
    with feedback.open_store(os.environ["LIS_FEEDBACK_URL"]) as store:
        expected = store.counts_by_priority()
    assert counts["Comments"].sum() == sum(expected.values())
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")

    # Filter by priority.
    at.selectbox(key="staff_f_priority").set_value("energy").run()
    table = _listed(at)
    assert set(table["Priority"]) == {f"{CATALOGUE.priority('energy').number}. {CATALOGUE.priority('energy').title}"}

    # Hide it, with a note: kept, left out of the list.
    at.selectbox(key="staff_moderate_id").set_value(fid).run()
    at.text_input(key="staff_moderation_note").input("test: spam")
    [hide] = [b for b in at.button if b.label == "Hide this submission"]
    hide.click().run()
    _clean(at)
    row = _rows(m).iloc[0]
    assert bool(row["hidden"]) and row["moderation_note"] == "test: spam"
    assert m not in " ".join(_listed(at)["Comment"])
    # ...and shown again from the list that includes hidden ones.
    at.checkbox(key="staff_f_hidden").check().run()
    assert m in " ".join(_listed(at)["Comment"])
    at.selectbox(key="staff_moderate_id").set_value(fid).run()
    [show] = [b for b in at.button if b.label == "Show it again"]
    show.click().run()
    assert not bool(_rows(m).iloc[0]["hidden"])


def test_html_and_script_are_stored_verbatim_and_shown_escaped():
    m = _marker()
    nasty = f"<script>alert('{m}')</script> **bold** [x](javascript:alert(1)) :red[red] $x$ '; DROP TABLE feedback; --"
    board = run_page(BOARD)
    _fill(board, priority="digital", respondent_type="other", comment=nasty)
    _send(board)
    _clean(board)
    assert _rows(m).iloc[0]["comment"] == nasty.strip()
    [fid] = list(_rows(m)["id"])

    at = _staff()
    at.selectbox(key="staff_moderate_id").set_value(fid).run()
    _clean(at)
    assert nasty.strip() in list(_listed(at)["Comment"])
    assert nasty.strip() in _texts(at.text)  # st.text: plain text
    for element in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success]:
        assert m not in element.value, "user text never goes through Markdown"
    for element in at.markdown:
        assert not element.proto.allow_html or "<style>" in element.value


def test_md_escape_neutralises_markdown():
    from ui.formatting import md_escape

    assert md_escape("**a** <b>") == r"\*\*a\*\* \<b\>"
    assert md_escape("plain text 123") == "plain text 123"


# --- any input through the real page (Hypothesis) ------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

_TRICKY = hs.sampled_from([
    "", "   ", "\t\n", "<script>alert(1)</script>", "'; DROP TABLE feedback;--", "**bold** [link](http://x)",
    "not-an-email@", "javascript:alert(1)", "ftp://example.org/file", "x" * 4100, "é漢字🙂 " * 3,
])
_TEXT = hs.one_of(_TRICKY, hs.text(max_size=300))


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(comment=_TEXT, organisation=_TEXT, evidence_url=_TEXT, email=_TEXT)
def test_any_input_through_the_page_is_stored_exactly_or_refused_with_the_text_kept(
        comment, organisation, evidence_url, email):
    marker = _marker()
    at = run_page(BOARD, secrets={"feedback_rate_limit": 1000})
    _fill(at, priority="housing", respondent_type="resident", comment=comment + marker,
          organisation=organisation, evidence_url=evidence_url, email=email, consent=True)
    typed = {k: at.text_input(key=f"sb_{k}").value for k in ("organisation", "evidence_url", "email")}
    typed["comment"] = at.text_area(key="sb_comment").value  # as the widget holds it
    _send(at)
    _clean(at)
    rows = _rows(marker)
    if _errors(at):
        assert len(rows) == 0, "refused, yet stored"
        # Everything the person typed is still there.
        assert at.text_area(key="sb_comment").value == typed["comment"]
        for k in ("organisation", "evidence_url", "email"):
            assert at.text_input(key=f"sb_{k}").value == typed[k]
    else:
        assert len(rows) == 1
        row = rows.iloc[0]
        assert row["comment"] == typed["comment"].strip()
        for k in ("organisation", "evidence_url", "email"):
            stored = row[k] if isinstance(row[k], str) else ""
            assert stored == typed[k].strip() or (not typed[k].strip() and stored == "")


def test_a_phone_from_the_short_code_gets_the_projectors_priority_and_a_short_form():
    """/j/CODE sends no priority: the form takes the one on the workshop's projector; the optional
    fields are folded under 'More'."""
    import os
    import uuid

    code = f"SHORT-{uuid.uuid4().hex[:6].upper()}"
    with feedback.open_store(os.environ["LIS_FEEDBACK_URL"]) as store:
        store.open_workshop(code, "teal-otter-42")
        store.drive_projector(code, priority="energy", indicators=["x"], vintage="v")
    at = run_page("sounding-board", {"workshop": code})
    assert_clean(at)
    assert at.selectbox(key="sb_priority").value == "energy"
    assert [e.label for e in at.main.expander] == ["More: places, organisation, a link, your name (all optional)"]
    [privacy] = [c.value for c in at.caption if "Anonymous unless you give your name" in c.value]
    assert privacy == "Anonymous unless you give your name. [Privacy notice](privacy)", "one line, with a link"
    assert not [t for t in at.text_input if t.key == "sb_code_box"], "no code box: the phone has joined"
    plain = run_page("sounding-board")
    assert [t.key for t in plain.text_input if t.key == "sb_code_box"] == ["sb_code_box"]
