"""The one rule that judges a figure against a benchmark, used everywhere the app or the command
line says better, similar or worse. No Streamlit.

The method is the one OHID's Fingertips public health profiles use: an area's figure is compared
with the benchmark's figure for the same period by the area's published 95% confidence interval.

- The whole interval on the better side of the benchmark -> "better"; on the worse side -> "worse";
  the interval contains (or touches) the benchmark -> "similar".
- An indicator with no polarity ("neither") -> "higher" / "similar" / "lower".
- No interval published -> "not tested": the difference is a difference, never better or worse.
- No benchmark figure for that period -> "not compared".
- No figure for the area -> "no figure".

Direction of travel is worded as direction (improving / worsening / no change), never as
significance. A median of several districts is never judged as if it were one area.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

BETTER, SIMILAR, WORSE = "better", "similar", "worse"
HIGHER, LOWER = "higher", "lower"
NOT_TESTED, NOT_COMPARED, NO_FIGURE = "not tested", "not compared", "no figure"

# Every judgement, in the order a table or a legend lists them.
JUDGEMENTS = (BETTER, SIMILAR, WORSE, HIGHER, LOWER, NOT_TESTED, NOT_COMPARED, NO_FIGURE)
SIGNIFICANT = (BETTER, WORSE, HIGHER, LOWER)

IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no change"
INCREASING, DECREASING = "increasing", "decreasing"
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
    NO_FIGURE: {"shape": "stroke", "symbol": "–", "colour": "#767676"},
}


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


def benchmark_in_period(benchmark_by_period: Mapping[str, float], period: str) -> float | None:
    """The benchmark's figure for exactly this period, or None: a benchmark whose latest figure is
    for another period is never used in its place."""
    return _f(benchmark_by_period.get(period))


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


def benchmark_area(area, district_code: str, benchmark: str):
    """The benchmark Area (code, name) for a district: England, the region, or the district's
    county (an EM3 district only). `area` is the AreaConfig."""
    if benchmark not in BENCHMARKS:
        raise ValueError(f"benchmark {benchmark!r}: choose from {', '.join(BENCHMARKS)}")
    if benchmark == "county":
        county = area.district(district_code).county
        return next(c for c in area.counties if c.code == county)
    return area.comparators[benchmark]


def judge_table(rows, benchmark_rows, benchmark_code_of: Mapping[str, str], polarity: str):
    """Judge every row of a table of figures (columns areacd, period, value, lci, uci) against its
    benchmark's figure for the same period. `benchmark_rows` holds the benchmarks' figures (areacd,
    period, value); `benchmark_code_of` maps an area to its benchmark's code: areas not in it (the
    comparators themselves) are not judged and get an empty judgement. Returns a copy with the
    columns benchmark_value and judgement added."""
    bench = {(a, p): v for a, p, v in zip(benchmark_rows["areacd"], benchmark_rows["period"],
                                          benchmark_rows["value"])}
    out = rows.copy()
    values, verdicts = [], []
    for a, p, v, lo, hi in zip(rows["areacd"], rows["period"], rows["value"], rows["lci"], rows["uci"]):
        code = benchmark_code_of.get(a)
        if code is None or code == a:
            values.append(None)
            verdicts.append("")
            continue
        b = _f(bench.get((code, p)))
        values.append(b)
        verdicts.append(judge(v, lo, hi, b, polarity))
    out["benchmark_value"] = values
    out["judgement"] = verdicts
    return out
