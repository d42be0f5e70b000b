"""The project's own extract of the upstream figures, written by `python -m lis_data build`.

The repository carries the extract (data/extract/) so that a fresh machine runs
with real figures and no network. It holds:

  observations.parquet  every kept figure with its upstream identity, as published
  indicators.json       the catalogue merged with each indicator's upstream metadata
  areas.csv             code, name and geography of every area kept
  boundaries.geojson    EM3 districts and their neighbours (lis_data.domain.geography)
  neighbours.csv        ONS statistical neighbours of the EM3 districts
  manifest.json         source files (with checksums), row counts, licence
  release_log.json      what each build changed (lis_data.runtime.release_log), carried from build to build

A build writes everything to a temporary folder and swaps it in only when all
of it succeeded: a failed build leaves the previous extract untouched, and a
killed one leaves the old or the new extract (lis_data.runtime.extract_swap).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from lis_data import __version__
from lis_data.runtime import release_log
from lis_data.config import AreaConfig, Catalogue
from lis_data.constants import ATTRIBUTION, LICENCE, LICENCE_URL
from lis_data.errors import SourceError
from lis_data.runtime.extract_swap import extract_lock, fsync_tree, recover_locked, swap_in, temp_prefix
from lis_data.runtime.fingerprint import sha256_file
from lis_data.ingest.upstream import ReadReport, dataset_paths, metadata_for, read_dataset, read_metadata

__all__ = ["BuildResult", "ExtractDiff", "build_extract", "diff_extracts"]

OBSERVATION_COLUMNS = [
    "indicator_id", "dataset", "indicator", "measure", "areacd", "period",
    "observation", "lci_95", "uci_95", "status", "notes", "unit",
    "value", "lci", "uci", "period_start", "period_end", "period_label", "frequency",
]
KEY = ["dataset", "indicator", "measure", "areacd", "period"]


def _brief(value, limit: int = 60) -> str:
    """A value for the terminal: quoted (control characters escaped), cut to `limit` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if text == "":
        return "(empty)"
    return repr(text if len(text) <= limit else text[:limit - 3] + "...") + (
        f" ({len(text)} characters)" if len(text) > limit else "")


@dataclass
class ExtractDiff:
    """What changed between two extracts."""

    first_build: bool = False
    new_periods: dict[str, list[str]] = field(default_factory=dict)  # indicator id -> period labels
    # key + old and new observation ("old", "new"), interval ("old_interval", "new_interval": "lci–uci")
    # and status ("old_status", "new_status"): every figure whose published value, interval or status changed
    revised: list[dict] = field(default_factory=list)
    indicators_gone: list[str] = field(default_factory=list)
    indicators_new: list[str] = field(default_factory=list)
    rows_gone: int = 0
    rows_added: int = 0
    metadata_changed: dict[str, dict[str, list]] = field(default_factory=dict)  # id -> field -> [old, new]
    # judgements against `benchmark_name` changed for a figure in both extracts (lis_data.domain.judgement_flips)
    judgements_flipped: list[dict] = field(default_factory=list)
    benchmark_name: str = "England"
    area_names: dict[str, str] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return not (self.new_periods or self.revised or self.indicators_gone or self.indicators_new
                    or self.rows_gone or self.rows_added or self.metadata_changed or self.judgements_flipped)

    def _area(self, code: str) -> str:
        name = self.area_names.get(code)
        return f"{name} ({code})" if name else code

    @staticmethod
    def revision_words(r: dict) -> str:
        """What changed in one revised figure: "figure '25' -> '26'; interval '21.75–31.12' -> '10.0–12.0'"."""
        parts = []
        if r["old"] != r["new"]:
            parts.append(f"figure {_brief(r['old'])} -> {_brief(r['new'])}")
        if r.get("old_interval", "") != r.get("new_interval", ""):
            parts.append(f"interval {_brief(r['old_interval'])} -> {_brief(r['new_interval'])}")
        if r.get("old_status", "") != r.get("new_status", ""):
            parts.append(f"status {_brief(r['old_status'])} -> {_brief(r['new_status'])}")
        return "; ".join(parts) or "unchanged"

    def lines(self, max_revised: int = 20) -> list[str]:
        if self.first_build:
            return ["No previous extract: everything is new."]
        if self.unchanged:
            return ["No change against the previous extract."]
        kinds = {k: sum(1 for r in self.revised if r.get(f"old{s}", "") != r.get(f"new{s}", ""))
                 for k, s in (("values", ""), ("intervals", "_interval"), ("statuses", "_status"))}
        out = [f"Rows added: {self.rows_added}, rows gone: {self.rows_gone}, values revised: {kinds['values']}, "
               f"intervals revised: {kinds['intervals']}, status codes changed: {kinds['statuses']}, "
               f"judgements changed: {len(self.judgements_flipped)}, "
               f"indicators with changed metadata: {len(self.metadata_changed)}"]
        for iid, periods in sorted(self.new_periods.items()):
            out.append(f"  new period(s) for {iid}: {', '.join(periods)}")
        for iid in self.indicators_new:
            out.append(f"  new indicator: {iid}")
        for iid in self.indicators_gone:
            out.append(f"  indicator gone: {iid}")
        for r in self.revised[:max_revised]:
            out.append(f"  revised: {r['indicator_id']} {r['areacd']} {r['period']}: {self.revision_words(r)}")
        if len(self.revised) > max_revised:
            out.append(f"  ... and {len(self.revised) - max_revised} more revised figures")
        for f in self.judgements_flipped[:max_revised]:
            out.append(f"  judgement changed: {f['indicator_id']} {self._area(f['areacd'])} {f['period']}: "
                       f"{f['old']} -> {f['new']} (against {self.benchmark_name})")
        if len(self.judgements_flipped) > max_revised:
            out.append(f"  ... and {len(self.judgements_flipped) - max_revised} more judgements changed")
        for iid, fields in sorted(self.metadata_changed.items()):
            for name, (old, new) in sorted(fields.items()):
                out.append(f"  metadata changed: {iid} {name}: {_brief(old)} -> {_brief(new)}")
        return out


@dataclass
class BuildResult:
    out_dir: Path
    rows: int
    seconds: float
    reports: list[ReadReport]
    diff: ExtractDiff
    size_bytes: int
    recovered: list[str] = field(default_factory=list)  # what an interrupted earlier build left, repaired

    def lines(self) -> list[str]:
        out = [f"Repaired after an interrupted build: {what}." for what in self.recovered]
        out += [f"Wrote {self.rows} figures to {self.out_dir} ({self.size_bytes / 1e6:.1f} MB) in {self.seconds:.1f} s."]
        dropped: Counter = Counter()
        notes: Counter = Counter()
        for r in self.reports:
            dropped.update(r.dropped)
            notes.update(r.notes)
        read = sum(r.rows for r in self.reports)
        out.append(f"Read {read} upstream rows from {len(self.reports)} datasets; kept {self.rows}.")
        for reason, n in dropped.most_common():
            out.append(f"  left out {n}: {reason}")
        for remark, n in notes.most_common():
            out.append(f"  kept {n}: {remark}")
        out.append("Changes against the previous extract:")
        out.extend("  " + line for line in self.diff.lines())
        return out


def _read_all(source_dir: Path, area: AreaConfig, catalogue: Catalogue):
    rows: list[tuple] = []
    reports: list[ReadReport] = []
    areas: dict[str, tuple[str, str]] = {}
    indicators: list[dict] = []
    sources: list[dict] = []
    for dataset in catalogue.datasets:
        wanted = {i.key[1:]: i for i in catalogue.indicators if i.dataset == dataset}
        records, report = read_dataset(
            source_dir, dataset, area.keeps, lambda ind, meas: (ind, meas) in wanted)
        meta = read_metadata(source_dir, dataset, report.notes)
        csv_path, json_path = dataset_paths(source_dir, dataset)
        seen = Counter()
        for r in records:
            ind = wanted[(r.indicator, r.measure)]
            seen[ind.id] += 1
            rows.append((
                ind.id, r.dataset, r.indicator, r.measure, r.areacd, r.period.text,
                r.observation, r.lci_95, r.uci_95, r.status, r.notes, r.unit,
                r.value, r.lci, r.uci, r.period.start, r.period.end, r.period.label, r.period.frequency,
            ))
            areas.setdefault(r.areacd, (r.areanm, r.geography))
        for ind in wanted.values():
            if not seen[ind.id]:
                raise SourceError(csv_path, None, f"catalogue indicator {ind.id!r} ({ind.indicator} / {ind.measure}) has no rows for the kept areas")
            m = metadata_for(meta, ind.indicator)
            indicators.append({
                "id": ind.id, "label": ind.label, "short_label": ind.short_label,
                "dataset": ind.dataset, "indicator": ind.indicator, "measure": ind.measure,
                "unit": ind.unit, "decimals": ind.decimals, "polarity": ind.polarity,
                "priorities": list(ind.priorities), "level": ind.level, "headline": ind.headline,
                "upstream_label": m["label"], "subtitle": m["subtitle"], "description": m["description"],
                "caveats": m["caveats"], "source_org": m["source_org"], "source_url": m["source_url"],
                "release_date": m["release_date"],
                "official_statistics_in_development": m["official_statistics_in_development"],
                "licence": LICENCE,
            })
        reports.append(report)
        sources.append({
            "dataset": dataset,
            "csv": f"ons-els/{dataset}/{csv_path.name}", "csv_sha256": sha256_file(csv_path),
            "json": f"ons-els/{dataset}/{json_path.name}", "json_sha256": sha256_file(json_path),
            "rows_read": report.rows, "rows_kept": report.kept,
        })
    return rows, reports, areas, indicators, sources


def _write_observations(rows: list[tuple], path: Path) -> None:
    df = pd.DataFrame.from_records(rows, columns=OBSERVATION_COLUMNS)
    for col in ("period_start", "period_end"):
        df[col] = pd.to_datetime(df[col]).dt.date
    con = duckdb.connect()
    try:
        con.register("obs", df)
        con.execute(
            f"COPY (SELECT * FROM obs ORDER BY {', '.join(KEY)}) TO '{path.as_posix()}' "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)")
    finally:
        con.close()


# indicators.json fields not compared between extracts: the key itself.
_METADATA_SKIP = ("id",)


def _indicator_meta(folder: Path) -> dict[str, dict]:
    path = Path(folder) / "indicators.json"
    if not path.is_file():
        return {}
    try:
        return {m["id"]: m for m in json.loads(path.read_text(encoding="utf-8"))}
    except (ValueError, KeyError, TypeError):
        return {}  # an unreadable previous file: nothing to compare against


def _metadata_changes(old: dict[str, dict], new: dict[str, dict]) -> dict[str, dict[str, list]]:
    """Per indicator in both extracts, every metadata field whose value changed: [old, new]."""
    out: dict[str, dict[str, list]] = {}
    for iid in sorted(old.keys() & new.keys()):
        fields = {k: [old[iid].get(k), new[iid].get(k)] for k in sorted(old[iid].keys() | new[iid].keys())
                  if k not in _METADATA_SKIP and old[iid].get(k) != new[iid].get(k)}
        if fields:
            out[iid] = fields
    return out


# A figure in both extracts is revised when its published value, interval or status changed.
_REVISED = ("(o.observation IS DISTINCT FROM n.observation OR o.status IS DISTINCT FROM n.status "
            "OR o.lci_95 IS DISTINCT FROM n.lci_95 OR o.uci_95 IS DISTINCT FROM n.uci_95)")


def _interval(lci, uci) -> str:
    return f"{lci or ''}–{uci or ''}" if (lci or uci) else ""


def diff_extracts(old_dir: Path, new_dir: Path, area: AreaConfig | None = None) -> ExtractDiff:
    """What changed from the extract in old_dir to the one in new_dir: periods, figures, intervals,
    status codes, indicators and their metadata, and (with `area`) the judgements those changes flip
    (lis_data.domain.judgement_flips)."""
    old_path, new_path = Path(old_dir) / "observations.parquet", Path(new_dir) / "observations.parquet"
    if not old_path.is_file():
        return ExtractDiff(first_build=True)
    con = duckdb.connect()
    try:
        # Tables, not views: a view's definition cannot take a prepared parameter.
        con.execute("CREATE TABLE o AS SELECT * FROM read_parquet(?)", [str(old_path)])
        con.execute("CREATE TABLE n AS SELECT * FROM read_parquet(?)", [str(new_path)])
        on = " AND ".join(f"o.{k} = n.{k}" for k in KEY)
        d = ExtractDiff()
        d.rows_gone = con.execute(f"SELECT count(*) FROM o ANTI JOIN n ON {on}").fetchone()[0]
        d.rows_added = con.execute(f"SELECT count(*) FROM n ANTI JOIN o ON {on}").fetchone()[0]
        for iid, label, _start in con.execute(
            "SELECT DISTINCT indicator_id, period_label, period_start FROM n WHERE (indicator_id, period) NOT IN "
            "(SELECT indicator_id, period FROM o) ORDER BY indicator_id, period_start"
        ).fetchall():
            d.new_periods.setdefault(iid, []).append(label)
        columns = ["indicator_id", "areacd", "period", "old", "new", "old_lci", "old_uci", "new_lci", "new_uci",
                   "old_status", "new_status"]
        for r in con.execute(
                f"SELECT n.indicator_id, n.areacd, n.period, o.observation, n.observation, o.lci_95, o.uci_95, "
                f"n.lci_95, n.uci_95, o.status, n.status FROM o JOIN n ON {on} "
                f"WHERE {_REVISED} ORDER BY n.indicator_id, n.areacd, n.period").fetchall():
            row = dict(zip(columns, r))
            d.revised.append({
                "indicator_id": row["indicator_id"], "areacd": row["areacd"], "period": row["period"],
                "old": row["old"] or "", "new": row["new"] or "",
                "old_interval": _interval(row["old_lci"], row["old_uci"]),
                "new_interval": _interval(row["new_lci"], row["new_uci"]),
                "old_status": row["old_status"] or "", "new_status": row["new_status"] or ""})
        old_ids = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM o").fetchall()}
        new_ids = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM n").fetchall()}
        d.indicators_gone = sorted(old_ids - new_ids)
        d.indicators_new = sorted(new_ids - old_ids)
        for iid in d.indicators_new:
            d.new_periods.pop(iid, None)
        old_meta, new_meta = _indicator_meta(old_dir), _indicator_meta(new_dir)
        d.metadata_changed = _metadata_changes(old_meta, new_meta)
        if area is not None:
            _flips(con, d, old_meta, new_meta, area, on)
            names = Path(new_dir) / "areas.csv"
            if names.is_file():
                d.area_names = dict(pd.read_csv(names, dtype=str, keep_default_na=False)[["areacd", "areanm"]]
                                    .itertuples(index=False, name=None))
        return d
    finally:
        con.close()


def _flips(con, d: ExtractDiff, old_meta: dict, new_meta: dict, area: AreaConfig, on: str) -> None:
    """The judgements flipped, read for the (indicator, period) pairs where a figure changed, came or
    went, and for every period of an indicator whose polarity changed."""
    from lis_data.domain.judgement_flips import benchmark_code, judgement_flips

    polarity = lambda meta: {i: m.get("polarity", "neither") for i, m in meta.items()}  # noqa: E731
    old_pol, new_pol = polarity(old_meta), polarity(new_meta)
    repolarised = sorted(i for i in old_pol.keys() & new_pol.keys() if old_pol[i] != new_pol[i])
    con.execute("CREATE TABLE touched (indicator_id VARCHAR, period VARCHAR)")
    con.execute(f"INSERT INTO touched SELECT n.indicator_id, n.period FROM o JOIN n ON {on} WHERE {_REVISED}")
    con.execute(f"INSERT INTO touched SELECT n.indicator_id, n.period FROM n ANTI JOIN o ON {on}")
    con.execute(f"INSERT INTO touched SELECT o.indicator_id, o.period FROM o ANTI JOIN n ON {on}")
    if repolarised:
        con.execute("INSERT INTO touched SELECT DISTINCT indicator_id, period FROM n WHERE indicator_id IN "
                    f"({', '.join('?' * len(repolarised))})", repolarised)
    pick = ("SELECT t.indicator_id, t.areacd, t.period, t.value, t.lci, t.uci FROM {0} t "
            "SEMI JOIN (SELECT DISTINCT * FROM touched) k ON t.indicator_id = k.indicator_id AND t.period = k.period")
    old_rows = con.execute(pick.format("o")).fetchall()
    new_rows = con.execute(pick.format("n")).fetchall()
    labels = dict(con.execute("SELECT DISTINCT period, period_label FROM n").fetchall())
    d.benchmark_name = next(a.name for a in area.comparators.values() if a.code == benchmark_code(area))
    d.judgements_flipped = [
        {"indicator_id": f.indicator_id, "areacd": f.areacd, "period": f.period,
         "period_label": labels.get(f.period, f.period), "old": f.old, "new": f.new}
        for f in judgement_flips(old_rows, new_rows, old_pol, new_pol, area)]


def build_extract(source_dir: Path, out_dir: Path, area: AreaConfig, catalogue: Catalogue,
                  build_date: str | None = None) -> BuildResult:
    """Read the upstream files, validate them and replace the extract in out_dir atomically.
    The release log (lis_data.runtime.release_log) gains an entry dated `build_date` (default: today, UTC)
    when the build changed anything."""
    from lis_data.domain.geography import write_geography  # geography has its own module and tests

    started = time.perf_counter()
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    if not (source_dir / "ons-els").is_dir():
        raise SourceError(source_dir, None, "no ons-els folder: is this the upstream data folder?")
    rows, reports, areas, indicators, sources = _read_all(source_dir, area, catalogue)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with extract_lock(out_dir):
        recovered = recover_locked(out_dir)
        tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(out_dir), dir=out_dir.parent))
        tmp.chmod(0o755)
        try:
            _write_observations(rows, tmp / "observations.parquet")
            (tmp / "indicators.json").write_text(
                json.dumps(indicators, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
            pd.DataFrame(
                [(code, name, geo) for code, (name, geo) in sorted(areas.items())],
                columns=["areacd", "areanm", "geography"],
            ).to_csv(tmp / "areas.csv", index=False, lineterminator="\n")
            write_geography(source_dir, area, tmp)
            manifest = {
                "built_by": f"lis_data {__version__}",
                "source": "Office for National Statistics, Explore local statistics (ONS and other government departments)",
                "licence": LICENCE, "licence_url": LICENCE_URL, "attribution": ATTRIBUTION,
                "boundaries": "Office for National Statistics boundaries, OGL v3.0; contains OS data © Crown copyright and database right",
                "area": area.name, "rows": len(rows), "datasets": sources,
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            diff = diff_extracts(out_dir, tmp, area)
            release_log.write_with_entry(out_dir, tmp, diff, build_date)
            size = sum(p.stat().st_size for p in tmp.iterdir())
            fsync_tree(tmp)
            # Atomic where the system allows (lis_data.runtime.extract_swap); a kill at any moment is repaired
            # by the next build or start.
            swap_in(tmp, out_dir)
        except BaseException:
            recover_locked(out_dir)  # deletes the temporary folder; puts the old extract back if needed
            raise
    return BuildResult(out_dir, len(rows), time.perf_counter() - started, reports, diff, size, recovered)
