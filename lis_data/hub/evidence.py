"""The evidence beside an idea: the judged figures of the indicators it names, their latest movement,
and the research that bears on it (no streamlit).

The figures come from the district profile's rows (`lis_data.domain.profile`), judged by the one rule in
`lis_data.domain.judgement` against England, for the area's districts. `_profile_rows` is the one place
that reads them, so a different judged table can be swapped in there. Indicators published only
for larger areas (county, ITL, region) are not judged district by district: they say so, and the
page links to their priority page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lis_data.domain import judgement as jm
from lis_data.config import AreaConfig, Catalogue, load_area, load_catalogue
from lis_data.views.formatting import with_unit
from lis_data.views.judged import counts_text


@dataclass(frozen=True)
class DistrictFigure:
    code: str
    name: str
    value: str  # formatted with its unit, "no figure" for a gap
    judgement: str  # words with the judgement's shape, e.g. "▲ better than England"


@dataclass(frozen=True)
class IndicatorEvidence:
    indicator_id: str
    label: str
    priority: str
    level: str
    period: str  # "" when no district has a figure, or the indicator is not district-level
    summary: str  # the judgements counted in words; for another level, why there are none
    districts: tuple[DistrictFigure, ...]
    movement: str  # the latest change of each district, counted in words ("" when none)

    @property
    def judged(self) -> bool:
        return bool(self.districts)


def _profile_rows(store, codes: Sequence[str], area: AreaConfig, catalogue: Catalogue):
    """(group rows by indicator id, profile rows by district): the judged table the evidence reads."""
    from lis_data.domain.profile import district_profiles, group_profile

    groups = {g.indicator: g for g in group_profile(store, codes, jm.DEFAULT_BENCHMARK, area, catalogue)}
    profiles = district_profiles(store, codes, jm.DEFAULT_BENCHMARK, area, catalogue)
    return groups, profiles


def movement_text(directions) -> str:
    """"Since the previous figure: 5 improving, 2 worsening, 1 no change"; "" when none changed."""
    counts: dict[str, int] = {}
    for d in directions:
        if d and d != jm.NO_PREVIOUS:
            counts[d] = counts.get(d, 0) + 1
    if not counts:
        return ""
    order = (jm.IMPROVING, jm.WORSENING, jm.INCREASING, jm.DECREASING, jm.NO_CHANGE)
    return "Since the previous figure, districts: " + ", ".join(
        f"{counts[d]} {d}" for d in order if d in counts)


def indicator_evidence(store, indicator_ids: Sequence[str], area: AreaConfig | None = None,
                       catalogue: Catalogue | None = None) -> list[IndicatorEvidence]:
    """The named indicators' judged figures for every district of the area, in the order named.
    Unknown ids are skipped (an indicator gone from the catalogue)."""
    area, catalogue = area or load_area(), catalogue or load_catalogue()
    known = {i.id: i for i in catalogue.indicators}
    wanted = [known[i] for i in indicator_ids if i in known]
    if not wanted:
        return []
    codes = tuple(area.district_codes)
    needs_districts = any(i.level == "district" for i in wanted)
    groups, profiles = _profile_rows(store, codes, area, catalogue) if needs_districts else ({}, {})
    out = []
    for ind in wanted:
        if ind.level != "district":
            out.append(IndicatorEvidence(ind.id, ind.label, ind.priorities[0], ind.level, "",
                                         f"Published for {ind.level}-level areas only, so not judged district by "
                                         "district: see its priority page.", (), ""))
            continue
        g = groups.get(ind.id)
        if g is None or not g.period:
            out.append(IndicatorEvidence(ind.id, ind.label, ind.priorities[0], ind.level, "",
                                         "No district has a figure yet.", (), ""))
            continue
        figures = tuple(
            DistrictFigure(m.code, m.name,
                           "no figure" if m.value is None else with_unit(m.value, ind.unit, ind.decimals),
                           f"{jm.STYLE[m.judgement]['symbol']} {m.judgement}")
            for m in g.marks)
        rows = [r for c in codes for r in profiles.get(c, []) if r.indicator == ind.id]
        summary = f"{g.period}. " + counts_text([m.judgement for m in g.marks], "England")
        out.append(IndicatorEvidence(ind.id, ind.label, ind.priorities[0], ind.level, g.period, summary, figures,
                                     movement_text(r.direction for r in rows)))
    return out
