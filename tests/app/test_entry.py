"""app.py is both the app script (navigation) and, when the server imports it, the server object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from page_helpers import run_page

ROOT = Path(__file__).resolve().parents[2]


def _registered(at) -> dict[str, str]:
    """The pages app.py gave st.navigation in `at`'s run (the app's own registry, ui/navigation.py)."""
    from ui import navigation

    return navigation.registered()


def test_the_overview_opens_at_its_own_path_and_at_the_root():
    """Streamlit serves its default page at "/" only: the overview needs a page at /overview too."""
    pages = _registered(run_page())
    assert pages.get("overview") == "Overview"
    assert pages.get("") == "Overview"


def test_imported_by_the_server_app_py_is_an_asgi_app_with_the_ready_route():
    code = """
import json, app
from ui import legacy_pages
print(json.dumps({"type": type(app.app).__name__,
                  "routes": [r.path for r in __import__("web.routes").routes.routes()],
                  "legacy_pages_off": legacy_pages.disabled()}))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout.strip().splitlines()[-1])
    # The dashboard's own routes (web/routes.py), /ready first, the data API's among them; that the server
    # serves them is tested over HTTP against a running server (tests/server).
    assert info["routes"][0] == "/ready"
    assert {"/j/{code}", "/api/v1/figures.csv", "/api/v1/profile.csv", "/api/v1/events.ics", "/research/{rid}.pdf",
            "/workshops/{code}"} <= set(info["routes"])
    # `streamlit run app.py` serving these routes (so finding `app`) is tested against the real server.
    assert info == {"type": "App", "routes": info["routes"], "legacy_pages_off": True}
