"""The sources table: per indicator its priorities, level, periods, district coverage, source,
release date and link. The Data and sources page and the evidence pack's appendix read these rows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .source import ViewSource


@dataclass(frozen=True)
class SourceRow:
    indicator_id: str
    indicator: str
    priorities: str  # "1, 9"
    level: str
    periods: str  # "2004 to 2023"
    coverage: str  # "280 of 294" (districts x periods with a figure), or "not published for districts"
    source: str
    released: str
    link: str | None
    dataset: str
    caveats: str


def source_rows(src: ViewSource, coverage: pd.DataFrame) -> tuple[SourceRow, ...]:
    """`coverage`: queries.coverage for the area's districts."""
    cat = src.catalogue()
    rows = []
    for ind in cat.indicators:
        c = coverage[coverage["indicator_id"] == ind.id]
        periods = c.drop_duplicates("period").sort_values("period_start")
        m = src.meta(ind.id)
        rows.append(SourceRow(
            ind.id, ind.label, ", ".join(str(cat.priority(p).number) for p in ind.priorities), ind.level,
            f"{periods['period_label'].iloc[0]} to {periods['period_label'].iloc[-1]}" if len(periods) else "",
            f"{int(c['present'].sum())} of {len(c)}" if ind.level == "district" else "not published for districts",
            str(m.get("source_org") or "Office for National Statistics"), str(m.get("release_date") or "not stated"),
            m.get("source_url") or None, ind.dataset, str(m.get("caveats") or "")))
    return tuple(rows)
