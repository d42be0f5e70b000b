"""The layering of the code, read from its import statements (those inside functions included). Each
rule is one "never" of the README's "Architecture" section:

1. lis_data (data, domain and view layer) never imports streamlit, pages, ui or web;
2. only lis_data.ingest (build time) and lis_data.cli (the command line) import lis_data.ingest: the
   running app (runtime, domain, views, pack, feedback, hub, ui, pages, web) never loads build code;
3. nothing but the command line imports lis_data.cli;
4. lis_data.runtime and lis_data.domain never import the layers above them (views, pack, feedback, hub);
5. lis_data.views never imports lis_data.pack (the pack is built from views, not the other way);
6. only lis_data.runtime and lis_data.ingest open DuckDB (the indicator store), apart from the feedback
   store's one-way import of its legacy DuckDB file (lis_data.feedback.legacy_duckdb);
7. web never imports pages or ui, and imports streamlit only in its middleware (which reads
   Streamlit's websocket messages);
8. ui never imports a page module, and no page module imports another (pages link through the register
   in ui/navigation.py, filled by pages/site.py);
9. no module at lis_data's top level but the shared errors, paths and constants (and the package's
   __init__/__main__): everything else lives in the folder of its concern;
10. the project's modules import each other without a loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP_MODULES = ("app",)
PACKAGES = ("lis_data", "pages", "ui", "web")
# Loops still to break, each with the reason it is still here. A new loop fails the test, and so does
# one listed here that has gone (so the list is kept true).
KNOWN_LOOPS: dict[frozenset[str], str] = {}


def _modules() -> dict[str, Path]:
    mods = {name: ROOT / f"{name}.py" for name in TOP_MODULES if (ROOT / f"{name}.py").exists()}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            mods[".".join(parts)] = path
    return mods


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module (of the project or not) that `name` imports, anywhere in the file."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(base)
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module
            subs = {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known}
            out.update(subs)  # `from pkg import module` imports the module
            if len(subs) < len(node.names):  # and `from pkg import name` what pkg/__init__ defines
                out.add(target)
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    return {name: _imports(name, path, known) for name, path in mods.items()}


def _is_page(module: str) -> bool:
    return module.startswith("pages.")


def _violations(importer, imported) -> dict[str, list[str]]:
    """Modules for which `importer(module)` holds, with what they import for which `imported(name)` holds."""
    bad = {m: sorted(i for i in imps if imported(i)) for m, imps in _graph().items() if importer(m)}
    return {m: i for m, i in bad.items() if i}


def _in(*prefixes: str):
    return lambda name: any(name == p or name.startswith(p + ".") for p in prefixes)


def test_lis_data_never_imports_streamlit_pages_ui_or_web():
    assert not _violations(_in("lis_data"), _in("streamlit", "pages", "ui", "web"))


def test_the_running_app_never_imports_build_code():
    build = _in("lis_data.ingest", "lis_data.cli")
    assert not _violations(lambda m: not build(m) and m != "lis_data.__main__", _in("lis_data.ingest"))


def test_only_the_command_line_entry_imports_the_command_line():
    assert not _violations(lambda m: not _in("lis_data.cli", "lis_data.__main__")(m), _in("lis_data.cli"))


def test_runtime_and_domain_never_import_the_layers_above():
    above = _in("lis_data.views", "lis_data.pack", "lis_data.feedback", "lis_data.hub")
    assert not _violations(_in("lis_data.runtime", "lis_data.domain"), above)


def test_views_never_import_the_pack():
    assert not _violations(_in("lis_data.views"), _in("lis_data.pack"))


def test_only_the_store_and_the_build_open_duckdb():
    allowed = _in("lis_data.runtime", "lis_data.ingest", "lis_data.feedback.legacy_duckdb")
    assert not _violations(lambda m: not allowed(m), _in("duckdb"))


def test_web_never_imports_pages_or_ui_and_streamlit_only_in_its_middleware():
    assert not _violations(_in("web"), _in("pages", "ui"))
    assert not _violations(lambda m: _in("web")(m) and m != "web.middleware", _in("streamlit"))


def test_lis_data_top_level_holds_only_what_every_layer_shares():
    top = {p.stem for p in (ROOT / "lis_data").glob("*.py")}
    assert top == {"__init__", "__main__", "errors", "paths", "constants"}, sorted(top)


def test_the_rules_see_a_violation():
    """The rules read real imports: a made-up graph with a forbidden edge is caught."""
    graph = {"lis_data.views.x": {"lis_data.pack.y"}, "lis_data.pack.y": set()}
    bad = {m: sorted(i for i in imps if _in("lis_data.pack")(i)) for m, imps in graph.items() if _in("lis_data.views")(m)}
    assert bad == {"lis_data.views.x": ["lis_data.pack.y"]}


def test_ui_never_imports_page_modules():
    assert not _violations(_in("ui"), _is_page)


def test_no_page_imports_another_page():
    bad = {m: sorted(i for i in imps if _is_page(i) and i != m)
           for m, imps in _graph().items() if _is_page(m) and m != "pages.site"}
    assert not {m: i for m, i in bad.items() if i}


def _loops(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    edges = {m: {i for i in imps if i in graph and i != m} for m, imps in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: set[frozenset[str]] = set()
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.add(frozenset(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_loops():
    loops = _loops(_graph())
    allowed = {frozenset().union(*KNOWN_LOOPS)} if KNOWN_LOOPS else set()
    new = [sorted(g) for g in loops if g not in allowed and g not in KNOWN_LOOPS]
    assert not new, f"import loops: {new}"
    gone = [sorted(k) for k in KNOWN_LOOPS if not any(k <= g for g in loops)]
    assert not gone, f"listed in KNOWN_LOOPS but no longer a loop: {gone}"


def test_the_loop_finder_finds_a_loop():
    assert _loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset("abc")}
