"""The district profile in headless Chromium: spines drawn, the judgement filter, a row followed to
its priority page with the indicator open."""

from __future__ import annotations

from conftest import assert_no_exception, screenshot, wait_for_app
from test_e2e_navigation import _charts_drawn

from lis_data.config import load_catalogue

WORKFORCE = load_catalogue().priority("workforce")


def _show(page, label: str) -> None:
    group = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"]')
    group.locator("button").filter(has=page.get_by_text(label, exact=True)).first.click()
    wait_for_app(page)


def test_profile_spines_filter_and_row_link(page, warm_server):
    page.goto(warm_server["url"] + "/profile?d=E07000217")
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == "District profile: Woking"
    assert _charts_drawn(page, minimum=3) >= 3, "spine charts drawn"
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 8, "a spine chart per priority"
    screenshot(page, "profile-woking")

    # Worse: Woking has no indicator significantly worse than England (95% CI), and the page says so.
    _show(page, "Worse")
    assert_no_exception(page)
    assert page.get_by_text("No indicator is worse here.").is_visible()
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
    # Better: economic inactivity is (its interval lies wholly below England's rate).
    _show(page, "Better")
    link = page.locator('[data-testid="stPageLink-NavLink"]', has_text="Economic inactivity")
    assert link.count() == 1
    assert "▲ better" in link.inner_text()
    assert page.locator('[data-testid="stPageLink-NavLink"]', has_text="Employment rate").count() == 0, \
        "similar rows are filtered out"
    screenshot(page, "profile-woking-better")

    link.click()
    page.wait_for_url("**/workforce?**", timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == f"{WORKFORCE.number}. {WORKFORCE.title}"
    assert "ind=economic-inactivity" in page.url and "d=E07000217" in page.url
    page.get_by_role("heading", name="Economic inactivity rate, aged 16 to 64").first.wait_for(timeout=30_000)
