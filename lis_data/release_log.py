"""The release log: what each build changed, kept with the extract (data/extract/release_log.json).

Every build that changes the extract appends one entry: the build date and, per indicator, the
periods added, the values revised (old -> new, as published) and the indicators gone or new. A
build that changes nothing appends nothing, so a rebuild of the same release stays byte-identical.

The log lives inside the extract folder, so it travels with the atomic swap
(lis_data.extract_swap): the build copies the previous log into the folder it writes, appends its
entry, and the whole folder replaces the old one in one step. A killed build leaves the old extract
with the old log. No Streamlit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from .errors import LisDataError

LOG_NAME = "release_log.json"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z", re.ASCII)  # ASCII digits, nothing around them


@dataclass(frozen=True)
class Revision:
    areacd: str
    period: str
    old: str  # the published observation, as text ("" when none was published)
    new: str


@dataclass(frozen=True)
class IndicatorChange:
    indicator_id: str
    periods_added: tuple[str, ...]  # period labels, oldest first
    revised: tuple[Revision, ...]


@dataclass(frozen=True)
class ReleaseEntry:
    date: str  # YYYY-MM-DD, the build's date (UTC)
    first_build: bool
    changes: tuple[IndicatorChange, ...]
    indicators_gone: tuple[str, ...]
    indicators_new: tuple[str, ...]

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
    """The log entry (JSON-ready) for an ExtractDiff (lis_data.extract)."""
    per: dict[str, dict] = {}
    for iid, periods in diff.new_periods.items():
        per.setdefault(iid, {"periods_added": [], "revised": []})["periods_added"] = list(periods)
    for r in diff.revised:
        per.setdefault(r["indicator_id"], {"periods_added": [], "revised": []})["revised"].append(
            [r["areacd"], r["period"], r["old"] or "", r["new"] or ""])
    return {
        "date": build_date,
        "first_build": bool(diff.first_build),
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
                        tuple(Revision(*(str(x) for x in r)) for r in c.get("revised", ())))
        for iid, c in sorted(raw.get("indicators", {}).items()))
    return ReleaseEntry(str(raw.get("date", "")), bool(raw.get("first_build")), changes,
                        tuple(raw.get("indicators_gone", ())), tuple(raw.get("indicators_new", ())))


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
