"""The places a sounding-board comment can name: the districts (by GSS code) and the towns (by name),
with the labels shown for them. Shared by the sounding board, the staff view and the evidence pack."""

from __future__ import annotations

from lis_data.config import AreaConfig
from lis_data.domain.reference import load_towns


def place_options(area: AreaConfig) -> tuple[list[str], dict[str, str]]:
    districts = sorted(area.districts, key=lambda d: d.name)
    names = {d.code: d.name for d in area.districts}
    towns = load_towns(area=area).sort_values("town")
    labels = {d.code: f"{d.name} (district)" for d in districts}
    labels.update({t: f"{t}, {names[c]}" for t, c in zip(towns["town"], towns["district_code"])})
    return [d.code for d in districts] + list(towns["town"]), labels


def places_in(area: AreaConfig, district_code: str) -> tuple[str, ...]:
    """A district's own code and the towns in it: the places a comment about it may name."""
    towns = load_towns(area=area)
    return (district_code, *towns.loc[towns["district_code"] == district_code, "town"].tolist())


def accepted_places(area: AreaConfig) -> list[str]:
    """What a comment's places may be (lis_data.feedback.validation matches them case-insensitively):
    the form's options, and the districts' names as typed (the command line, a paper form)."""
    options, _ = place_options(area)
    return [*options, *(d.name for d in area.districts if d.name not in options)]
