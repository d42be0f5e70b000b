"""In the real browser, Markdown from the URL renders as nothing: the "Ignored ..." notes quote a
link, an image, a formula, a colour directive, an icon short code and a bare URL literally."""

from __future__ import annotations

from urllib.parse import urlencode

from conftest import assert_no_exception, screenshot, wait_for_app

LINK_AND_IMAGE = "**[log in here](http://evil.example)**![x](http://host.example/leak.png)"
FORMULA_AND_CODES = "$$\\int_0^1$$ :red[alert] :material/warning: www.evil.example"


def test_markdown_in_url_parameters_renders_literally(page, warm_server):
    query = urlencode({"ind": LINK_AND_IMAGE, "nb": FORMULA_AND_CODES, "from": "²⁰²⁰"})
    page.goto(f"{warm_server['url']}/housing?{query}")
    wait_for_app(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    alerts = main.locator('[data-testid="stAlert"]')
    text = alerts.all_inner_texts()
    assert any("ind=**[log in here](http://evil.example)**" in t for t in text), text
    assert any("$$\\int_0^1$$ :red[alert]" in t for t in text), text
    assert any("from=²⁰²⁰" in t for t in text), text
    assert alerts.locator("a").count() == 0, "no link from the URL"
    assert alerts.locator("img").count() == 0, "no image from the URL"
    assert alerts.locator(".katex").count() == 0, "no formula from the URL"
    assert main.locator('a[href*="evil.example"], img[src*="host.example"]').count() == 0
    assert not [u for u in page.blocked if "example" in u], page.blocked
    screenshot(page, "hostile-url-notes", full_page=False)
