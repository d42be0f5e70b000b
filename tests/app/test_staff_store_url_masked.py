"""The staff page never shows a database password, whatever characters it holds: the store's
error quotes the URL with the password masked (by parsing, lis_data/feedback/redaction.py)."""

from __future__ import annotations

import pytest
from page_helpers import run_page

from web import throttle
from lis_data.feedback import redaction

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh():
    throttle.reset_all()
    with redaction._known_lock:
        saved = set(redaction._known)
        redaction._known.clear()
    yield
    throttle.reset_all()
    with redaction._known_lock:
        redaction._known.clear()
        redaction._known.update(saved)


@pytest.mark.parametrize("char", ["#", "?", " ", "'", '"'])
@pytest.mark.parametrize("form", ["userinfo", "query"])
def test_the_staff_page_masks_the_store_password(char, form):
    secret = f"Zq9{char}s3cr{char}et"
    url = (f"postgresql://lis:{secret}@127.0.0.1:1/test" if form == "userinfo"
           else f"postgresql://127.0.0.1:1/test?user=lis&password={secret}")
    at = run_page("staff", secrets={"staff_password": PASSWORD, "feedback_url": url})
    at.text_input(key="staff_password_entry").input(PASSWORD)
    [button] = [b for b in at.button if b.label == "Open the staff page"]
    at = button.click().run()
    shown = " ".join(str(e.value) for kind in (at.error, at.warning, at.markdown, at.caption, at.info) for e in kind)
    assert "cannot be reached" in shown or "cannot be read" in shown, shown
    assert secret not in shown and f"s3cr{char}et" not in shown and "s3cr" not in shown, shown
