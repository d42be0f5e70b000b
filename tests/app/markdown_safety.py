"""What Streamlit's front end would draw from a Markdown body: links, images, formulas, HTML, headings,
tables, emoji and icon short codes, colour directives.

Streamlit renders element bodies with remark (GFM, math, directives) and then rewrites text nodes:
bare URLs and email addresses become links (GFM autolink literals are found in the text *after*
backslash escapes are resolved), `:smile:` becomes an emoji, `:streamlit:` an image, and
`:material/x:` (rewritten to `:material_x:` in the source before parsing) an icon. Code spans are
not text nodes, so nothing inside them is rewritten. This module parses a body with markdown-it-py
(CommonMark, tables, strikethrough, dollar math) and applies the same text-node rules to the text
outside code spans, so a test can see what a body would make active.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

_MD = (MarkdownIt("commonmark").enable(["table", "strikethrough"])
       .use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True))

# Rules Streamlit's front end (remark-gfm, remark-emoji, its own plugins) applies to text nodes.
# JavaScript's \w is ASCII-only: re.ASCII.
_TEXT_RULES = {
    "autolink": re.compile(r"(?:https?://|www(?=\.))[-.\w]+", re.I | re.A),
    "email": re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.A),
    "shortcode": re.compile(r":[\w+-][\w+-]*:", re.A),
    "directive": re.compile(r":[a-z][a-z0-9-]*\[", re.A),
}

_INLINE_ACTIVE = {"link_open": "href", "image": "src"}


def active_parts(body: str) -> list[tuple[str, str]]:
    """(kind, what) for everything in `body` that would render as more than literal text."""
    source = str(body).replace(":material/", ":material_")  # as Streamlit's front end does
    found: list[tuple[str, str]] = []
    tokens = _MD.parse(source)
    for i, tok in enumerate(tokens):
        if tok.type in ("html_block", "math_block", "math_block_label"):
            found.append((tok.type, tok.content.strip()))
        elif tok.type in ("heading_open", "table_open"):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            found.append((tok.type, nxt.content if nxt is not None and nxt.type == "inline" else ""))
        elif tok.type == "inline":
            found.extend(_inline(tok.children or []))
    return found


def _inline(children) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    text: list[str] = []

    def flush() -> None:
        joined = "".join(text)
        text.clear()
        for kind, rule in _TEXT_RULES.items():
            found.extend((kind, m.group(0)) for m in rule.finditer(joined))

    for child in children:
        if child.type in ("text", "text_special"):
            text.append(child.content)
            continue
        flush()
        if child.type in _INLINE_ACTIVE:
            found.append((child.type, str(child.attrs.get(_INLINE_ACTIVE[child.type], ""))))
        elif child.type in ("math_inline", "math_inline_double", "html_inline"):
            found.append((child.type, child.content))
    flush()
    return found


def bodies(at) -> list[str]:
    """Every Markdown body an AppTest run drew: text elements, alerts, and labels."""
    out: list[str] = []
    for kind in ("markdown", "caption", "warning", "info", "error", "success", "title", "header", "subheader",
                 "toast"):
        out.extend(str(e.value) for e in at.get(kind))
    for kind in ("metric", "expander", "selectbox", "multiselect", "text_input", "button"):
        out.extend(str(e.label) for e in at.get(kind) if getattr(e, "label", None))
    return out


def _skeleton(part: tuple[str, str]) -> tuple[str, str]:
    """HTML a page writes itself (unsafe_allow_html) compared by its tags only: the text between
    them may carry a value the page escaped (html.escape), a new tag may not."""
    kind, what = part
    return (kind, re.sub(r">[^<]*<", "><", what)) if kind.startswith("html") else part


def active_in(at) -> set[tuple[str, str]]:
    return {_skeleton(part) for body in bodies(at) for part in active_parts(body)}
