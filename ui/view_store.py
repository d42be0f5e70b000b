"""The warmed views kept with the runtime indicator store, so that a restart with an unchanged extract
is ready in seconds (issue 19): the results of the memoised view builders (ui/memo.py)
that the warm-up computed, pickled beside the store (data/indicators.duckdb.views/) under a key made
of the store's fingerprint (extract and configuration), its schema version and a checksum of the code
that builds views (lis_data/, ui/ and pages/). A changed extract, configuration or code gives a new key:
the old file is removed and the views are built again.

The file is written by this process for itself, in the store's own folder, never taken from
elsewhere; a file that does not load is removed and the views are rebuilt."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from pathlib import Path

from lis_data.paths import PROJECT_ROOT
from lis_data.runtime.store import SCHEMA_VERSION, Store

from . import memo

_LOG = logging.getLogger(__name__)
_CODE: list[str] = []


def _code_checksum() -> str:
    if not _CODE:
        h = hashlib.sha256()
        for folder in ("lis_data", "ui", "pages"):
            for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
                h.update(str(path.relative_to(PROJECT_ROOT)).encode())
                h.update(path.read_bytes())
        _CODE.append(h.hexdigest()[:16])
    return _CODE[0]


def key(store: Store) -> str:
    rows = store.rows("SELECT value FROM meta WHERE key = 'fingerprint'")
    fingerprint = rows[0][0] if rows else "none"
    return hashlib.sha256(f"{fingerprint}|{SCHEMA_VERSION}|{_code_checksum()}".encode()).hexdigest()[:32]


def folder(store: Store) -> Path:
    return store.path.with_name(store.path.name + ".views")


def load(store: Store) -> int:
    """Seed the memoised builders from the file for this store's key; returns how many results
    (0: none kept, or it did not load)."""
    path = folder(store) / f"{key(store)}.pickle"
    if not path.is_file():
        return 0
    try:
        with path.open("rb") as fh:
            results = pickle.load(fh)  # noqa: S301 -- written by this app for itself (module docstring)
    except Exception as exc:  # noqa: BLE001 -- a damaged file: rebuild
        _LOG.warning("warmed views at %s did not load (%s): building them again", path.name, type(exc).__name__)
        path.unlink(missing_ok=True)
        return 0
    memo.seed(results)
    return len(results)


def save(store: Store, results: dict) -> int:
    """Write the results that pickle (others are left to be built again); remove older files."""
    keep = {}
    for k, v in results.items():
        try:
            pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 -- not picklable: built on first use
            continue
        keep[k] = v
    where = folder(store)
    where.mkdir(parents=True, exist_ok=True)
    path = where / f"{key(store)}.pickle"
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    with tmp.open("wb") as fh:
        pickle.dump(keep, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    for old in where.iterdir():
        if old != path and not old.name.endswith(f".tmp{os.getpid()}"):
            old.unlink(missing_ok=True)
    return len(keep)
