"""No file reaches into Streamlit's private internals (issue 24), with one documented exception:
ui/legacy_pages.py (Streamlit's legacy pages/ discovery, off for a st.navigation app whose page
package the design card names pages/), its reason in its docstring. The page tests open a page by
its url path through st.switch_page (scripts/app_test_entry.py), not through AppTest's page hash."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {"ui/legacy_pages.py": {"PagesManager", "uses_pages_directory"}}
#: The private attributes issue 24 lists, and Streamlit's internal modules reached that way.
PRIVATE = re.compile(r"\b(_page_hash|_registered_pages|_user_routes|CachedFunc|PagesManager|uses_pages_directory|"
                     r"_starlette_app|_runtime\b|cache_utils)\b")


def _python_files():
    for folder in ("app.py", "lis_data", "ui", "web", "pages", "scripts", "tests"):
        path = ROOT / folder
        yield from ([path] if path.is_file() else sorted(path.rglob("*.py")))


def test_no_file_touches_a_streamlit_private_attribute_but_the_documented_workaround():
    found = []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel == "tests/test_streamlit_private.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name in PRIVATE.findall(line):
                if name not in ALLOWED.get(rel, set()):
                    found.append(f"{rel}:{n}: {name}")
    assert not found, "\n".join(found)


def test_the_check_finds_a_private_attribute(tmp_path):
    """The pattern is live: a line reaching AppTest's page hash is found."""
    assert PRIVATE.findall("at._page_hash = calc_hash('x')") == ["_page_hash"]
    assert PRIVATE.findall("info = at._registered_pages") == ["_registered_pages"]
