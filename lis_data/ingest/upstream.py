"""Reading the upstream ONS "Explore local statistics" files.

Each dataset is a folder `<source>/ons-els/<dataset>/` holding `<dataset>.csv`
(tidy: one row per area x indicator x measure x period) and `<dataset>.json`
(labels, decimal places, source, release date, caveats).

Two CSV schema generations exist; both are mapped onto one record. Malformed
input never passes silently: every problem raises SourceError naming the file,
the line and the reason.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lis_data.errors import SourceError
from lis_data.ingest.periods import Period, PeriodError, parse_period

# Older schema (gdp-per-head): published name -> current name.
OLDER_COLUMNS = {
    "AREACD": "areacd", "AREANM": "areanm", "Geography": "geography", "Indicator": "indicator",
    "Observation": "observation", "Unit": "unit", "Measure": "measure", "Period": "period",
    "Lower Confidence Interval (95%)": "lci_95", "Upper Confidence Interval (95%)": "uci_95",
    "Observation Status": "status",
}
REQUIRED = ("areacd", "areanm", "geography", "indicator", "period", "observation", "measure", "unit")
OPTIONAL = ("lci_95", "uci_95", "status", "notes")

__all__ = ["Record", "ReadReport", "dataset_paths", "metadata_for", "read_dataset", "read_metadata"]


@dataclass(frozen=True)
class Record:
    dataset: str
    line: int
    areacd: str
    areanm: str
    geography: str
    indicator: str
    measure: str
    unit: str
    period: Period
    observation: str  # as published
    value: float | None
    lci_95: str
    uci_95: str
    lci: float | None
    uci: float | None
    status: str
    notes: str

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.dataset, self.indicator, self.measure, self.areacd, self.period.text)

    @property
    def payload(self) -> tuple:
        return (self.observation, self.lci_95, self.uci_95, self.status)


@dataclass
class ReadReport:
    """What happened to every row of one file."""

    dataset: str
    path: str
    rows: int = 0
    kept: int = 0
    dropped: Counter = field(default_factory=Counter)  # reason -> count of rows left out
    notes: Counter = field(default_factory=Counter)  # remark -> count of rows kept with it

    def as_dict(self) -> dict:
        return {"dataset": self.dataset, "rows": self.rows, "kept": self.kept,
                "dropped": dict(self.dropped), "notes": dict(self.notes)}


# A number as the ONS writes one: ASCII digits, an optional sign, point and exponent. Python's
# float() also takes Arabic-Indic and other Unicode digits ("٣"), underscores ("1_0"), surrounding
# spaces, "nan" and "infinity": none of those is a published figure.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z", re.ASCII)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_number(text: str) -> float | None:
    """The value of a number written as the ONS writes one, or None when `text` is not one."""
    if not _NUMBER.match(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _looks_numeric(text: str) -> bool:
    """float() would take it and it has digits: Unicode digits, underscores, an overflowing exponent
    (words such as "nan" stay what they were: a marker when a status explains them)."""
    try:
        float(text)
    except ValueError:
        return False
    return any(ch.isdecimal() for ch in text)


def _number(text: str, path: Path, line: int, column: str) -> float | None:
    if text == "":
        return None
    value = parse_number(text)
    if value is None:
        if _looks_numeric(text) and _NUMBER.match(text):
            raise SourceError(path, line, f"{column} {_shown(text)} is not a finite number")
        if _looks_numeric(text):
            raise SourceError(path, line, f"{column} {_shown(text)} is not a number written with the digits 0-9 "
                                          "(sign, point and exponent allowed)")
        raise SourceError(path, line, f"{column} {_shown(text)} is not a number")
    return value


# Control characters (C0, DEL, C1). In the free-text columns they are cleaned out and counted in
# the report; anywhere else in a row (codes, names of series, periods, numbers) they refuse the file.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACE_CONTROL = re.compile(r"[\t\n\r\x0b\x0c]+")
FREE_TEXT_COLUMNS = ("areanm", "notes")
CLEANED_NOTE = "control character(s) removed from {column}"


def clean_text(text: str) -> str:
    """`text` with line breaks and tabs turned into one space and other control characters removed."""
    return _CONTROL.sub("", _SPACE_CONTROL.sub(" ", text))


def _describe_control(text: str) -> str:
    found = dict.fromkeys(f"U+{ord(c):04X}" for c in _CONTROL.findall(text))
    return ", ".join(found)


def _not_utf8(path: Path) -> SourceError:
    """The file does not decode as UTF-8: name the line, the column and the byte."""
    raw = Path(path).read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return SourceError(path, line, f"byte 0x{raw[exc.start]:02x} at column {column} is not UTF-8 "
                                       "(the file must be encoded as UTF-8)")
    return SourceError(path, None, "the file is not valid UTF-8")


def _csv_rows(reader, path: Path):
    """(line where the record starts, fields) for each record; a CSV syntax error names its line."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        except csv.Error as exc:
            text = str(exc)
            if "unexpected end of data" in text:
                reason = "a quoted field opened on this line is never closed (unexpected end of data)"
            elif "field larger than field limit" in text:
                reason = (f"a field is longer than {csv.field_size_limit()} characters, the reader's limit "
                          "(often a stray quote that swallowed the lines after it)")
            elif "expected after" in text:
                reason = f"not valid CSV: a stray or unescaped quote ({text})"
            else:
                reason = f"not valid CSV: {text}"
            raise SourceError(path, start, reason) from None
        yield start, row


def dataset_paths(source_dir: Path, dataset: str) -> tuple[Path, Path]:
    folder = Path(source_dir) / "ons-els" / dataset
    return folder / f"{dataset}.csv", folder / f"{dataset}.json"


def read_dataset(source_dir: Path, dataset: str, keep_area, keep_series) -> tuple[list[Record], ReadReport]:
    """Read one dataset's CSV, keeping rows whose area and (indicator, measure) are wanted.

    keep_area(areacd) -> bool and keep_series(indicator, measure) -> bool decide what is kept;
    every other row is counted in the report under the reason it was left out.
    """
    path, _ = dataset_paths(source_dir, dataset)
    report = ReadReport(dataset, str(path))
    if not path.is_file():
        raise SourceError(path, None, "file not found")
    records: dict[tuple, Record] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        rows = _csv_rows(reader, path)
        try:
            _, header = next(rows)
        except StopIteration:
            raise SourceError(path, 1, "file is empty: no header row") from None
        names = [OLDER_COLUMNS.get(h.strip(), h.strip()) for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise SourceError(path, 1, f"missing column(s) {', '.join(missing)}")
        if len(set(names)) != len(names):
            raise SourceError(path, 1, "a column name appears twice")
        idx = {n: i for i, n in enumerate(names)}
        known = [(n, i) for n, i in idx.items() if n in REQUIRED or n in OPTIONAL]
        get_opt = lambda row, col: row[idx[col]].strip() if col in idx else ""  # noqa: E731
        for line, row in rows:
            if not row:
                continue
            report.rows += 1
            if len(row) != len(names):
                raise SourceError(path, line, f"has {len(row)} fields, the header has {len(names)}")
            cleaned: list[str] = []
            if _CONTROL.search("".join(row)):
                row = list(row)
                for name, i in known:
                    if name in FREE_TEXT_COLUMNS:
                        if _CONTROL.search(row[i]):
                            row[i] = clean_text(row[i])
                            cleaned.append(name)
                    elif _CONTROL.search(row[i].strip()):
                        raise SourceError(path, line, f"{name} contains control character(s) "
                                                      f"{_describe_control(row[i].strip())}")
            areacd = row[idx["areacd"]].strip()
            indicator = row[idx["indicator"]].strip()
            measure = row[idx["measure"]].strip()
            if not keep_series(indicator, measure):
                report.dropped["indicator or measure not in the catalogue"] += 1
                continue
            if not keep_area(areacd):
                report.dropped["area outside the kept geographies"] += 1
                continue
            period_text = row[idx["period"]].strip()
            try:
                period = parse_period(period_text)
            except PeriodError as exc:
                raise SourceError(path, line, str(exc)) from None
            observation = row[idx["observation"]].strip()
            status = get_opt(row, "status")
            if observation == "":
                value = None  # a gap, kept as a gap with whatever status explains it
                if status == "":
                    report.notes["blank observation with no status (kept as missing)"] += 1
            else:
                value = parse_number(observation)
                if value is None and _looks_numeric(observation):
                    # "٣", "1_0", "1e999": float() takes them, a published figure is never one
                    _number(observation, path, line, "observation")
                if value is None and not status:
                    raise SourceError(
                        path, line, f"observation {_shown(observation)} is not a number and has no status")
                # else a marker such as "[c]" explained by its status: kept as a gap
            lci_text, uci_text = get_opt(row, "lci_95"), get_opt(row, "uci_95")
            lci, uci = _number(lci_text, path, line, "lci_95"), _number(uci_text, path, line, "uci_95")
            if lci is not None and uci is not None and lci > uci:
                raise SourceError(path, line, f"confidence interval is inverted: lci_95 {lci_text} is above "
                                              f"uci_95 {uci_text}")
            rec = Record(
                dataset=dataset, line=line, areacd=areacd, areanm=row[idx["areanm"]].strip(),
                geography=row[idx["geography"]].strip(), indicator=indicator, measure=measure,
                unit=row[idx["unit"]].strip(), period=period, observation=observation, value=value,
                lci_95=lci_text, uci_95=uci_text,
                lci=lci, uci=uci,
                status=status, notes=get_opt(row, "notes"),
            )
            prior = records.get(rec.key)
            if prior is not None:
                if prior.payload != rec.payload:
                    raise SourceError(
                        path, line,
                        f"duplicate of line {prior.line} ({areacd}, {indicator}, {measure}, {period_text}) "
                        f"with a different value: {prior.observation!r} vs {observation!r}")
                report.dropped["identical duplicate of an earlier row (area listed under two geographies)"] += 1
                continue
            records[rec.key] = rec
            report.kept += 1
            for name in cleaned:
                report.notes[CLEANED_NOTE.format(column=name)] += 1
    return list(records.values()), report


def _release_date(text: str | None) -> str:
    """The ONS writes release dates as dd/mm/yyyy; the store keeps ISO dates."""
    if not text:
        return ""
    if "|" in text:  # some files list one date per contributing source
        parts = dict.fromkeys(_release_date(t) for t in text.split("|") if t.strip())
        return ", ".join(parts)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%dT%H:%M"):
        try:
            return datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return text.strip()


# Metadata fields the build reads, and the JSON type each must have (null is allowed for all).
METADATA_TEXT_FIELDS = ("label", "subtitle", "longDescription", "caveats", "sourceOrg", "sourceURL",
                        "sourceDate", "experimentalStatistic")
METADATA_INT_FIELDS = ("decimalPlaces",)


def _json_line(text: str, key: str) -> int | None:
    """The line of the first `"key": <value that is not text or null>` in a JSON text, if found."""
    m = re.search(r'"' + re.escape(key) + r'"\s*:\s*(?!["\s]|null\b)', text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _check_metadata_types(path: Path, text: str, where: str, fields: dict) -> None:
    for key in (*METADATA_TEXT_FIELDS, *METADATA_INT_FIELDS):
        value = fields.get(key)
        if value is None:
            continue
        if key in METADATA_TEXT_FIELDS:
            ok, expected = isinstance(value, str), "text"
        else:
            ok, expected = isinstance(value, int) and not isinstance(value, bool), "a whole number"
        if not ok:
            kind = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object",
                    str: "text"}.get(type(value), type(value).__name__)
            shown = json.dumps(value, ensure_ascii=False)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            raise SourceError(path, _json_line(text, key), f"{key!r}{where} is {shown} ({kind}); expected {expected}")


def _clean_metadata_text(value, key: str, notes: Counter | None) -> str:
    text = value or ""
    if _CONTROL.search(text.replace("\n", "")):
        if notes is not None:
            notes[CLEANED_NOTE.format(column=f"the metadata field {key}")] += 1
        text = "\n".join(clean_text(part) for part in text.split("\n"))
    return text


def read_metadata(source_dir: Path, dataset: str, notes: Counter | None = None) -> dict[str, dict]:
    """The metadata of each indicator of a dataset: {upstream indicator name: fields}.

    Shared fields (source, release date, decimal places) are merged under each
    indicator's own fields. Single-indicator files keep the fields at the top
    level; they are returned under the key "" for any indicator of the file.
    A field of the wrong type raises SourceError; control characters (other than
    line breaks) in the text are removed and counted in `notes` when given.
    """
    _, path = dataset_paths(source_dir, dataset)
    if not path.is_file():
        raise SourceError(path, None, "metadata file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, exc.lineno, f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise SourceError(path, None, "not valid JSON: nested too deeply") from None
    ess = raw.get("ess-beta-metadata") if isinstance(raw, dict) else None
    if not isinstance(ess, dict):
        raise SourceError(path, None, "no 'ess-beta-metadata' section")
    shared = ess.get("shared") if isinstance(ess.get("shared"), dict) else {}
    per_indicator = {k: v for k, v in ess.items() if k != "shared" and isinstance(v, dict)}
    if not per_indicator:
        per_indicator = {"": {}}
        shared = {k: v for k, v in ess.items() if not isinstance(v, dict)} | shared
    _check_metadata_types(path, text, " in the shared metadata" if "shared" in ess else " in the metadata", shared)
    for name, fields in per_indicator.items():
        if name:
            _check_metadata_types(path, text, f" of indicator {name!r}", fields)
    out: dict[str, dict] = {}
    for name, fields in per_indicator.items():
        merged = {**shared, **fields}
        get = lambda key: _clean_metadata_text(merged.get(key), key, notes)  # noqa: E731
        out[name] = {
            "label": get("label"),
            "subtitle": get("subtitle"),
            "description": get("longDescription"),
            "caveats": get("caveats"),
            "source_org": get("sourceOrg"),
            "source_url": get("sourceURL"),
            "release_date": _release_date(get("sourceDate")),
            "decimal_places": merged.get("decimalPlaces"),
            "official_statistics_in_development": merged.get("experimentalStatistic") == "T",
        }
    return out


def metadata_for(meta: dict[str, dict], indicator: str) -> dict:
    return meta.get(indicator) or meta.get("") or next(iter(meta.values()))
