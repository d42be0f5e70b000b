"""The release log: what each build changed, kept with the extract (data/extract/release_log.json).

Every build that changes the extract appends one entry: the build date and, per indicator, the
periods added, the figures revised (value, 95% interval and status code, old -> new, as published),
the judgements against England those changes flipped, the metadata fields changed (source, caveats,
release date, ...), and the indicators gone or new. A
build that changes nothing appends nothing, so a rebuild of the same release stays byte-identical.

The log lives inside the extract folder, so it travels with the atomic swap
(lis_data.runtime.extract_swap): the build copies the previous log into the folder it writes, appends its
entry, and the whole folder replaces the old one in one step. A killed build leaves the old extract
with the old log. No Streamlit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from lis_data.errors import LisDataError

LOG_NAME = "release_log.json"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z", re.ASCII)  # ASCII digits, nothing around them


@dataclass(frozen=True)
class Revision:
    """One published figure changed: its value, its 95% interval ("lci–uci") or its status code.
    Entries logged before intervals and statuses were compared carry the values only."""

    areacd: str
    period: str
    old: str  # the published observation, as text ("" when none was published)
    new: str
    old_interval: str = ""
    new_interval: str = ""
    old_status: str = ""
    new_status: str = ""

    @property
    def value_changed(self) -> bool:
        return self.old != self.new

    @property
    def interval_changed(self) -> bool:
        return self.old_interval != self.new_interval

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status


@dataclass(frozen=True)
class JudgementChange:
    """A judgement against the log entry's benchmark changed by the build, same figure and period."""

    areacd: str
    period: str  # as published (ISO)
    old: str
    new: str


@dataclass(frozen=True)
class MetadataChange:
    field: str  # indicators.json field: caveats, source_org, source_url, release_date, polarity, ...
    old: object
    new: object


@dataclass(frozen=True)
class IndicatorChange:
    indicator_id: str
    periods_added: tuple[str, ...]  # period labels, oldest first
    revised: tuple[Revision, ...]
    judgements: tuple[JudgementChange, ...] = ()
    metadata: tuple[MetadataChange, ...] = ()


@dataclass(frozen=True)
class ReleaseEntry:
    date: str  # YYYY-MM-DD, the build's date (UTC)
    first_build: bool
    changes: tuple[IndicatorChange, ...]
    indicators_gone: tuple[str, ...]
    indicators_new: tuple[str, ...]
    benchmark: str = "England"  # what the judgement changes are against

    def change_for(self, indicator_id: str) -> IndicatorChange | None:
        return next((c for c in self.changes if c.indicator_id == indicator_id), None)


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def parse_date(text: str, name: str = "since") -> str:
    """A YYYY-MM-DD date from a hostile input (exactly that: no spaces, line breaks or other
    characters around it, ASCII digits), or LisDataError naming the input."""
    text = text if isinstance(text, str) else ""
    if not _DATE.match(text):
        raise LisDataError(f"{name}: {text[:40]!r} is not a date of the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise LisDataError(f"{name}: {text!r} is not a real date") from exc


def entry_from_diff(diff, build_date: str) -> dict:
    """The log entry (JSON-ready) for an ExtractDiff (lis_data.ingest.extract)."""
    per: dict[str, dict] = {}

    def slot(iid: str) -> dict:
        return per.setdefault(iid, {"periods_added": [], "revised": []})

    for iid, periods in diff.new_periods.items():
        slot(iid)["periods_added"] = list(periods)
    for r in diff.revised:
        slot(r["indicator_id"])["revised"].append(
            [r["areacd"], r["period"], r["old"] or "", r["new"] or "", r.get("old_interval", ""),
             r.get("new_interval", ""), r.get("old_status", ""), r.get("new_status", "")])
    for f in getattr(diff, "judgements_flipped", ()):
        slot(f["indicator_id"]).setdefault("judgements", []).append([f["areacd"], f["period"], f["old"], f["new"]])
    for iid, fields in getattr(diff, "metadata_changed", {}).items():
        slot(iid)["metadata"] = {k: list(v) for k, v in sorted(fields.items())}
    return {
        "date": build_date,
        "first_build": bool(diff.first_build),
        "benchmark": getattr(diff, "benchmark_name", "England"),
        "indicators": {k: per[k] for k in sorted(per)},
        "indicators_gone": list(diff.indicators_gone),
        "indicators_new": list(diff.indicators_new),
    }


def _read_raw(extract_dir: Path) -> list[dict]:
    path = Path(extract_dir) / LOG_NAME
    if not path.is_file():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LisDataError(f"{LOG_NAME}: not readable JSON ({exc.__class__.__name__})") from exc
    entries = raw.get("builds") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise LisDataError(f"{LOG_NAME}: no list of builds")
    return entries


def write_with_entry(old_extract: Path, new_extract: Path, diff, build_date: str | None = None) -> bool:
    """Copy the previous log into the new extract folder and append this build's entry when the
    build changed anything. Returns whether an entry was appended."""
    entries = _read_raw(old_extract)
    appended = diff.first_build or not diff.unchanged
    if appended:
        entries.append(entry_from_diff(diff, build_date or today()))
    if entries or appended:
        text = json.dumps({"builds": entries}, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        (Path(new_extract) / LOG_NAME).write_text(text, encoding="utf-8")
    return appended


def _entry(raw: dict) -> ReleaseEntry:
    changes = tuple(
        IndicatorChange(iid, tuple(str(p) for p in c.get("periods_added", ())),
                        tuple(Revision(*(str(x) for x in r[:8])) for r in c.get("revised", ())),
                        tuple(JudgementChange(*(str(x) for x in r[:4])) for r in c.get("judgements", ())),
                        tuple(MetadataChange(str(k), v[0], v[1]) for k, v in sorted(c.get("metadata", {}).items())))
        for iid, c in sorted(raw.get("indicators", {}).items()))
    return ReleaseEntry(str(raw.get("date", "")), bool(raw.get("first_build")), changes,
                        tuple(raw.get("indicators_gone", ())), tuple(raw.get("indicators_new", ())),
                        str(raw.get("benchmark") or "England"))


def read_log(extract_dir: Path) -> list[ReleaseEntry]:
    """Every logged build, oldest first."""
    return [_entry(e) for e in _read_raw(extract_dir)]


def previous_build_date(entries: list[ReleaseEntry]) -> str | None:
    """The default 'since': the date of the latest build that changed something (its changes are
    what is new since the build before it)."""
    return entries[-1].date if entries else None


def since(entries: list[ReleaseEntry], since_date: str) -> list[ReleaseEntry]:
    """The builds on or after a date, first builds left out (everything was new then)."""
    return [e for e in entries if e.date >= since_date and not e.first_build]
