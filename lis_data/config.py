"""The area and the catalogue, read from the TOML files in lis_data/config/.

Metadata is data: priorities, indicators, the area and its comparators are
edited there, not here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError
from .paths import CONFIG_DIR


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str = ""
    county: str = ""


@dataclass(frozen=True)
class AreaConfig:
    name: str
    short_name: str
    description: str
    districts: tuple[Area, ...]
    counties: tuple[Area, ...]
    comparators: dict[str, Area]
    larger_areas: tuple[Area, ...]
    neighbour_kinds: tuple[str, ...]
    default_neighbour_kind: str
    neighbours_how_many: int

    @property
    def district_codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.districts)

    def district(self, code: str) -> Area:
        for d in self.districts:
            if d.code == code:
                return d
        raise KeyError(code)

    def name_of(self, code: str) -> str:
        for a in (*self.districts, *self.counties, *self.comparators.values(), *self.larger_areas):
            if a.code == code:
                return a.name
        raise KeyError(code)

    @property
    def comparator_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.comparators.values()) + tuple(c.code for c in self.counties)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def parse_area(raw: dict, source: str = "area.toml") -> AreaConfig:
    try:
        districts = tuple(Area(d["code"], d["name"], "Local Authority District", d["county"]) for d in raw["districts"])
        counties = tuple(Area(c["code"], c["name"], "County") for c in raw["counties"])
        comparators = {k: Area(v["code"], v["name"]) for k, v in raw["comparators"].items()}
        larger = tuple(Area(a["code"], a["name"], a["level"]) for a in raw.get("larger_areas", []))
        nb = raw.get("neighbours", {})
        cfg = AreaConfig(
            name=raw["name"],
            short_name=raw.get("short_name", raw["name"]),
            description=raw.get("description", ""),
            districts=districts,
            counties=counties,
            comparators=comparators,
            larger_areas=larger,
            neighbour_kinds=tuple(nb.get("kinds", ["economic"])),
            default_neighbour_kind=nb.get("default_kind", "economic"),
            neighbours_how_many=int(nb.get("how_many", 5)),
        )
    except KeyError as exc:
        raise ConfigError(f"{source}: missing key {exc}") from exc
    county_codes = {c.code for c in counties}
    for d in districts:
        if d.county not in county_codes:
            raise ConfigError(f"{source}: district {d.code} names county {d.county}, which is not listed")
    if len({d.code for d in districts}) != len(districts):
        raise ConfigError(f"{source}: a district is listed twice")
    return cfg


@lru_cache(maxsize=None)
def load_area(path: Path | None = None) -> AreaConfig:
    path = path or CONFIG_DIR / "area.toml"
    return parse_area(_read_toml(path), str(path))
