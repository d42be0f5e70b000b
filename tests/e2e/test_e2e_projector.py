"""The projector in a real browser (issue 21): every slide fits 1280×720 and 1920×1080 with no
scrolling (bounding boxes of the QR code, the question and every option, the results, the shift,
the matrix, eight comments on the wall); the facilitator drives it from a phone-sized page and it
follows without a reload; the facilitator's projector answers the arrow keys; 40 held comments
approved in one action all reach the wall; the room's address: on loopback the facilitator is
warned and the room is not, and once an address is set the QR code on the screen decodes to it.
Screenshots of each slide go to artifacts/e2e/."""

from __future__ import annotations

import io
import re
import time
import uuid

import pytest
from conftest import assert_no_exception, new_page, screenshot, wait_for_app

from lis_data.feedback import open_store, validate_submission
from lis_data.feedback import polls

PIN = "e2e-projector-pin"
PHONE = (390, 844)
IDS = ["innovation", "workforce", "places", "housing", "gateways", "energy", "digital", "connections", "exports"]
SLIDES = ("evidence", "poll", "results", "shift", "matrix", "wall")
FOLLOW_S = 5.0


def _comment(store, code: str, i: int, priority: str = "housing"):
    text = (f"Comment {i}: young people leave Rushmoor because starter homes cost twelve times local wages, "
            f"and the evidence says nothing of commuting costs ({uuid.uuid4().hex[:4]})")
    return store.append(validate_submission({"priority": priority, "respondent_type": "resident", "comment": text,
                                             "workshop_code": code, "submission_key": uuid.uuid4().hex},
                                            priorities=IDS, places=[]))


def _workshop_with_results(url: str) -> str:
    """A workshop with 16 approved comments (two full pages of the wall) and two revealed rounds of 'How is the area doing?'."""
    code = f"E2E-PROJ-{uuid.uuid4().hex[:6].upper()}"
    with open_store(url) as store:
        store.open_workshop(code, PIN)
        store.review_comments(code, [_comment(store, code, i, IDS[i % 9]).id for i in range(16)], "approved")
        for rnd in range(2):
            poll = store.open_poll(code, "performance", "housing")
            for d in range(15):
                store.answer_poll(polls.validate_answer(
                    poll, device_key=f"e2e-proj-device-{rnd}-{d:06d}", answer_key=f"e2e-{rnd}-{d}-{uuid.uuid4().hex[:8]}",
                    priority="housing", rating=1 + (d + 2 * rnd) % 5, priorities=IDS))
            store.reveal_poll(poll.id)
        # the slide "poll" shows the latest poll: open a fresh one (top three, nine options) for it
        store.drive_projector(code, priority="housing", indicators=["x"], vintage="v")
    return code


def _inside(page, selector: str, at_least: int = 1) -> int:
    """How many elements matching `selector` lie wholly inside the viewport (asserts at least `at_least`)."""
    boxes = page.evaluate(
        """sel => Array.from(document.querySelectorAll(sel)).map(e => { const r = e.getBoundingClientRect();
               return [r.left, r.top, r.right, r.bottom, r.width, r.height]; })""", selector)
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    inside = [b for b in boxes if b[4] > 0 and b[5] > 0 and b[0] >= -0.5 and b[1] >= -0.5 and b[2] <= vw + 0.5
              and b[3] <= vh + 0.5]
    assert len(inside) >= at_least, f"{selector}: {len(inside)} of {len(boxes)} inside {vw}x{vh}: {boxes}"
    return len(inside)


def _no_scroll(page, slide: str = "") -> None:
    sizes = page.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
        return [m.scrollHeight, m.clientHeight, document.documentElement.scrollHeight, window.innerHeight]; }""")
    if not (sizes[0] <= sizes[1] + 1 and sizes[2] <= sizes[3] + 1):
        vw, vh = page.viewport_size["width"], page.viewport_size["height"]
        screenshot(page, f"projector-scrolls-{slide}-{vw}x{vh}", full_page=False)
        raise AssertionError(f"the {slide or ''} slide scrolls: {sizes}")


def _big_font_px(page, selector: str) -> float:
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")


def _drive(url: str, code: str, **change) -> None:
    with open_store(url) as store:
        store.drive_projector(code, **change)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_every_slide_fits_the_screen(browser, warm_server, size):
    url = warm_server["feedback_url"]
    code = _workshop_with_results(url)
    with open_store(url) as store:
        top3 = store.open_poll(code, "top3", "all")  # the poll slide shows it with its nine options
        store.answer_poll(polls.validate_answer(top3, device_key="e2e-proj-top3-000001", answer_key=uuid.uuid4().hex,
                                                priority="housing", choices=IDS[:3], priorities=IDS))
    page = new_page(browser, *size)
    page.goto(f"{warm_server['url']}/workshop?code={code}")
    wait_for_app(page)
    assert_no_exception(page)
    page.evaluate("window.__marker = 'projector'")
    w, h = size
    checks = {
        "evidence": lambda: (_inside(page, "#em3-qr img"), _inside(page, "#em3-join b"),
                             _inside(page, "[data-testid='stVegaLiteChart']", 2)),
        "poll": lambda: (_inside(page, "#em3-poll-question"), _inside(page, ".em3-options li", 9),
                         _inside(page, ".em3-big")),
        "results": lambda: (_inside(page, "#em3-results"), _inside(page, "#em3-results tr", 9),
                            _inside(page, ".em3-big")),
        "shift": lambda: (_inside(page, "#em3-shift"), _inside(page, "#em3-shift tr", 10), _inside(page, ".em3-big", 2)),
        "matrix": lambda: (_inside(page, ".st-key-em3_matrix [data-testid='stVegaLiteChart']"),
                           _inside(page, "#em3-matrix-table tr", 10)),
        "wall": lambda: _inside(page, ".em3-card", 8),
    }
    for slide in SLIDES:
        if slide == "results":
            with open_store(url) as store:
                store.reveal_poll(top3.id)
        _drive(url, code, slide=slide)
        page.locator(f".st-key-slide_{slide}").wait_for(timeout=30_000)
        wait_for_app(page, settle_ms=1500)
        checks[slide]()
        _no_scroll(page, slide)
        if slide in ("poll", "results", "shift"):
            assert _big_font_px(page, ".em3-big") >= 48, "counts and means at least 48 px high"
        screenshot(page, f"projector-{slide}-{w}x{h}", full_page=False)
    assert page.evaluate("window.__marker") == "projector", "the projector never reloaded"
    assert not page.blocked
    page.context.close()


def _sign_in(page, base: str, code: str) -> None:
    page.goto(f"{base}/facilitate?code={code}")
    wait_for_app(page)
    page.get_by_label("Workshop PIN").fill(PIN)
    page.get_by_role("button", name="Open the facilitator view").click()
    page.get_by_text("Hold comments for approval").wait_for()
    wait_for_app(page)


def _seconds_until(page, selector: str, text: str | None = None, timeout: float = 30) -> float:
    t0 = time.monotonic()
    loc = page.locator(selector)
    if text is not None:
        loc = loc.filter(has_text=text)
    loc.first.wait_for(timeout=timeout * 1000)
    return time.monotonic() - t0


def test_the_facilitator_drives_the_projector_from_a_phone(browser, warm_server):
    base, url = warm_server["url"], warm_server["feedback_url"]
    code = _workshop_with_results(url)
    facilitator = new_page(browser, *PHONE)
    _sign_in(facilitator, base, code)
    # the facilitator's projector: opened from the facilitator view's projector link
    facilitator.get_by_role("button", name="New projector link").click()
    link = facilitator.get_by_role("link", name=re.compile("Open the projector"))
    link.wait_for()
    href = link.get_attribute("href")
    projector = new_page(browser, 1280, 720)
    projector.goto(f"{base}/{href}")
    wait_for_app(projector)
    assert "key=" not in projector.url, "the key leaves the address bar"
    projector.evaluate("window.__marker = 'projector'")
    timings = {}
    with open_store(url) as store:
        start = store.workshop(code).screen_priority
    nxt = IDS[(IDS.index(start) + 1) % 9]
    facilitator.get_by_role("button", name="Next priority").click()
    timings["next priority"] = _seconds_until(projector, ".em3-topline", f"Priority {IDS.index(nxt) + 1} of 9")
    facilitator.get_by_role("button", name="Show: Results").click()
    timings["results"] = _seconds_until(projector, "#em3-results")
    facilitator.get_by_role("button", name="Show: Wall of comments").click()
    timings["wall"] = _seconds_until(projector, ".em3-card")
    screenshot(facilitator, "facilitator-driving-phone", full_page=True)
    assert all(t <= FOLLOW_S for t in timings.values()), timings
    # the facilitator's projector answers the keyboard (a presenter clicker sends Page Down)
    projector.mouse.click(640, 700)  # focus the page (not a control)
    projector.keyboard.press("ArrowRight")
    after = IDS[(IDS.index(nxt) + 1) % 9]
    timings["arrow key"] = _seconds_until(projector, ".em3-topline", f"Priority {IDS.index(after) + 1} of 9")
    projector.keyboard.press("PageUp")
    timings["page up"] = _seconds_until(projector, ".st-key-slide_matrix")
    with open_store(url) as store:
        w = store.workshop(code)
    assert (w.screen_priority, w.slide) == (after, "matrix"), "recorded by the facilitator's projector"
    assert projector.evaluate("window.__marker") == "projector", "no reload"
    print("projector followed in", {k: round(v, 1) for k, v in timings.items()})
    for p in (facilitator, projector):
        p.context.close()


def test_forty_held_comments_approved_in_one_action_reach_the_wall(browser, warm_server):
    base, url = warm_server["url"], warm_server["feedback_url"]
    code = f"E2E-BULK-{uuid.uuid4().hex[:6].upper()}"
    with open_store(url) as store:
        store.open_workshop(code, PIN)
        ids = [_comment(store, code, i).id for i in range(40)]
        store.drive_projector(code, slide="wall")
    projector = new_page(browser, 1280, 720)
    projector.goto(f"{base}/workshop?code={code}")
    wait_for_app(projector)
    projector.get_by_text("(0 on the wall · 40 waiting for approval").wait_for(timeout=30_000)
    facilitator = new_page(browser, *PHONE)
    _sign_in(facilitator, base, code)
    facilitator.get_by_role("button", name="Approve all 40 shown").click()
    facilitator.get_by_text("Approved 40 comments.").wait_for(timeout=30_000)
    projector.get_by_text(re.compile(r"\(40 on the wall · page \d of 5\)")).wait_for(timeout=30_000)
    assert _inside(projector, ".em3-card", 8) == 8
    with open_store(url) as store:
        assert store.comment_states(code)["approved"] == 40
        assert set(store.projector_comments(code, limit=100)["id"]) == {str(i) for i in ids}
    screenshot(projector, "projector-wall-after-bulk-approval", full_page=False)
    for p in (facilitator, projector):
        p.context.close()


def test_the_rooms_address_warning_and_the_qr_code(browser, warm_server):
    """The e2e server runs on 127.0.0.1 with no public_url: the facilitator is warned, the room is
    not; once the facilitator sets the address, the QR code on the projector decodes to it."""
    import zxingcpp
    from PIL import Image

    base, url = warm_server["url"], warm_server["feedback_url"]
    code = _workshop_with_results(url)
    projector = new_page(browser, 1280, 720)
    projector.goto(f"{base}/workshop?code={code}")
    wait_for_app(projector)
    facilitator = new_page(browser, *PHONE)
    _sign_in(facilitator, base, code)
    facilitator.get_by_text(re.compile("loopback address")).wait_for()
    assert projector.get_by_text(re.compile("loopback", re.I)).count() == 0, "the room is not told"
    public = "http://192.168.1.20:8501"
    facilitator.get_by_label("Address the room uses").fill(public)
    facilitator.get_by_role("button", name="Use this address").click()
    facilitator.get_by_text(re.compile("Address set for this workshop")).wait_for()
    assert facilitator.get_by_text(re.compile("loopback address")).count() == 0
    projector.locator("#em3-join").filter(has_text="192.168.1.20:8501").wait_for(timeout=30_000)
    wait_for_app(projector, settle_ms=800)
    png = projector.locator("#em3-qr img").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [f.text for f in found] == [f"{public}/j/{code}"]
    screenshot(facilitator, "facilitator-address-set", full_page=True)
    for p in (facilitator, projector):
        p.context.close()


def test_a_phone_joins_by_the_short_address_or_the_code_box(browser, warm_server):
    """/j/CODE lands on the sounding board tagged with the workshop; the open poll comes first with
    large targets, the optional fields are folded away; the code box on the plain page joins too."""
    base, url = warm_server["url"], warm_server["feedback_url"]
    code = f"E2E-JOIN-{uuid.uuid4().hex[:6].upper()}"
    with open_store(url) as store:
        store.open_workshop(code, PIN)
        store.drive_projector(code, priority="energy", indicators=["x"], vintage="v")
        store.open_poll(code, "importance", "energy")
    phone = new_page(browser, *PHONE)
    phone.goto(f"{base}/j/{code.lower()}")
    wait_for_app(phone)
    assert phone.url.endswith(f"/sounding-board?workshop={code}")
    poll = phone.locator(".st-key-aud_poll")
    poll.wait_for(timeout=30_000)
    form = phone.locator("[data-testid='stForm']").first
    assert poll.bounding_box()["y"] < form.bounding_box()["y"], "the open poll comes first"
    option = poll.locator("[role='radiogroup'] label").first
    assert option.bounding_box()["height"] >= 44, "a large target for a thumb"
    assert phone.get_by_label("Your name").is_hidden(), "optional fields folded away"
    assert phone.get_by_text(re.compile("Anonymous unless you give your name")).count() == 1
    chosen = phone.locator(".st-key-sb_priority").evaluate(
        "e => e.textContent + ' ' + Array.from(e.querySelectorAll('input')).map(i => i.value).join(' ')")
    assert "6. Energy and natural capital" in chosen, ("the priority on the projector is preselected", chosen)
    screenshot(phone, "phone-joined-by-short-code", full_page=False)
    plain = new_page(browser, *PHONE)
    plain.goto(f"{base}/sounding-board")
    wait_for_app(plain)
    plain.get_by_label("At a workshop? Type its code").fill(code.lower())
    plain.get_by_role("button", name="Join").click()
    plain.locator(".st-key-aud_poll").wait_for(timeout=30_000)
    assert f"workshop={code}" in plain.url
    for p in (phone, plain):
        p.context.close()
