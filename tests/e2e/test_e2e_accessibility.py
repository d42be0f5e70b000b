"""Accessibility in a real browser: keyboard-only use, the accessibility tree behind the charts,
reflow at 320 CSS px, and the fixed light theme. The axe-core audits of every page are in
test_e2e_axe_desktop.py and test_e2e_axe_phone.py."""

from __future__ import annotations

import re

import pytest
from conftest import new_page, screenshot, wait_for_app

from axe_audit import FOCUS


def test_the_theme_stays_light_when_the_system_asks_for_dark(browser, warm_server):
    """The app fixes its light theme (.streamlit/config.toml, stated on the Accessibility page):
    a browser set to dark mode gets the same legible charts and maps."""
    context = browser.new_context(viewport={"width": 1366, "height": 1600}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(warm_server["url"] + f"/innovation?{FOCUS}")
        wait_for_app(page, 1500)
        background = page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor")
        text = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
        assert background == "rgb(255, 255, 255)", background
        assert text == "rgb(26, 26, 26)", text
        screenshot(page, "a11y-dark-system-innovation")
    finally:
        context.close()


def test_reflow_at_320_css_pixels(browser, warm_server):
    """WCAG 1.4.10: at 320 px no sideways scrolling and no word broken mid-word in a heading."""
    page = new_page(browser, 320, 800)
    try:
        for path in ["/innovation", f"/profile?{FOCUS}", "/sounding-board", "/accessibility"]:
            page.goto(warm_server["url"] + path)
            wait_for_app(page, 1000)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} scrolls sideways at 320 px: {width}px"
            broken = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3)')].filter(h => h.clientWidth > 0).filter(h => {
                const words = h.innerText.split(/\\s+/).filter(w => w.length > 3);
                // A word is broken when the heading has more lines than words would need:
                // measure each word in the heading's font and compare with the box width.
                const c = document.createElement('canvas').getContext('2d');
                const s = getComputedStyle(h); c.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
                return words.some(w => c.measureText(w).width > h.clientWidth + 1);
            }).map(h => h.innerText)""")
            assert not broken, f"{path}: a word is wider than its heading at 320 px: {broken}"
            screenshot(page, f"a11y-320{path.split('?')[0].replace('/', '-')}")
    finally:
        page.context.close()


def test_sounding_board_by_keyboard_alone(browser, warm_server):
    """Tab through the form, fill it, tick consent and send it without the mouse."""
    page = new_page(browser, 1366, 1200)
    try:
        page.goto(warm_server["url"] + "/sounding-board?priority=housing")
        wait_for_app(page, 1000)
        main = page.locator('[data-testid="stMain"]')
        main.locator("h1").first.click()  # focus starts in the page, as after a skip link
        comment = "Keyboard-only comment: housing evidence should show affordability by town."
        reached = []
        for _ in range(60):
            page.keyboard.press("Tab")
            info = page.evaluate("""() => { const e = document.activeElement;
                const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText) || e.innerText || '';
                const r = e.getBoundingClientRect();
                const s = getComputedStyle(e);
                return {tag: e.tagName, type: e.type || '', label: label.trim().slice(0, 80),
                        outline: s.outlineStyle !== 'none' || s.boxShadow !== 'none', visible: r.width > 0 && r.height > 0}; }""")
            reached.append(info)
            if info["label"].startswith("You are responding as"):
                page.keyboard.press("ArrowDown")  # open the list, then take its first option
                page.keyboard.press("Enter")
                wait_for_app(page, 300)
            elif info["tag"] == "TEXTAREA":
                page.keyboard.type(comment)
            elif info["tag"] == "BUTTON" and re.search(r"send", info["label"], re.I):
                page.keyboard.press("Enter")
                break
        else:
            pytest.fail(f"Send was not reached by Tab: {reached}")
        wait_for_app(page, 500)
        assert page.locator('[data-testid="stMain"]').get_by_text(re.compile(r"SB-[0-9A-Z]{6}")).count() or \
            pytest.fail(f"no reference after sending by keyboard; reached: {reached}; page: "
                        f"{page.locator('[data-testid=stMain]').inner_text()[:1500]}")
        page.get_by_text(re.compile(r"SB-[0-9A-Z]{6}")).first.wait_for(timeout=30_000)
        assert all(r["visible"] for r in reached), reached
    finally:
        page.context.close()


def test_priority_page_controls_by_keyboard(browser, warm_server):
    """Every control of a priority page is reached by Tab, in reading order, with a visible focus."""
    page = new_page(browser, 1366, 1200)
    try:
        page.goto(warm_server["url"] + f"/housing?{FOCUS}")
        wait_for_app(page, 1000)
        seen = []
        for _ in range(160):  # the sidebar's navigation and filters, then the page's controls, to its last link
            page.keyboard.press("Tab")
            info = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {text: (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().replace(/\\s+/g, ' ').slice(0, 120),
                        role: e.getAttribute('role') || e.tagName,
                        focus: s.outlineStyle !== 'none' || s.boxShadow !== 'none'}; }""")
            seen.append(info)
            if re.search(r"sounding board", info["text"], re.I):
                break
        texts = " | ".join(s["text"] for s in seen)
        assert "Indicator" in texts or any(s["role"] == "combobox" for s in seen), texts
        assert re.search(r"sounding board", texts, re.I), texts
        missing = [s for s in seen if s["text"] and not s["focus"] and s["role"] not in ("BODY", "HTML")]
        assert not missing, f"focused without a visible focus indicator: {missing[:5]}"
    finally:
        page.context.close()


def test_charts_have_text_alternatives_in_the_accessibility_tree(browser, warm_server):
    """Playwright's ARIA snapshot of a priority page finds each chart's text alternative, with its figures."""
    page = new_page(browser, 1366, 2400)
    try:
        page.goto(warm_server["url"] + f"/innovation?{FOCUS}")
        wait_for_app(page, 2500)
        snapshot = page.locator('[data-testid="stMain"]').aria_snapshot()
        charts = re.findall(r"paragraph: \"?Chart: ([^\n]*)", snapshot)
        maps = re.findall(r'figure "(Map of [^"]*)"', snapshot)
        # The trend and the ranking (each a sentence with its figures), and the map with its key figures.
        assert len(charts) >= 2 and len(maps) >= 1, snapshot[:4000]
        assert all(re.search(r"\d", a) for a in charts + maps), charts + maps
        assert any("Woking" in a for a in charts), charts
        assert "in focus: Woking" in maps[0], maps
    finally:
        page.context.close()
