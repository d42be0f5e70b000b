"""No file reaches into Streamlit's private internals (issue 24), with one documented exception:
ui/legacy_pages.py (Streamlit's legacy pages/ discovery, off for a st.navigation app whose page
package the design card names pages/), its reason in its docstring. The page tests open a page by
its url path through st.switch_page (scripts/app_test_entry.py), not through AppTest's page hash."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {"ui/legacy_pages.py": {"PagesManager", "uses_pages_directory", "streamlit.runtime"}}
#: The private attributes issue 24 lists, the private functions a benchmark once called, and an import
#: of Streamlit's internal modules (anything but `streamlit`, `streamlit.testing.v1` and the wire
#: protocol `streamlit.proto`, which the load clients speak as a browser does).
PRIVATE = re.compile(r"\b(_page_hash|_registered_pages|_user_routes|CachedFunc|PagesManager|uses_pages_directory|"
                     r"_starlette_app|_runtime\b|cache_utils|calc_hash|_prepare_vega_lite_spec|_marshall_chart_data|"
                     r"_stabilize_vega_json_spec)\b"
                     r"|(?:^|\s)(?:from|import)\s+(streamlit\.(?:runtime|elements|web|util|commands|navigation|"
                     r"components|delta_generator|string_util|config))\b")


def private_names(line: str) -> list[str]:
    return [a or b for a, b in PRIVATE.findall(line)]


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
            for name in private_names(line):
                if name not in ALLOWED.get(rel, set()):
                    found.append(f"{rel}:{n}: {name}")
    assert not found, "\n".join(found)


def test_the_check_finds_a_private_attribute(tmp_path):
    """The pattern is live: a line reaching AppTest's page hash is found."""
    assert private_names("at._page_hash = calc_hash('x')") == ["_page_hash", "calc_hash"]
    assert private_names("info = at._registered_pages") == ["_registered_pages"]
    assert private_names("    from streamlit.web.server.app_discovery import x") == ["streamlit.web"]
    assert private_names("spec = vega_charts._prepare_vega_lite_spec(spec, True)") == ["_prepare_vega_lite_spec"]
    assert private_names("from streamlit.testing.v1 import AppTest") == []
    assert private_names("from streamlit.proto.BackMsg_pb2 import BackMsg") == []
