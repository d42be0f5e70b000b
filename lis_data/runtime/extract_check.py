"""Which files of the extract cannot be read, and why, in words fit for a public page: file names,
never paths. Used to explain why the indicator store could not be opened (a half-copied Parquet file,
a truncated JSON file, a missing CSV); the full error goes to the log, this says what is wrong."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from lis_data.domain.geography import BOUNDARIES_FILE
from lis_data.paths import extract_dir as default_extract_dir


def _parquet(path: Path) -> str | None:
    import pyarrow.parquet as pq

    try:
        pq.read_table(path)
    except Exception:  # noqa: BLE001 - any failure to read is the answer
        return "cannot be read as Parquet (damaged or incomplete)"
    return None


def _json(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8") as fh:
            json.load(fh)
    except (ValueError, OSError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return "is not valid JSON (damaged or incomplete)"
    return None


def _csv(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
    except (csv.Error, ValueError, OSError):
        return "cannot be read as CSV (damaged or incomplete)"
    if not rows or "areacd" not in rows[0]:
        return "has no areacd column (damaged or incomplete)"
    return None


#: The files the app reads, with how each is checked.
CHECKS: dict[str, Callable[[Path], str | None]] = {
    "observations.parquet": _parquet,
    "indicators.json": _json,
    "areas.csv": _csv,
    BOUNDARIES_FILE: _json,
}


def problems(extract: Path | None = None) -> list[str]:
    """What is wrong with the extract, one sentence fragment per file at fault; [] if every file
    reads. The fragments name files, never the folder they are in."""
    extract = Path(extract or default_extract_dir())
    if not extract.is_dir():
        return ["the extract has not been built"]
    found = []
    for name, check in CHECKS.items():
        path = extract / name
        if not path.is_file():
            found.append(f"{name} is missing from the extract")
            continue
        reason = check(path)
        if reason:
            found.append(f"{name} {reason}")
    return found
