"""The overview's small trend line, as a typed result: the polyline's points in a fixed box and the
same trend in words (its text alternative). No Streamlit; the page writes it as an inline SVG with
role="img" and the words as its name, so a screen reader hears the trend and axe-core finds the
image named (Streamlit's own st.metric sparkline draws unnamed SVG symbols: rule svg-img-alt).

A line needs two periods at least: with one, no line is drawn (a flat line would read as "no change")."""

from __future__ import annotations

from dataclasses import dataclass

from lis_data.views.formatting import with_unit

WIDTH, HEIGHT, PAD = 240, 40, 3


@dataclass(frozen=True)
class Sparkline:
    points: str  # "x,y x,y ..." in a WIDTH x HEIGHT box, y down
    last: tuple[float, float]  # the latest point, marked
    words: str  # the trend in words: the text alternative
    width: int = WIDTH
    height: int = HEIGHT


def sparkline(values: tuple[float, ...], labels: tuple[str, ...], unit: str, decimals: int,
              what: str = "the median") -> Sparkline | None:
    """The line of `values` (one per period, oldest first, labelled by `labels`), or None when fewer
    than two periods have a figure. Gaps (None or NaN) are left out of the line and named in words."""
    pairs = [(i, v) for i, v in enumerate(values) if v is not None and v == v]
    if len(pairs) < 2:
        return None
    lo, hi = min(v for _, v in pairs), max(v for _, v in pairs)
    span = (hi - lo) or 1.0
    n = len(values) - 1
    pts = [(PAD + (WIDTH - 2 * PAD) * i / n, PAD + (HEIGHT - 2 * PAD) * (1 - ((v - lo) / span if hi > lo else 0.5)))
           for i, v in pairs]
    first_i, first_v = pairs[0]
    last_i, last_v = pairs[-1]
    fmt = lambda v: with_unit(v, unit, decimals)  # noqa: E731
    words = (f"Trend of {what} over {len(pairs)} periods, {labels[first_i]} to {labels[last_i]}: "
             f"from {fmt(first_v)} to {fmt(last_v)}, lowest {fmt(lo)}, highest {fmt(hi)}")
    gaps = len(values) - len(pairs)
    if gaps:
        words += f"; {gaps} period{'s' if gaps > 1 else ''} without a figure"
    return Sparkline(" ".join(f"{x:.1f},{y:.1f}" for x, y in pts), (round(pts[-1][0], 1), round(pts[-1][1], 1)),
                     words + ".")
