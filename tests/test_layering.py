"""The layering of the code, read from its import statements (those inside functions included):

* lis_data, the data and view layer, never imports pages or streamlit;
* pages/components never import a page module (a page links to another through the register in
  pages/components/navigation.py, filled by pages/site.py);
* no page module imports another page module (what two pages share lives in components or lis_data);
* the project's modules import each other without a loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP_MODULES = ("app", "server_routes", "server_api", "server_middleware", "server_hub")
PACKAGES = ("lis_data", "pages")
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
    return module.startswith("pages.") and not module.startswith("pages.components")


def test_lis_data_never_imports_pages_or_streamlit():
    bad = {m: sorted(i for i in imps if i.split(".")[0] in ("pages", "streamlit"))
           for m, imps in _graph().items() if m.split(".")[0] == "lis_data"}
    assert not {m: i for m, i in bad.items() if i}


def test_components_never_import_page_modules():
    bad = {m: sorted(i for i in imps if _is_page(i))
           for m, imps in _graph().items() if m.startswith("pages.components")}
    assert not {m: i for m, i in bad.items() if i}


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
