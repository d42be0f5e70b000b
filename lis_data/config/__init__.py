"""The area and the catalogue, read from the TOML files in lis_data/config/.

Metadata is data: priorities, indicators, the area and its comparators are
edited there, not here.

One lifetime: each file is read once per process, like the settings, and the indicator store the
process opens is built for what was read (lis_data.runtime.store: its fingerprint covers both files).
An edit takes effect at the next start, when the store is rebuilt for it; pages, packs, the API and
the command line of one process never see two versions (README: Caching). `reset()` forgets what was
read (a test standing in for a restart).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lis_data.errors import ConfigError
from lis_data import paths  # a module, not its names: lis_data.paths reads lis_data.config.settings


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str = ""
    county: str = ""
    # The same area under another coding system (the South East region is also
    # published as ITL level 1 area TLJ in some releases).
    also_published_as: tuple[str, ...] = ()


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
    keep_prefixes: tuple[str, ...] = ()
    district_prefixes: tuple[str, ...] = ()

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

    def keeps(self, areacd: str) -> bool:
        """Whether the extract keeps figures for this area code."""
        return areacd.startswith(self.keep_prefixes)

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
        comparators = {
            k: Area(v["code"], v["name"], also_published_as=tuple(v.get("also_published_as", ())))
            for k, v in raw["comparators"].items()
        }
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
            keep_prefixes=tuple(raw["extract"]["keep_prefixes"]),
            district_prefixes=tuple(raw["extract"]["district_prefixes"]),
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


def load_area(path: Path | None = None) -> AreaConfig:
    """The area config: `path`, or area.toml in lis_data/config/ (LIS_CONFIG_DIR overrides); read once
    per process (the module docstring)."""
    return _load_area(Path(path or paths.config_dir() / "area.toml").resolve())


@lru_cache(maxsize=None)
def _load_area(path: Path) -> AreaConfig:
    return parse_area(_read_toml(path), str(path))


POLARITIES = ("higher", "lower", "neither")
LEVELS = ("district", "county", "itl", "region")
# How an indicator is compared (OHID Fingertips' benchmarking methods): "ci95", by the published
# 95% confidence interval against the benchmark's figure; "quintiles", the district's fifth among
# all English districts with a figure for that period (a position, not a significance test);
# "none", shown but not judged (counts and totals, and figures with neither an interval nor a
# ranking of districts). 99.8% intervals are not published, so no indicator can use them.
METHODS = ("ci95", "quintiles", "none")
# "count": a count or total, never compared with England's or a region's total; "rate": a rate,
# share, average, ratio or score, comparable between areas of any size.
KINDS = ("rate", "count")


@dataclass(frozen=True)
class Priority:
    number: int
    id: str
    title: str
    statement: str


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    short_label: str
    dataset: str
    indicator: str
    measure: str
    unit: str
    decimals: int
    polarity: str
    priorities: tuple[str, ...]
    level: str
    method: str = "none"
    kind: str = "rate"
    headline: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        """The upstream identity: dataset, indicator and measure as published."""
        return (self.dataset, self.indicator, self.measure)


@dataclass(frozen=True)
class Catalogue:
    priorities: tuple[Priority, ...]
    indicators: tuple[Indicator, ...]

    def priority(self, pid: str) -> Priority:
        for p in self.priorities:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def indicator(self, iid: str) -> Indicator:
        for i in self.indicators:
            if i.id == iid:
                return i
        raise KeyError(iid)

    def indicators_for(self, pid: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if pid in i.priorities)

    def headlines_for(self, pid: str, at_most: int = 3) -> tuple[Indicator, ...]:
        """The indicators the overview shows for a priority: those marked headline first."""
        inds = self.indicators_for(pid)
        ranked = sorted(inds, key=lambda i: (not i.headline, i.level != "district"))
        return tuple(ranked[:at_most])

    @property
    def datasets(self) -> tuple[str, ...]:
        return tuple(sorted({i.dataset for i in self.indicators}))


def parse_catalogue(raw: dict, source: str = "catalogue.toml") -> Catalogue:
    priorities: list[Priority] = []
    for n, p in enumerate(raw.get("priorities", []), 1):
        try:
            priorities.append(Priority(int(p["number"]), p["id"], p["title"], p["statement"]))
        except KeyError as exc:
            raise ConfigError(f"{source}: priority #{n} is missing {exc}") from exc
    pids = [p.id for p in priorities]
    if len(set(pids)) != len(pids):
        raise ConfigError(f"{source}: a priority id is used twice")
    indicators: list[Indicator] = []
    for n, i in enumerate(raw.get("indicators", []), 1):
        try:
            ind = Indicator(
                id=i["id"],
                label=i["label"],
                short_label=i.get("short_label", i["label"]),
                dataset=i["dataset"],
                indicator=i["indicator"],
                measure=i["measure"],
                unit=i["unit"],
                decimals=int(i["decimals"]),
                polarity=i["polarity"],
                priorities=tuple(i["priorities"]),
                level=i["level"],
                method=i["method"],
                kind=i["kind"],
                headline=bool(i.get("headline", False)),
            )
        except KeyError as exc:
            raise ConfigError(f"{source}: indicator #{n} ({i.get('id', '?')}) is missing {exc}") from exc
        if ind.polarity not in POLARITIES:
            raise ConfigError(f"{source}: indicator {ind.id}: polarity {ind.polarity!r} is not one of {POLARITIES}")
        if ind.level not in LEVELS:
            raise ConfigError(f"{source}: indicator {ind.id}: level {ind.level!r} is not one of {LEVELS}")
        if ind.method not in METHODS:
            raise ConfigError(f"{source}: indicator {ind.id}: method {ind.method!r} is not one of {METHODS}")
        if ind.kind not in KINDS:
            raise ConfigError(f"{source}: indicator {ind.id}: kind {ind.kind!r} is not one of {KINDS}")
        if ind.kind == "count" and ind.method != "none":
            raise ConfigError(f"{source}: indicator {ind.id}: a count is never judged (method must be \"none\")")
        if ind.method == "quintiles" and ind.level != "district":
            raise ConfigError(f"{source}: indicator {ind.id}: quintiles rank districts, but it is published "
                              f"at {ind.level} level")
        unknown = [p for p in ind.priorities if p not in pids]
        if unknown or not ind.priorities:
            raise ConfigError(f"{source}: indicator {ind.id}: unknown or no priorities {unknown}")
        indicators.append(ind)
    ids = [i.id for i in indicators]
    if len(set(ids)) != len(ids):
        dup = sorted({x for x in ids if ids.count(x) > 1})
        raise ConfigError(f"{source}: indicator id used twice: {dup}")
    keys = [i.key for i in indicators]
    if len(set(keys)) != len(keys):
        raise ConfigError(f"{source}: two indicators read the same dataset/indicator/measure")
    return Catalogue(tuple(sorted(priorities, key=lambda p: p.number)), tuple(indicators))


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue: `path`, or catalogue.toml in lis_data/config/ (LIS_CONFIG_DIR overrides); read once
    per process (the module docstring)."""
    return _load_catalogue(Path(path or paths.config_dir() / "catalogue.toml").resolve())


@lru_cache(maxsize=None)
def _load_catalogue(path: Path) -> Catalogue:
    return parse_catalogue(_read_toml(path), str(path))


def reset() -> None:
    """Forget the area and catalogue read so far: the next load reads the files again, as a restart would."""
    _load_area.cache_clear()
    _load_catalogue.cache_clear()
