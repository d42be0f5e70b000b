"""A workshop through real browsers: a presenter (the projector), a facilitator's phone and three
audience phones. A held comment stays off the projector until the facilitator approves it; a
poll's results stay hidden until revealed, then show the right counts; a second round shows the
shift; and no page reloads (a marker set on each window survives)."""

from __future__ import annotations

import re
import time
import uuid

from conftest import assert_no_exception, new_page, screenshot, wait_for_app

from lis_data.feedback import open_store

PIN = "e2e-pin-4711"
PHONE = (390, 844)


def _metric(page, label: str) -> str | None:
    """A large number on the projector, by its label."""
    return page.evaluate(
        """label => { for (const m of document.querySelectorAll('.em3-bignum')) {
               const l = m.querySelector('.em3-big-label');
               if (l && l.innerText.trim() === label) return m.querySelector('.em3-big').innerText.trim();
           } return null; }""", label)


def _wait_metric(page, label: str, value: str, timeout: float = 30) -> float:
    """Seconds until the metric shows the value."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if _metric(page, label) == value:
            return time.monotonic() - t0
        page.wait_for_timeout(250)
    raise AssertionError(f"{label!r} never showed {value!r} (last {_metric(page, label)!r})")


def _mark(page, name: str) -> None:
    page.evaluate(f"window.__marker = {name!r}")


def _still(page, name: str) -> bool:
    return page.evaluate(f"window.__marker === {name!r}")


def _answer(phone, option: str, round_: int = 1) -> None:
    box = phone.locator(".st-key-aud_poll")
    box.wait_for(timeout=30_000)  # the fragment finds the open poll within its refresh
    if round_ > 1:
        box.get_by_text(f"round {round_}").wait_for(timeout=30_000)
    box.get_by_text(option, exact=True).click()
    wait_for_app(phone, settle_ms=200)
    box.get_by_role("button", name=re.compile("Send my answer")).click()
    phone.get_by_text(re.compile("your answer is counted|instead of your earlier one", re.I)).first.wait_for(
        timeout=30_000)


def test_moderated_comment_hidden_poll_and_shift(browser, warm_server):
    base = warm_server["url"]
    code = f"E2E-POLL-{uuid.uuid4().hex[:6].upper()}"
    with open_store(warm_server["feedback_url"]) as store:
        store.open_workshop(code, PIN)

    presenter = new_page(browser, 1366, 900)
    presenter.goto(f"{base}/workshop?priority=housing&code={code}")
    wait_for_app(presenter)
    assert_no_exception(presenter)
    _mark(presenter, "presenter")

    facilitator = new_page(browser, *PHONE)
    facilitator.goto(f"{base}/facilitate?code={code}")
    wait_for_app(facilitator)
    facilitator.get_by_label("Workshop PIN").fill("wrong-pin-000")
    facilitator.get_by_role("button", name="Open the facilitator view").click()
    facilitator.get_by_text("That PIN is not right").wait_for()
    facilitator.get_by_label("Workshop PIN").fill(PIN)
    facilitator.get_by_role("button", name="Open the facilitator view").click()
    facilitator.get_by_text("Hold comments for approval").wait_for()
    wait_for_app(facilitator)
    _mark(facilitator, "facilitator")

    phones = []
    for i in range(3):
        phone = new_page(browser, *PHONE)
        phone.goto(f"{base}/sounding-board?priority=housing&workshop={code}")
        phones.append(phone)
    for i, phone in enumerate(phones):
        wait_for_app(phone)
        assert_no_exception(phone)
        _mark(phone, f"phone{i}")

    # 1. a held comment stays off the projector until approved
    comment = f"Starter homes in Rushmoor sell out before local buyers hear of them {uuid.uuid4().hex[:6]}"
    p0 = phones[0]
    p0.get_by_role("combobox", name=re.compile("You are responding as")).click()
    p0.get_by_role("option", name="Resident", exact=True).first.click()
    p0.locator("textarea").first.fill(comment)
    p0.get_by_role("button", name=re.compile("Send to the LEP")).click()
    p0.get_by_text(re.compile(r"SB-[A-Z0-9]{6}")).first.wait_for(timeout=30_000)
    facilitator.get_by_text(comment).wait_for(timeout=30_000)  # the queue's refresh brings it
    # the projector's wall counts it as waiting (its refresh has run since the comment was stored) ...
    facilitator.get_by_role("button", name="Show: Wall of comments").click()
    presenter.get_by_text("1 waiting for approval").wait_for(timeout=30_000)
    presenter.wait_for_timeout(6_000)  # ... and more than one further refresh
    assert presenter.get_by_text(comment).count() == 0, "a held comment reached the projector"
    facilitator.get_by_role("button", name="Approve").first.click()
    t0 = time.monotonic()
    presenter.get_by_text(comment).wait_for(timeout=30_000)
    approval_to_projector = time.monotonic() - t0
    screenshot(presenter, "workshop-approved-comment", full_page=False)

    # 2. a poll: results hidden until revealed, then the right counts
    facilitator.get_by_role("button", name=re.compile("Open poll: How is the EM3 area doing")).click()
    wait_for_app(facilitator)
    for phone, option in zip(phones, ("Worse than England", "Worse than England", "About the same as England")):
        _answer(phone, option)
    _wait_metric(presenter, "answers so far", "3")
    assert presenter.get_by_text("Results stay hidden until the facilitator reveals them.").count() == 1
    assert _metric(presenter, "mean (1 to 5)") is None
    facilitator.get_by_role("button", name="Reveal results").click()
    _wait_metric(presenter, "answers", "3")
    assert _metric(presenter, "mean (1 to 5)") == "2.33"
    screenshot(presenter, "workshop-poll-revealed", full_page=False)

    # 3. a second round shows the shift
    facilitator.get_by_role("button", name="New round").click()
    wait_for_app(facilitator)
    for phone, option in zip(phones, ("Better than England", "About the same as England", "Better than England")):
        _answer(phone, option, round_=2)
    _wait_metric(presenter, "answers so far", "3")
    facilitator.get_by_role("button", name="Reveal results").click()
    _wait_metric(presenter, "mean (1 to 5)", "3.67")
    facilitator.get_by_role("button", name="Show: Before → after").click()
    _wait_metric(presenter, "mean after (round 2)", "3.67")
    assert _metric(presenter, "mean before (round 1)") == "2.33"
    screenshot(presenter, "workshop-shift", full_page=True)
    screenshot(facilitator, "facilitator-phone", full_page=True)
    screenshot(phones[0], "audience-phone-poll", full_page=False)

    # 4. no page reloaded
    assert _still(presenter, "presenter") and _still(facilitator, "facilitator")
    for i, phone in enumerate(phones):
        assert _still(phone, f"phone{i}"), f"phone {i} reloaded"
    assert_no_exception(presenter)

    # 5. the device key outlives a reload (a cookie): answering again replaces, it does not add
    p0.reload()
    wait_for_app(p0)
    _answer(p0, "Much better than England", round_=2)
    p0.get_by_text("instead of your earlier one").wait_for(timeout=30_000)
    with open_store(warm_server["feedback_url"]) as store:
        current = store.current_poll(code)
        assert store.answer_count(current.id) == 3 and len(store.latest_answers(current.id)) == 3
    print(f"approval reached the projector in {approval_to_projector:.1f} s")
    for p in (presenter, facilitator, *phones):
        p.context.close()


def test_workshop_pages_pass_the_axe_audit(browser, warm_server):
    """The facilitator view (signed in, a held comment and a revealed poll), the phone page with the
    poll open, and the projector showing the results: no serious or critical WCAG 2.2 AA violation."""
    from axe_audit import _blocking
    from axe_audit import _violations as _audit

    from lis_data.feedback import polls
    from lis_data.feedback import validate_submission

    base = warm_server["url"]
    code = f"E2E-AXE-{uuid.uuid4().hex[:6].upper()}"
    ids = ["innovation", "workforce", "places", "housing", "gateways", "energy", "digital", "connections", "exports"]
    with open_store(warm_server["feedback_url"]) as store:
        store.open_workshop(code, PIN)
        store.append(validate_submission({"priority": "housing", "respondent_type": "resident",
                                          "comment": "A held comment for the audit", "workshop_code": code,
                                          "submission_key": uuid.uuid4().hex}, priorities=ids, places=[]))
        poll = store.open_poll(code, "performance", "housing")
        store.answer_poll(polls.validate_answer(poll, device_key="axe-device-0000000001", answer_key="axe-answer-1",
                                                priority="housing", rating=4, priorities=ids))
        store.reveal_poll(poll.id)
        store.drive_projector(code, slide="results")
    problems = []
    facilitator = new_page(browser, *PHONE)
    facilitator.goto(f"{base}/facilitate?code={code}")
    wait_for_app(facilitator)
    facilitator.get_by_label("Workshop PIN").fill(PIN)
    facilitator.get_by_role("button", name="Open the facilitator view").click()
    facilitator.get_by_text("A held comment for the audit").wait_for()
    problems += _blocking(_audit(facilitator), "/facilitate")[0]
    phone = new_page(browser, *PHONE)
    phone.goto(f"{base}/sounding-board?priority=housing&workshop={code}")
    wait_for_app(phone)
    phone.locator(".st-key-aud_poll").wait_for()
    problems += _blocking(_audit(phone), "/sounding-board (poll)")[0]
    presenter = new_page(browser, 1366, 900)
    presenter.goto(f"{base}/workshop?priority=housing&code={code}")
    wait_for_app(presenter)
    _wait_metric(presenter, "mean (1 to 5)", "4.00")
    wait_for_app(presenter, 300)
    found = _audit(presenter)
    problems += _blocking(found, "/workshop (results)")[0]
    for p in (facilitator, phone, presenter):
        p.context.close()
    assert not problems, "\n".join(problems)
