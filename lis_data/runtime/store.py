"""The runtime DuckDB indicator store, built from the committed extract.

The database file (data/indicators.duckdb) is not committed: it is built from
the extract at first start, and again whenever the extract changes. One
connection per process, opened read-only; each thread gets its own cursor.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from lis_data.runtime import judged_table
from lis_data.config import AreaConfig, Catalogue, load_area, load_catalogue
from lis_data.errors import StoreError
from lis_data.runtime.extract_swap import extract_lock, recover
from lis_data.runtime.fingerprint import store_fingerprint
from lis_data.paths import extract_dir as default_extract_dir
from lis_data.paths import store_path as default_store_path

if TYPE_CHECKING:  # pandas is imported where a DataFrame is made: `profile` runs without it
    import pandas as pd

log = logging.getLogger(__name__)

def _schema_version() -> str:
    """The version of the tables' layout: 2, the fingerprint covers the config; 3, the judged table,
    whose rules are code (lis_data.runtime.judged_table, lis_data.domain.judgement, this module): a change to them
    rebuilds the store as a changed extract does."""
    import hashlib

    h = hashlib.sha256()
    from lis_data.domain import judgement

    for path in (Path(__file__), Path(judged_table.__file__), Path(judgement.__file__)):
        h.update(path.resolve().read_bytes())
    return "3-" + h.hexdigest()[:16]


SCHEMA_VERSION = _schema_version()


@contextmanager
def _lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


_CATALOG = "indicator_store"


def _attach_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory connection with the store file attached read-only and in use.

    `duckdb.connect(path)` shares one database instance per path within a process,
    so after the file is replaced by a rebuild it would keep serving the old
    contents for as long as any connection to it is open. Attaching the file to
    a new in-memory database reads the file as it is now.
    """
    con = duckdb.connect()
    try:
        path = str(Path(db).absolute()).replace("'", "''")
        con.execute(f"ATTACH '{path}' AS {_CATALOG} (READ_ONLY)")
        con.execute(f"USE {_CATALOG}")
    except BaseException:
        con.close()
        raise
    return con


def _current_fingerprint(db: Path) -> str | None:
    if not db.is_file():
        return None
    try:
        con = _attach_read_only(db)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            ver = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        finally:
            con.close()
    except duckdb.Error:
        return None
    if not row or not ver or ver[0] != SCHEMA_VERSION:
        return None
    return row[0]


# What the catalogue decides about an indicator (as opposed to what the upstream metadata says):
# the catalogue in force wins over the copy written into the extract at build time, so that a
# polarity flipped in catalogue.toml reaches the ranks without a rebuild of the extract.
CATALOGUE_FIELDS = ("label", "short_label", "unit", "decimals", "polarity", "priorities", "level", "headline",
                    "method", "kind")


def _pandas():
    import pandas

    return pandas


def _indicators_with_catalogue(indicators: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    indicators = indicators.copy()
    by_id = {i.id: i for i in catalogue.indicators}
    for field in CATALOGUE_FIELDS:
        if field not in indicators.columns:
            if field not in ("method", "kind"):  # written by the catalogue alone, never the extract
                continue
            indicators[field] = None
        indicators[field] = [
            getattr(by_id[iid], field) if iid in by_id else old
            for iid, old in zip(indicators["id"], indicators[field])]
    indicators["priorities"] = indicators["priorities"].map(lambda p: list(p))
    return indicators


def _load_tables(con: duckdb.DuckDBPyConnection, extract: Path, area: AreaConfig, catalogue: Catalogue) -> None:
    con.execute("CREATE TABLE observations AS SELECT * FROM read_parquet(?)", [str(extract / "observations.parquet")])
    indicators = _indicators_with_catalogue(
        _pandas().DataFrame(json.loads((extract / "indicators.json").read_text(encoding="utf-8"))), catalogue)
    con.register("ind_df", indicators)
    con.execute("CREATE TABLE indicators AS SELECT * FROM ind_df")
    con.unregister("ind_df")
    prios = _pandas().DataFrame([p.__dict__ for p in catalogue.priorities])
    con.register("prio_df", prios)
    con.execute("CREATE TABLE priorities AS SELECT * FROM prio_df")
    con.unregister("prio_df")
    con.execute("CREATE TABLE areas AS SELECT * FROM read_csv(?, header=true, all_varchar=true)", [str(extract / "areas.csv")])
    con.execute("ALTER TABLE areas ADD COLUMN em3 BOOLEAN DEFAULT false")
    con.execute("ALTER TABLE areas ADD COLUMN county VARCHAR")
    con.execute("ALTER TABLE areas ADD COLUMN english_district BOOLEAN DEFAULT false")
    for d in area.districts:
        con.execute("UPDATE areas SET em3 = true, county = ? WHERE areacd = ?", [d.county, d.code])
    con.execute(
        "UPDATE areas SET english_district = true WHERE " + " OR ".join(["starts_with(areacd, ?)"] * len(area.district_prefixes)),
        list(area.district_prefixes))
    neighbours = extract / "neighbours.csv"
    if neighbours.is_file():
        con.execute("CREATE TABLE neighbours AS SELECT * FROM read_csv(?, header=true, all_varchar=true)", [str(neighbours)])
        con.execute("ALTER TABLE neighbours ALTER rank TYPE INTEGER")
    else:
        con.execute("CREATE TABLE neighbours (areacd VARCHAR, kind VARCHAR, rank INTEGER, neighbour VARCHAR)")
    # Ranks among all English districts for each indicator and period: 1 is the best by the
    # indicator's polarity (for "neither", 1 is the highest value).
    con.execute("""
        CREATE TABLE district_ranks AS
        WITH d AS (
            SELECT o.indicator_id, o.period, o.areacd, o.value, i.polarity
            FROM observations o
            JOIN areas a ON a.areacd = o.areacd AND a.english_district
            JOIN indicators i ON i.id = o.indicator_id
            WHERE o.value IS NOT NULL
        )
        SELECT indicator_id, period, areacd,
               rank() OVER (PARTITION BY indicator_id, period
                            ORDER BY CASE WHEN polarity = 'lower' THEN value ELSE -value END) AS rank,
               count(*) OVER (PARTITION BY indicator_id, period) AS n_districts,
               percent_rank() OVER (PARTITION BY indicator_id, period
                            ORDER BY CASE WHEN polarity = 'lower' THEN -value ELSE value END) AS percentile
        FROM d
    """)
    con.execute("CREATE INDEX obs_ind_area ON observations (indicator_id, areacd)")
    seconds = judged_table.build(con, area, catalogue)
    log.info("judged table built in %.2f s", seconds)


def _recover_extract(extract: Path) -> None:
    """Repair what a build killed mid-swap left (lis_data.runtime.extract_swap); never stops the start."""
    try:
        for what in recover(extract):
            log.warning("extract %s: repaired after an interrupted build: %s", extract.name, what)
    except OSError as exc:  # a read-only disk, say: the store still opens if the extract is there
        log.warning("extract %s: could not repair after an interrupted build: %s", extract.name, exc)


def ensure_store(extract: Path | None = None, db: Path | None = None) -> Path:
    """Build the DuckDB store from the extract if it is missing or stale; return its path."""
    extract = Path(extract or default_extract_dir())
    db = Path(db or default_store_path())
    _recover_extract(extract)
    if not (extract / "observations.parquet").is_file():
        raise StoreError(f"{extract}: no extract found (observations.parquet missing); run `python -m lis_data build`")
    area, catalogue = load_area(), load_catalogue()
    fingerprint = store_fingerprint(extract, area, catalogue)
    if _current_fingerprint(db) == fingerprint:
        return db
    # No build swaps the extract while it is read (lis_data.runtime.extract_swap), so the tables and the
    # fingerprint stored with them come from the same extract.
    with _lock(db), extract_lock(extract, shared=True):
        fingerprint = store_fingerprint(extract, area, catalogue)
        if _current_fingerprint(db) == fingerprint:  # another process built it meanwhile
            return db
        tmp = db.with_name(f"{db.name}.tmp{os.getpid()}")
        tmp.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        try:
            _load_tables(con, extract, area, catalogue)
            con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            con.execute("INSERT INTO meta VALUES ('fingerprint', ?), ('schema_version', ?)", [fingerprint, SCHEMA_VERSION])
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
        con.close()
        os.replace(tmp, db)
    return db


class Store:
    """One read-only DuckDB connection for the process, and a cursor per thread."""

    def __init__(self, db: Path):
        self.path = Path(db)
        self._con = _attach_read_only(self.path)
        self._local = threading.local()

    @classmethod
    def open(cls, extract: Path | None = None, db: Path | None = None) -> "Store":
        return cls(ensure_store(extract, db))

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            cur.execute(f"USE {_CATALOG}")  # the default catalog is per connection
            self._local.cursor = cur
        return cur

    def df(self, sql: str, params: list | tuple = ()) -> pd.DataFrame:
        """Run a parameterised query and return a DataFrame."""
        return self.cursor().execute(sql, list(params)).df()

    def rows(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        return self.cursor().execute(sql, list(params)).fetchall()

    def batches(self, sql: str, params: list | tuple = (), size: int = 2_000) -> Iterator[list[tuple]]:
        """Run a parameterised query and yield its rows `size` at a time, never all at once. On a
        cursor of its own (closed at the end), so the consumer may resume it from any thread."""
        cur = self._con.cursor()
        try:
            cur.execute(f"USE {_CATALOG}")
            cur.execute(sql, list(params))
            while batch := cur.fetchmany(size):
                yield batch
        finally:
            cur.close()

    def close(self) -> None:
        self._con.close()
