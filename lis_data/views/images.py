"""Chart images: a page's Vega-Lite spec rendered offline (vl-convert, no network) to SVG or PNG,
with a footer naming the source and the licence, so an image pasted into a paper carries them.
The chart's own title is already in the spec."""

from __future__ import annotations

import html
import re
import textwrap

import vl_convert as vlc

from lis_data.constants import ATTRIBUTION

FOOTER_FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_NUM = r"([0-9]+(?:\.[0-9]+)?)"


def _footer_lines(source: str | None) -> list[str]:
    lines = [source] if source else []
    return lines + [ATTRIBUTION + "."]


IMAGE_WIDTH = 640  # for a spec that takes its width from the page ("container")
FOOTER_FONT_SIZE = 12  # px: as large as the chart's smallest text, so that none prints under 8 pt
FOOTER_LINE = 16


def for_print(spec: dict, height: int) -> dict:
    """A page's chart for a printed page: the plot `height` px tall and IMAGE_WIDTH wide, its title and
    subtitle re-wrapped to the image's width (the page wraps them short for a narrow column)."""
    out = {k: v for k, v in spec.items() if k not in ("autosize", "padding")} | {"width": IMAGE_WIDTH, "height": height}
    title = out.get("title")
    if isinstance(title, dict):
        title = dict(title)
        text = title.get("text")
        if isinstance(text, list):
            title["text"] = textwrap.wrap(" ".join(text), 62) or text
        sub = title.get("subtitle")
        if isinstance(sub, list):
            title["subtitle"] = textwrap.wrap(" ".join(sub), 88) or sub
        out["title"] = title
    return out


def _fixed_size(spec: dict) -> dict:
    """An image has no page to take its width from: its plot is IMAGE_WIDTH wide, with its labels and
    legend around it and Vega-Lite's own padding (a spec that fits itself to a box on the page, such
    as a spine chart's, no longer fits)."""
    if spec.get("width") in (None, "container") and not any(k in spec for k in ("vconcat", "hconcat", "concat")):
        spec = {k: v for k, v in spec.items() if k not in ("autosize", "padding")} | {"width": IMAGE_WIDTH}
    return spec


def chart_svg(spec: dict, source: str | None = None) -> str:
    """The chart as SVG with the source and licence written under it. Nothing is fetched."""
    svg = vlc.vegalite_to_svg(_fixed_size(spec), allowed_base_urls=[])
    m = _SVG_OPEN.search(svg)
    head = m.group(0)
    w = float(re.search(r'\bwidth="' + _NUM, head).group(1))
    h = float(re.search(r'\bheight="' + _NUM, head).group(1))
    lines = [part for line in _footer_lines(source) for part in textwrap.wrap(line, max(40, int(w / 6.8)))]
    extra = 8 + FOOTER_LINE * len(lines)
    new_head = re.sub(r'\bheight="' + _NUM + '"', f'height="{h + extra:g}"', head, count=1)
    new_head = re.sub(r'\bviewBox="([^"]*)"', lambda v: _grow_viewbox(v.group(1), extra), new_head, count=1)
    text = "".join(
        f'<text x="5" y="{h + 15 + FOOTER_LINE * i:g}" font-family="{FOOTER_FONT}" font-size="{FOOTER_FONT_SIZE}" '
        f'fill="#404040">'
        f"{html.escape(line)}</text>" for i, line in enumerate(lines))
    svg = svg.replace(head, new_head, 1)
    # A white background under the footer as under the chart.
    band = f'<rect x="0" y="{h:g}" width="{w:g}" height="{extra}" fill="#FFFFFF"/>'
    return svg[: svg.rindex("</svg>")] + band + text + "</svg>"


def _grow_viewbox(box: str, extra: float) -> str:
    parts = box.replace(",", " ").split()
    if len(parts) != 4:
        return f'viewBox="{box}"'
    x, y, w, h = (float(p) for p in parts)
    return f'viewBox="{x:g} {y:g} {w:g} {h + extra:g}"'


def chart_png(spec: dict, source: str | None = None, scale: float = 2.0) -> bytes:
    """The chart as PNG (rendered from chart_svg, so it carries the same footer)."""
    return vlc.svg_to_png(chart_svg(spec, source), scale=scale)


def chart_jpeg(spec: dict, source: str | None = None, scale: float = 2.0, quality: int = 88) -> bytes:
    """The chart as JPEG, for the evidence pack (a PDF embeds JPEG data as it is: no re-encoding)."""
    return vlc.svg_to_jpeg(chart_svg(spec, source), scale=scale, quality=quality)
