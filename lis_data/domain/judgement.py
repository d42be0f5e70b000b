"""The rules that judge a figure, used everywhere the app or the command line says better, similar,
worse or names a fifth. No Streamlit. Each indicator's method is data (lis_data/config/catalogue.toml);
the judged table (lis_data.runtime.judged_table) applies these rules once per store build, in SQL written here
(`judgement_sql`, `direction_sql`), and every surface reads its rows.

The methods are those of OHID's Fingertips public health profiles.

Method "ci95": an area's figure is compared with the benchmark's figure for the same period by the
area's published 95% confidence interval.

- The whole interval on the better side of the benchmark -> "better"; on the worse side -> "worse";
  the interval contains (or touches) the benchmark -> "similar".
- An indicator with no polarity ("neither") -> "higher" / "similar" / "lower".
- No interval published -> "not tested": the difference is a difference, never better or worse.
- No benchmark figure for that period -> "not compared".
- No figure for the area -> "no figure".

Method "quintiles" (rates and shares published without an interval): the district's fifth among
all English districts with a figure for that period, by rank (1 = best; for "neither", 1 = the
highest): best fifth ... worst fifth, or highest ... lowest fifth. A position, not a significance
test, and the same whatever the benchmark.

Method "none" (counts and totals, and figures that can be neither tested nor ranked): "not judged".

Direction of travel: improving or worsening (increasing or decreasing where neither is better) only
when this period's interval and the previous period's do not overlap; "no significant change" when
they do; without intervals, the change is a change, not a trend: "rose", "fell" or "no change".
A median of several districts is never judged as if it were one area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BETTER, SIMILAR, WORSE = "better", "similar", "worse"
HIGHER, LOWER = "higher", "lower"
NOT_TESTED, NOT_COMPARED, NO_FIGURE = "not tested", "not compared", "no figure"

NOT_JUDGED = "not judged"
# Quintiles: 1 = best (highest where neither is better) ... 5 = worst (lowest).
FIFTHS = ("best fifth", "second-best fifth", "middle fifth", "second-worst fifth", "worst fifth")
FIFTHS_NEITHER = ("highest fifth", "second-highest fifth", "middle fifth", "second-lowest fifth", "lowest fifth")
BEST_FIFTH, WORST_FIFTH = FIFTHS[0], FIFTHS[-1]
HIGHEST_FIFTH, LOWEST_FIFTH = FIFTHS_NEITHER[0], FIFTHS_NEITHER[-1]

# Every judgement, in the order a table or a legend lists them.
JUDGEMENTS = (BETTER, SIMILAR, WORSE, HIGHER, LOWER, *FIFTHS, *FIFTHS_NEITHER[:2], *FIFTHS_NEITHER[3:],
              NOT_TESTED, NOT_COMPARED, NOT_JUDGED, NO_FIGURE)
SIGNIFICANT = (BETTER, WORSE, HIGHER, LOWER)
# What "Show: Worse" and "Show: Better" include: a significant difference, or the worst (best) fifth.
WORSE_LIKE = (WORSE, WORST_FIFTH)
BETTER_LIKE = (BETTER, BEST_FIFTH)
QUINTILE_JUDGEMENTS = tuple(dict.fromkeys((*FIFTHS, *FIFTHS_NEITHER)))

METHOD_TEXT = {
    "ci95": "Better, similar or worse (95% confidence interval): the published interval lies wholly on one side "
            "of the benchmark's figure for the same period, or contains it.",
    "quintiles": "Fifths of English districts (for rates published without an interval): the district's position "
                 "among all English districts with a figure for that period, best to worst fifth (highest to lowest "
                 "where neither is better); a position, not a significance test.",
    "none": "Not judged (counts and totals): never compared with a larger area's total; shown with their "
            "change and their share of the benchmark area's total.",
}

IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no change"
INCREASING, DECREASING = "increasing", "decreasing"
NO_SIGNIFICANT_CHANGE = "no significant change"
ROSE, FELL = "rose", "fell"  # a change without intervals: not a tested trend
NO_PREVIOUS = "no earlier figure"

BENCHMARKS = ("england", "region", "county")
DEFAULT_BENCHMARK = "england"

# Never colour alone: every judgement has a word and a marker shape (Vega-Lite shape names and a
# text symbol), and a colour from the Okabe-Ito colour-blind-safe hues of .streamlit/config.toml.
STYLE: dict[str, dict[str, str]] = {
    BETTER: {"shape": "triangle-up", "symbol": "▲", "colour": "#0072B2"},
    SIMILAR: {"shape": "circle", "symbol": "●", "colour": "#8A6A00"},
    WORSE: {"shape": "triangle-down", "symbol": "▼", "colour": "#D55E00"},
    HIGHER: {"shape": "diamond", "symbol": "◆", "colour": "#AA3377"},
    LOWER: {"shape": "square", "symbol": "■", "colour": "#AA3377"},
    NOT_TESTED: {"shape": "cross", "symbol": "✕", "colour": "#5B3A29"},
    NOT_COMPARED: {"shape": "triangle-right", "symbol": "▸", "colour": "#767676"},
    NOT_JUDGED: {"shape": "triangle-left", "symbol": "◂", "colour": "#767676"},
    NO_FIGURE: {"shape": "stroke", "symbol": "–", "colour": "#767676"},
}
# Fifths: arrows and bars (SVG paths on Vega's unit square, y pointing down), never a shape a
# tested judgement uses, so a fifth is never read as a significant difference.
_UP_ARROW, _UP_WEDGE = "arrow", "wedge"
_DOWN_ARROW = "M0,1L-0.7,0.2L-0.25,0.2L-0.25,-1L0.25,-1L0.25,0.2L0.7,0.2Z"
_DOWN_WEDGE = "M0,1L-0.35,-1L0.35,-1Z"
_BAR = "M-1,-0.3L1,-0.3L1,0.3L-1,0.3Z"
# Where neither is better: chevrons, pointing up for the highest and down for the lowest.
_CHEVRON_UP = "M0,-1L1,0.4L1,1L0,-0.2L-1,1L-1,0.4Z"
_SMALL_CHEVRON_UP = "M0,-0.5L1,0.5L0.5,0.5L0,0L-0.5,0.5L-1,0.5Z"
_SMALL_CHEVRON_DOWN = "M0,0.5L1,-0.5L0.5,-0.5L0,0L-0.5,-0.5L-1,-0.5Z"
_CHEVRON_DOWN = "M0,1L1,-0.4L1,-1L0,0.2L-1,-1L-1,-0.4Z"
for _names, _shapes, _symbols, _good, _bad in (
        (FIFTHS, (_UP_ARROW, _UP_WEDGE, _BAR, _DOWN_WEDGE, _DOWN_ARROW), ("⬆", "↑", "▬", "↓", "⬇"),
         "#0072B2", "#D55E00"),
        (FIFTHS_NEITHER, (_CHEVRON_UP, _SMALL_CHEVRON_UP, _BAR, _SMALL_CHEVRON_DOWN, _CHEVRON_DOWN),
         ("⇈", "⇡", "▬", "⇣", "⇊"), "#AA3377", "#AA3377")):
    for _name, _shape, _symbol, _colour in zip(_names, _shapes, _symbols, (_good, _good, "#8A6A00", _bad, _bad)):
        STYLE.setdefault(_name, {"shape": _shape, "symbol": _symbol, "colour": _colour})


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _f(x) -> float | None:
    return None if _missing(x) else float(x)


def judge(value, lci, uci, benchmark_value, polarity: str) -> str:
    """Judge one figure against the benchmark's figure for the same period (see module docstring).
    `polarity` is the catalogue's: "higher", "lower" or "neither"."""
    value, lci, uci, benchmark_value = _f(value), _f(lci), _f(uci), _f(benchmark_value)
    if value is None:
        return NO_FIGURE
    if benchmark_value is None:
        return NOT_COMPARED
    if lci is None or uci is None:
        return NOT_TESTED
    lo, hi = min(lci, uci), max(lci, uci)
    if lo > benchmark_value:
        side = HIGHER
    elif hi < benchmark_value:
        side = LOWER
    else:
        return SIMILAR  # the interval contains or touches the benchmark: not significant
    if polarity == "higher":
        return BETTER if side == HIGHER else WORSE
    if polarity == "lower":
        return BETTER if side == LOWER else WORSE
    return side


def direction(change, polarity: str) -> str:
    """Direction of travel since the previous published figure, worded by the polarity."""
    change = _f(change)
    if change is None:
        return NO_PREVIOUS
    if change == 0:
        return NO_CHANGE
    if polarity == "neither":
        return INCREASING if change > 0 else DECREASING
    good = change > 0 if polarity == "higher" else change < 0
    return IMPROVING if good else WORSENING


def change_words(change) -> str:
    """A change without intervals (a median's, say), worded as a change, never as a trend."""
    change = _f(change)
    if change is None:
        return NO_PREVIOUS
    return ROSE if change > 0 else FELL if change < 0 else NO_CHANGE


@dataclass(frozen=True)
class Comparison:
    """One figure judged against one benchmark, with the words to show."""

    judgement: str
    benchmark_name: str
    benchmark_value: float | None
    difference: float | None  # area minus benchmark, same period; None when not compared

    @property
    def symbol(self) -> str:
        return STYLE[self.judgement]["symbol"]

    @property
    def phrase(self) -> str:
        """e.g. "worse than England", "similar to the South East", "not tested against England"."""
        return phrase(self.judgement, self.benchmark_name)


def phrase(judgement: str, benchmark_name: str) -> str:
    if judgement in QUINTILE_JUDGEMENTS:
        return f"{judgement} of English districts"
    if judgement == NOT_JUDGED:
        return "not judged (a count or total, or no interval and no ranking)"
    if judgement in (BETTER, WORSE, HIGHER, LOWER):
        return f"{judgement} than {benchmark_name}"
    if judgement == SIMILAR:
        return f"similar to {benchmark_name}"
    if judgement == NOT_TESTED:
        return f"not tested against {benchmark_name} (no confidence interval published)"
    if judgement == NOT_COMPARED:
        return f"not compared: no {benchmark_name} figure for the same period"
    return "no figure"


def compare(value, lci, uci, benchmark_value, benchmark_name: str, polarity: str) -> Comparison:
    j = judge(value, lci, uci, benchmark_value, polarity)
    diff = None if j in (NO_FIGURE, NOT_COMPARED) else float(value) - float(benchmark_value)
    return Comparison(j, benchmark_name, _f(benchmark_value), diff)


def count(judgements) -> dict[str, int]:
    """How many of each judgement, in JUDGEMENTS order (zeros kept)."""
    out = {j: 0 for j in JUDGEMENTS}
    for j in judgements:
        out[j] += 1
    return out


def quintile(rank, n) -> int | None:
    """The fifth (1 = best, or highest where neither is better) of rank `rank` of `n`."""
    if _missing(rank) or _missing(n) or not n:
        return None
    return min(5, int((int(rank) - 1) * 5 // int(n)) + 1)


def fifth(q: int | None, polarity: str) -> str:
    """The words of a fifth: "worst fifth", "highest fifth"...; "not compared" without a rank."""
    if q is None:
        return NOT_COMPARED
    return (FIFTHS_NEITHER if polarity == "neither" else FIFTHS)[q - 1]


def _sql_list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def judgement_sql(method: str, polarity: str, value: str, lci: str, uci: str, bench: str, q: str) -> str:
    """The rule as a DuckDB expression over the named columns (the judged table is built with it).
    `method` and `polarity` are SQL expressions too (columns of the indicator)."""
    fifths = " ".join(f"WHEN {i + 1} THEN CASE WHEN {polarity} = 'neither' THEN '{n}' ELSE '{b}' END"
                      for i, (b, n) in enumerate(zip(FIFTHS, FIFTHS_NEITHER)))
    return f"""CASE
        WHEN {value} IS NULL OR isnan({value}) THEN '{NO_FIGURE}'
        WHEN {method} = 'none' THEN '{NOT_JUDGED}'
        WHEN {method} = 'quintiles' THEN CASE {q} {fifths} ELSE '{NOT_COMPARED}' END
        WHEN {bench} IS NULL OR isnan({bench}) THEN '{NOT_COMPARED}'
        WHEN {lci} IS NULL OR {uci} IS NULL OR isnan({lci}) OR isnan({uci}) THEN '{NOT_TESTED}'
        WHEN least({lci}, {uci}) > {bench} THEN CASE {polarity} WHEN 'higher' THEN '{BETTER}'
             WHEN 'lower' THEN '{WORSE}' ELSE '{HIGHER}' END
        WHEN greatest({lci}, {uci}) < {bench} THEN CASE {polarity} WHEN 'higher' THEN '{WORSE}'
             WHEN 'lower' THEN '{BETTER}' ELSE '{LOWER}' END
        ELSE '{SIMILAR}' END"""


def direction_sql(polarity: str, value: str, lci: str, uci: str, pvalue: str, plci: str, puci: str) -> str:
    """Direction of travel as a DuckDB expression: tested against both periods' intervals where
    both are published, else a change worded as a change."""
    up = f"CASE {polarity} WHEN 'higher' THEN '{IMPROVING}' WHEN 'lower' THEN '{WORSENING}' ELSE '{INCREASING}' END"
    down = f"CASE {polarity} WHEN 'higher' THEN '{WORSENING}' WHEN 'lower' THEN '{IMPROVING}' ELSE '{DECREASING}' END"
    return f"""CASE
        WHEN {pvalue} IS NULL THEN '{NO_PREVIOUS}'
        WHEN {lci} IS NOT NULL AND {uci} IS NOT NULL AND {plci} IS NOT NULL AND {puci} IS NOT NULL THEN
            CASE WHEN least({lci}, {uci}) > greatest({plci}, {puci}) THEN {up}
                 WHEN greatest({lci}, {uci}) < least({plci}, {puci}) THEN {down}
                 ELSE '{NO_SIGNIFICANT_CHANGE}' END
        WHEN {value} > {pvalue} THEN '{ROSE}'
        WHEN {value} < {pvalue} THEN '{FELL}'
        ELSE '{NO_CHANGE}' END"""
