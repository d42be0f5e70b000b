"""The facilitator's own question and the word cloud on the projector, in a real browser: at
1280×720 and 1920×1080 the question and every option, the results, and every word of a full cloud
(40 approved words, each with its count) lie inside the viewport and inside the cloud's box, with no
scrolling; counts at least 48 px high. Screenshots go to artifacts/e2e/."""

from __future__ import annotations

import uuid

import pytest
from conftest import assert_no_exception, new_page, screenshot, wait_for_app
from test_e2e_projector import _big_font_px, _inside, _no_scroll

from lis_data.feedback import open_store
from lis_data.feedback import own_questions

PIN = "e2e-own-question-pin"
OPTIONS = ("Skills for the jobs that are coming", "Homes people can afford", "Rail and bus links",
           "Faster broadband in rural areas", "Clean energy and retrofit", "Support for small exporters")
#: 40 words of different lengths, the most frequent sent by 14 phones (a full cloud).
WORDS = ("skills", "housing", "congestion", "innovation", "affordability", "green", "rail", "broadband",
         "productivity", "apprenticeships", "connectivity", "heathrow", "research", "startups", "retrofit",
         "wellbeing", "commuting", "universities", "countryside", "aerospace", "talent", "inequality",
         "digital", "investment", "gateway", "resilience", "exports", "warehouses", "cyber", "net-zero",
         "collaboration", "infrastructure", "young", "wages", "towns", "energy", "water", "growth",
         "opportunity", "community")


def _device(i: int) -> str:
    return f"e2e-own-device-{i:08d}"


def _answer(store, q, i: int, **kw) -> None:
    store.answer_question(own_questions.validate_own_answer(q, device_key=_device(i), answer_key=uuid.uuid4().hex, **kw))


def _on_slide(page) -> None:
    page.locator(".st-key-slide_question #em3-own-question").wait_for(timeout=30_000)
    wait_for_app(page, settle_ms=1500)


def _words_inside_cloud(page) -> int:
    """Every word of the cloud lies inside the cloud's box (its overflow is hidden: a word outside it
    would be cut off unseen). Returns how many words."""
    out = page.evaluate("""() => { const c = document.querySelector('#em3-cloud').getBoundingClientRect();
        return Array.from(document.querySelectorAll('#em3-cloud li')).map(e => { const r = e.getBoundingClientRect();
            return [e.textContent, r.left >= c.left - 0.5 && r.right <= c.right + 0.5 && r.top >= c.top - 0.5
                    && r.bottom <= c.bottom + 0.5]; }); }""")
    cut = [w for w, ok in out if not ok]
    assert not cut, f"words cut off by the cloud's box: {cut}"
    return len(out)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_own_question_and_word_cloud_fit_the_screen(browser, warm_server, size):
    url = warm_server["feedback_url"]
    code = f"E2E-OWN-{uuid.uuid4().hex[:6].upper()}"
    with open_store(url) as store:
        store.open_workshop(code, PIN)
        q = store.ask_question(code, own_questions.validate_question(
            "choice", "Which of these should the LEP put first in the next five years?", options=list(OPTIONS)))
        for i in range(23):
            _answer(store, q, i, choice=OPTIONS[i % 4 if i % 3 else 1])
        store.drive_projector(code, slide="question")
    w, h = size
    page = new_page(browser, w, h)
    page.goto(f"{warm_server['url']}/workshop?code={code}")
    wait_for_app(page)
    assert_no_exception(page)
    page.evaluate("window.__marker = 'projector'")

    _on_slide(page)
    _inside(page, "#em3-own-question")
    assert _inside(page, ".em3-options li", len(OPTIONS)) == len(OPTIONS)
    _inside(page, ".em3-big")
    assert page.locator(".em3-big").first.inner_text() == "23"
    assert _big_font_px(page, ".em3-big") >= 48, "the count at least 48 px high"
    _no_scroll(page, "question")
    screenshot(page, f"projector-own-question-{w}x{h}", full_page=False)

    with open_store(url) as store:
        store.reveal_question(q.id)
        store.drive_projector(code, slide="question")
    page.locator("#em3-own-results").wait_for(timeout=30_000)
    wait_for_app(page, settle_ms=1500)
    assert _inside(page, "#em3-own-results tr", len(OPTIONS)) == len(OPTIONS)
    assert _big_font_px(page, ".em3-big") >= 48
    _no_scroll(page, "question results")
    screenshot(page, f"projector-own-results-{w}x{h}", full_page=False)

    with open_store(url) as store:
        cloud = store.ask_question(code, own_questions.validate_question("words", "One word for what this area needs most?"))
        device = 0
        for rank, word in enumerate(WORDS):
            for _ in range(max(1, 14 - rank // 2)):
                _answer(store, cloud, device, word=word)
                device += 1
        _answer(store, cloud, device, word="held")  # not approved: never on the cloud
        store.review_words(cloud.id, list(WORDS), "approved")
        store.drive_projector(code, slide="question")
    page.locator("#em3-cloud li").first.wait_for(timeout=30_000)
    wait_for_app(page, settle_ms=1500)
    assert _words_inside_cloud(page) == len(WORDS)
    assert _inside(page, "#em3-cloud li", len(WORDS)) == len(WORDS)
    assert "held" not in [t.split("\n")[0] for t in page.locator("#em3-cloud li").all_inner_texts()]
    assert page.locator("#em3-cloud li sup").count() == len(WORDS), "each word with its count"
    assert page.locator("#em3-cloud-table tbody tr").count() == len(WORDS), "a table behind the cloud"
    assert _big_font_px(page, ".em3-big") >= 48
    _no_scroll(page, "word cloud")
    screenshot(page, f"projector-word-cloud-{w}x{h}", full_page=False)
    assert page.evaluate("window.__marker") == "projector", "the projector never reloaded"
    page.context.close()


def test_the_phone_shows_one_question_with_large_targets(browser, warm_server):
    """A rating question on a phone: every point and Send at least 48 px high, no poll beside it; a
    word sent from the phone reaches the projector's cloud only once approved."""
    url = warm_server["feedback_url"]
    code = f"E2E-OWNP-{uuid.uuid4().hex[:6].upper()}"
    with open_store(url) as store:
        store.open_workshop(code, PIN)
        q = store.ask_question(code, own_questions.validate_question("rating", "How clear was the evidence?", scale=5,
                                                                     low_label="Not clear", high_label="Very clear"))
    phone = new_page(browser, 390, 844)
    phone.goto(f"{warm_server['url']}/sounding-board?workshop={code}")
    wait_for_app(phone)
    box = phone.locator(".st-key-aud_question")
    box.get_by_text("How clear was the evidence?").wait_for(timeout=30_000)
    labels = box.locator("[role='radiogroup'] label")
    labels.nth(4).wait_for(timeout=30_000)
    wait_for_app(phone)
    assert labels.count() == 5
    heights = [labels.nth(i).bounding_box()["height"] for i in range(5)]
    send = box.get_by_role("button", name="Send my answer")
    assert min(heights) >= 48 and send.bounding_box()["height"] >= 48, (heights, send.bounding_box())
    assert phone.locator(".st-key-aud_poll").count() == 0, "one question on the screen"
    labels.nth(4).click()
    send.click()
    phone.get_by_text("Thank you: your answer is counted.").wait_for(timeout=30_000)
    with open_store(url) as store:
        assert [a["rating"] for a in store.question_answers(q.id)] == [5]
    screenshot(phone, "phone-own-question", full_page=False)
    phone.context.close()


def test_the_facilitator_asks_a_word_question_from_a_phone_and_approves_the_words(browser, warm_server):
    """From /facilitate on a phone: type a one-word question, ask it; words sent meanwhile wait; 'Approve
    all shown' puts them on the projector's cloud, which follows without a reload."""
    from test_e2e_projector import _sign_in

    base, url = warm_server["url"], warm_server["feedback_url"]
    code = f"E2E-OWNF-{uuid.uuid4().hex[:6].upper()}"
    with open_store(url) as store:
        store.open_workshop(code, "e2e-projector-pin")  # the PIN _sign_in types
    projector = new_page(browser, 1280, 720)
    projector.goto(f"{base}/workshop?code={code}")
    wait_for_app(projector)
    projector.evaluate("window.__marker = 'projector'")
    facilitator = new_page(browser, 390, 844)
    _sign_in(facilitator, base, code)
    facilitator.get_by_text("One word (word cloud)").click()
    wait_for_app(facilitator)
    facilitator.get_by_label("Question", exact=True).fill("One word for the area?")
    facilitator.get_by_role("button", name="Ask on the projector").click()
    projector.locator("#em3-own-question", has_text="One word for the area?").wait_for(timeout=30_000)
    with open_store(url) as store:
        q = store.latest_question(code, open_only=True)
        for i, word in enumerate(("skills", "skills", "rail")):
            _answer(store, q, i, word=word)
    approve = facilitator.get_by_role("button", name="Approve all 2 shown")
    approve.wait_for(timeout=30_000)
    facilitator.get_by_text("Words waiting (2)").scroll_into_view_if_needed()
    screenshot(facilitator, "facilitator-own-question-phone", full_page=False)
    approve.click()
    projector.locator("#em3-cloud li", has_text="skills").wait_for(timeout=30_000)
    assert projector.locator("#em3-cloud li").count() == 2
    assert projector.evaluate("window.__marker") == "projector", "the projector never reloaded"
    with open_store(url) as store:
        assert store.word_states(q.id) == {"skills": "approved", "rail": "approved"}
    for p in (facilitator, projector):
        p.context.close()
