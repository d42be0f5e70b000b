"""The sounding-board feedback store: one interface, two backends.

`open_store(url)` returns a `FeedbackStore`:

* ``None`` or ``sqlite:///path/to/file.sqlite`` -> an embedded SQLite file in WAL mode
  (default ``data_dir()/feedback.sqlite``, separate from the indicator database). Any number
  of processes on one host (app processes, the command line) read and append at the same
  time; see `sqlite_backend`.
* ``duckdb:///path/to/file.duckdb`` (the old embedded store) -> the SQLite file beside it
  (same name, ``.sqlite``), into which the DuckDB file's rows are moved once on first open;
  the default ``data/feedback.duckdb`` is moved into the default SQLite file the same way.
  See `legacy_duckdb`.
* ``postgresql://...`` (or ``postgres://...``) -> PostgreSQL via psycopg 3.

The table ``feedback`` is append-only, except for erasure on request (`erase`). Hiding a
comment adds a row to ``feedback_moderation``; the latest moderation row of a comment decides
whether it is hidden. Every query is parameterised.

Any failure to reach, open, read or write the backend raises `FeedbackStoreUnavailable`, whose
message is redacted (`redact`); `append` returns a `Receipt` only after the row is committed
durably.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal, Protocol, runtime_checkable

import pandas as pd

from lis_data import __version__
from lis_data.paths import data_dir
from lis_data.feedback.errors import FeedbackNotFound, FeedbackStoreUnavailable
from lis_data.feedback.hooks import Runner
from lis_data.feedback.times import now as _now_utc, utc as _utc
from lis_data.feedback.validation import Submission
from lis_data.feedback.projector_store import ProjectorStoreMixin
from lis_data.feedback.own_question_store import OwnQuestionStoreMixin
from lis_data.feedback.cells import spreadsheet_safe
from lis_data.feedback.hub_store import MEMBER_REFERENCE, HubStoreMixin
from lis_data.feedback.workshop_store import WorkshopStoreMixin

ENV_VAR = "LIS_FEEDBACK_URL"

#: Columns of the feedback table, in order.
FEEDBACK_COLUMNS: tuple[str, ...] = (
    "id",
    "reference",
    "created_at",
    "priority",
    "places",
    "respondent_type",
    "organisation",
    "comment",
    "evidence_url",
    "name",
    "email",
    "consent",
    "workshop_code",
    "app_version",
    "submission_key",
)
#: Columns `list` and `export` return: the feedback columns plus moderation state.
LIST_COLUMNS: tuple[str, ...] = FEEDBACK_COLUMNS + ("hidden", "moderation_note")
#: Columns `latest` returns: safe to show publicly (no name, email, consent or key).
PRIVATE_COLUMNS: tuple[str, ...] = ("name", "email", "consent", "app_version", "submission_key")
PUBLIC_COLUMNS: tuple[str, ...] = tuple(c for c in FEEDBACK_COLUMNS if c not in PRIVATE_COLUMNS)


@dataclass(frozen=True)
class Receipt:
    """What `append` returns once the row is committed."""

    id: uuid.UUID
    reference: str
    created_at: datetime  # timezone-aware, UTC
    duplicate: bool = False  # True: this submission_key was stored before; nothing new written


ERASURE_SCOPES: tuple[str, ...] = ("personal", "all")
#: Columns `erase(scope="personal")` empties: what identifies the person who wrote.
PERSONAL_COLUMNS: tuple[str, ...] = ("name", "email", "organisation")


@dataclass(frozen=True)
class ErasureResult:
    """What `erase` returns once the erasure is committed."""

    reference: str
    scope: Literal["personal", "all"]
    erased_at: datetime  # timezone-aware, UTC
    rows: int = 1  # rows erased (a reference is short: two submissions may share one)


@dataclass(frozen=True)
class FeedbackFilter:
    """Which rows `list` returns. Every field is optional.

    place: one place or several; a row matches when its places include any.
    since/until: dates (UTC), both inclusive.
    """

    priority: str | None = None
    place: str | tuple[str, ...] | list[str] | None = None
    respondent_type: str | None = None
    since: date | None = None
    until: date | None = None
    workshop_code: str | None = None
    include_hidden: bool = False


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def reference_for(feedback_id: uuid.UUID | str) -> str:
    """A short reference to quote to a person, e.g. ``SB-7F3K2Q``: the top 30
    bits of the id in Crockford base 32. Not unique on its own across very
    many rows; the id is the key."""
    value = uuid.UUID(str(feedback_id)).int >> (128 - 30)
    chars = []
    for _ in range(6):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "SB-" + "".join(reversed(chars))


@runtime_checkable
class FeedbackStore(Protocol):
    """What both backends offer. See `_SqlStore` for the behaviour."""

    url: str

    def append(self, sub: Submission) -> Receipt: ...
    def list(self, filters: FeedbackFilter | Mapping[str, Any] | None = None, **kw: Any) -> pd.DataFrame: ...
    def set_hidden(self, feedback_id: uuid.UUID | str, hidden: bool, note: str = "") -> None: ...
    def erase(self, reference: str, *, scope: Literal["personal", "all"], actor: str,
              reason: str = "") -> ErasureResult: ...
    def counts_by_priority(self, workshop_code: str | None = None, include_hidden: bool = False) -> dict[str, int]: ...
    def latest(self, workshop_code: str | None = None, limit: int = 10) -> pd.DataFrame: ...
    def export(self, fmt: str = "csv", since: date | None = None, *, filters: FeedbackFilter | None = None,
               include_personal: bool = True, bom: bool = True) -> bytes: ...
    def ping(self) -> bool: ...
    def close(self) -> None: ...


def store_url_from_env() -> str | None:
    """The store URL from ``LIS_FEEDBACK_URL`` (lis_data.config.settings), or None (the default SQLite file)."""
    from lis_data.config.settings import current

    return current().feedback_url


def default_sqlite_path():
    """The default embedded store: ``data_dir()/feedback.sqlite``."""
    return data_dir() / "feedback.sqlite"


def default_duckdb_path():
    """Where the old default DuckDB store lived; its rows move to `default_sqlite_path` on first open."""
    return data_dir() / "feedback.duckdb"


# ---------------------------------------------------------------------------
# Shared SQL logic. Backends supply transactions and a few dialect details.



class _Transient(FeedbackStoreUnavailable):
    """Raised by a backend when a write may succeed if tried again (e.g. a
    pooled connection turned out to be dead). `append` retries it; elsewhere
    it is simply a FeedbackStoreUnavailable."""


_CURRENT_MODERATION = """
LEFT JOIN (
    SELECT feedback_id, hidden, note FROM (
        SELECT feedback_id, hidden, note,
               row_number() OVER (PARTITION BY feedback_id ORDER BY seq DESC) AS rn
        FROM feedback_moderation
    ) ranked WHERE rn = 1
) m ON m.feedback_id = f.id
"""


class _SqlStore(OwnQuestionStoreMixin, ProjectorStoreMixin, WorkshopStoreMixin, HubStoreMixin):
    """Behaviour common to both backends (workshops, moderation and polls: `workshop_store`; what the
    projector shows: `projector_store`; questions the facilitator types: `own_question_store`; the LIS hub's research, events, ideas and board members: `hub_store`)."""

    url: str
    write_attempts = 1
    places_any_sql = ""  # SQL testing f.places against a list parameter "?"

    # -- backend hooks (lis_data/feedback/hooks.py: _write, _read, _ts_param) ----------------
    def _places_param(self, places: tuple[str, ...] | list[str]) -> Any:
        return list(places)

    # -- writing -------------------------------------------------------------
    def append(self, sub: Submission) -> Receipt:
        """Store a submission. The same submission_key again returns the
        original receipt (duplicate=True) and writes nothing."""
        if not isinstance(sub, Submission):
            raise TypeError("append takes a Submission from validate_submission")
        new_id = uuid.uuid4()
        created = _now_utc()
        params = [
            new_id,
            reference_for(new_id),
            self._ts_param(created),
            sub.priority,
            self._places_param(sub.places),
            sub.respondent_type,
            sub.organisation,
            sub.comment,
            sub.evidence_url,
            sub.name if sub.consent else None,
            sub.email if sub.consent else None,
            bool(sub.consent),
            sub.workshop_code,
            __version__,
            sub.submission_key,
        ]
        cols = ", ".join(FEEDBACK_COLUMNS)
        marks = ", ".join(self._insert_marks())
        insert_sql = f"INSERT INTO feedback ({cols}) VALUES ({marks})"
        find_sql = "SELECT id, reference, created_at FROM feedback WHERE submission_key = ?"
        last: Exception | None = None
        for _ in range(self.write_attempts):
            try:
                with self._write() as run:
                    rows = run(find_sql, [sub.submission_key])
                    if not rows and self._insert_new(run, insert_sql, params):
                        rows = [(new_id, params[1], created)]
                    elif not rows:  # a concurrent writer stored the same key first
                        rows = run(find_sql, [sub.submission_key])
            except _Transient as exc:
                last = exc
                continue
            if not rows:
                raise FeedbackStoreUnavailable(
                    "Feedback store did not keep the submission (no row after insert)"
                )
            stored_id, reference, stored_at = rows[0]
            stored_id = uuid.UUID(str(stored_id))
            return Receipt(stored_id, reference, _utc(stored_at), duplicate=stored_id != new_id)
        raise FeedbackStoreUnavailable(f"Feedback store unavailable: {last}")

    def _insert_new(self, run: Runner, insert_sql: str, params: list) -> bool:
        """Insert the row; False if another writer stored the same
        submission_key in the meantime. Backends override."""
        run(insert_sql, params)
        return True

    def _insert_marks(self) -> list[str]:
        return ["?"] * len(FEEDBACK_COLUMNS)

    def set_hidden(self, feedback_id: uuid.UUID | str, hidden: bool, note: str = "") -> None:
        """Hide (or show again) a comment by adding a moderation row."""
        try:
            fid = uuid.UUID(str(feedback_id))
        except ValueError:
            raise FeedbackNotFound(f"No feedback with id {feedback_id!r}") from None
        with self._write() as run:
            if not run("SELECT 1 FROM feedback WHERE id = ?", [fid]):
                raise FeedbackNotFound(f"No feedback with id {fid}")
            run(
                "INSERT INTO feedback_moderation (feedback_id, hidden, moderated_at, note) "
                "VALUES (?, ?, ?, ?)",
                [fid, bool(hidden), self._ts_param(_now_utc()), note or ""],
            )

    def erase(self, reference: str, *, scope: Literal["personal", "all"], actor: str,
              reason: str = "") -> ErasureResult:
        """Erase, on request, what a person sent under their reference (``SB-XXXXXX``), or a sounding-board
        member who joined with reference ``BM-XXXXXX`` (personal: name, email and organisation emptied;
        all: the row deleted).

        scope "personal": empty the personal details (PERSONAL_COLUMNS: name, email,
        organisation; consent becomes False) and keep the comment. scope "all": delete the
        row and its moderation rows. Either way an audit row (reference, scope, actor, reason,
        rows, time; none of the erased data) goes into ``feedback_erasures`` in the same
        transaction. Raises FeedbackNotFound for an unknown reference, ValueError for a bad
        scope or an empty actor, FeedbackStoreUnavailable if the store cannot be written.
        """
        member = str(reference or "").strip().upper()
        ref = member if MEMBER_REFERENCE.fullmatch(member) else _normalise_reference(reference)
        if scope not in ERASURE_SCOPES:
            raise ValueError(f"erase scope must be 'personal' or 'all', not {scope!r}")
        actor = " ".join(str(actor or "").split())
        if not actor:
            raise ValueError("erase needs the name of the person doing it (actor)")
        reason = " ".join(str(reason or "").split())
        erased_at = _now_utc()
        with self._write() as run:
            if ref.startswith("BM-"):  # a sounding-board member (hub_store), audited the same way
                ids = range(self._erase_member(run, ref, scope))
            else:
                ids = [row[0] for row in run("SELECT id FROM feedback WHERE reference = ?", [ref])]
            if not ids:
                raise FeedbackNotFound(f"No feedback with reference {ref}")
            if ref.startswith("BM-"):
                pass
            elif scope == "personal":
                blanks = ", ".join(f"{c} = NULL" for c in PERSONAL_COLUMNS)
                run(f"UPDATE feedback SET {blanks}, consent = FALSE WHERE reference = ?", [ref])
            else:
                run("DELETE FROM feedback_moderation WHERE feedback_id IN "
                    "(SELECT id FROM feedback WHERE reference = ?)", [ref])
                run("DELETE FROM feedback WHERE reference = ?", [ref])
            run(
                "INSERT INTO feedback_erasures (reference, scope, actor, reason, rows_erased, erased_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [ref, scope, actor[:200], reason[:1000], len(ids), self._ts_param(erased_at)],
            )
        self._purge_erased()
        return ErasureResult(ref, scope, erased_at, rows=len(ids))

    def _purge_erased(self) -> None:
        """Backend hook: make erased bytes unrecoverable from the store's files (best effort)."""

    def erasures(self) -> pd.DataFrame:
        """The erasure audit: reference, scope, actor, reason, rows_erased, erased_at; newest first."""
        with self._read() as run:
            rows = run("SELECT reference, scope, actor, reason, rows_erased, erased_at "
                       "FROM feedback_erasures ORDER BY seq DESC")
        return pd.DataFrame(
            {
                "reference": pd.Series([r[0] for r in rows], dtype="str"),
                "scope": pd.Series([r[1] for r in rows], dtype="str"),
                "actor": pd.Series([r[2] for r in rows], dtype="str"),
                "reason": pd.Series([r[3] for r in rows], dtype="str"),
                "rows_erased": pd.Series([int(r[4]) for r in rows], dtype="int64"),
                "erased_at": pd.Series([_utc(r[5]) for r in rows], dtype="datetime64[us, UTC]"),
            }
        )

    # -- reading -------------------------------------------------------------
    def _where(self, f: FeedbackFilter) -> tuple[str, list]:
        clauses: list[str] = []
        params: list = []
        if f.priority:
            clauses.append("f.priority = ?")
            params.append(f.priority)
        if f.respondent_type:
            clauses.append("f.respondent_type = ?")
            params.append(f.respondent_type)
        if f.workshop_code:
            clauses.append("f.workshop_code = ?")
            params.append(f.workshop_code.strip().upper())
        if f.place:
            wanted = [f.place] if isinstance(f.place, str) else list(f.place)
            clauses.append(self.places_any_sql)
            params.append(self._places_param(wanted))
        if f.since:
            clauses.append("f.created_at >= ?")
            params.append(self._ts_param(datetime.combine(f.since, time(), timezone.utc)))
        if f.until:
            clauses.append("f.created_at < ?")
            params.append(
                self._ts_param(datetime.combine(f.until + timedelta(days=1), time(), timezone.utc))
            )
        if not f.include_hidden:
            clauses.append("NOT COALESCE(m.hidden, FALSE)")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _select(self, f: FeedbackFilter, columns: tuple[str, ...], limit: int | None = None) -> pd.DataFrame:
        where, params = self._where(f)
        select = ", ".join(
            "COALESCE(m.hidden, FALSE) AS hidden" if c == "hidden"
            else "m.note AS moderation_note" if c == "moderation_note"
            else f"f.{c}"
            for c in columns
        )
        sql = f"SELECT {select} FROM feedback f {_CURRENT_MODERATION}{where} ORDER BY f.created_at DESC, f.id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._read() as run:
            rows = run(sql, params)
        return _frame(rows, columns)

    def list(self, filters: FeedbackFilter | Mapping[str, Any] | None = None, **kw: Any) -> pd.DataFrame:
        """Rows matching the filters, newest first, with their moderation state.

        Pass a FeedbackFilter, a mapping of its fields, or its fields as
        keyword arguments (``district=`` is accepted for ``place=``).
        """
        f = _as_filter(filters, kw)
        return self._select(f, LIST_COLUMNS)

    def counts_by_priority(self, workshop_code: str | None = None, include_hidden: bool = False) -> dict[str, int]:
        """Number of comments per priority id, largest first (priorities with
        no comments are absent)."""
        where, params = self._where(FeedbackFilter(workshop_code=workshop_code, include_hidden=include_hidden))
        sql = (
            f"SELECT f.priority, COUNT(*) AS n FROM feedback f {_CURRENT_MODERATION}{where} "
            "GROUP BY f.priority ORDER BY n DESC, f.priority"
        )
        with self._read() as run:
            return {p: int(n) for p, n in run(sql, params)}

    def latest(self, workshop_code: str | None = None, limit: int = 10) -> pd.DataFrame:
        """The newest visible comments, newest first, without personal fields
        (PUBLIC_COLUMNS): safe for a public 'what others said' panel."""
        return self._select(FeedbackFilter(workshop_code=workshop_code), PUBLIC_COLUMNS, limit=max(0, int(limit)))

    def export(self, fmt: str = "csv", since: date | None = None, *, filters: FeedbackFilter | None = None,
               include_personal: bool = True, bom: bool = True) -> bytes:
        """Every row (hidden ones too, flagged) since a date, or those matching `filters`, as CSV
        or Parquet bytes.

        CSV is for spreadsheets (RFC 4180, CRLF line ends): UTF-8 with a byte-order mark (so Excel reads accents and
        emoji; ``bom=False`` leaves it out), places as a JSON array, and every cell that a
        spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
        a carriage return: the OWASP rule) prefixed with a single quote. Parquet keeps every
        value exactly as stored."""
        fmt = fmt.lower()
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"export format must be 'csv' or 'parquet', not {fmt!r}")
        chosen = filters if filters is not None else FeedbackFilter(since=since, include_hidden=True)
        df = self._select(chosen, LIST_COLUMNS)
        df = df.sort_values(["created_at", "id"], kind="stable").reset_index(drop=True)
        if not include_personal:
            df = df.drop(columns=["name", "email"])
        buf = io.BytesIO()
        if fmt == "csv":
            out = df.copy()
            out["places"] = [json.dumps(list(p), ensure_ascii=False) for p in out["places"]]
            out["created_at"] = [ts.isoformat() for ts in out["created_at"]]
            out = out.astype(object).map(spreadsheet_safe)
            # CRLF line ends (RFC 4180): a cell holding a CR or LF is then always quoted
            out.to_csv(buf, index=False, encoding="utf-8-sig" if bom else "utf-8", lineterminator="\r\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = pa.schema(
                [
                    pa.field(c, pa.list_(pa.string())) if c == "places"
                    else pa.field(c, pa.timestamp("us", tz="UTC")) if c == "created_at"
                    else pa.field(c, pa.bool_()) if c in ("consent", "hidden")
                    else pa.field(c, pa.string())
                    for c in df.columns
                ]
            )
            table = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
            pq.write_table(table, buf)
        return buf.getvalue()

    def count(self, include_hidden: bool = True) -> int:
        """Number of rows in the feedback table."""
        where = "" if include_hidden else " WHERE NOT COALESCE(m.hidden, FALSE)"
        with self._read() as run:
            return int(run(f"SELECT COUNT(*) FROM feedback f {_CURRENT_MODERATION}{where}")[0][0])

    def ping(self) -> bool:
        """True when the store answers; raises FeedbackStoreUnavailable otherwise."""
        with self._read() as run:
            run("SELECT COUNT(*) FROM schema_version")
        return True

    def schema_version(self) -> int:
        with self._read() as run:
            return int(run("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0])

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:  # pragma: no cover - overridden
        pass


_REFERENCE = re.compile(r"SB-[0-9A-HJKMNP-TV-Z]{6}")


def _normalise_reference(reference: object) -> str:
    """``sb-7f3k2q`` -> ``SB-7F3K2Q``; FeedbackNotFound when it cannot be a reference."""
    ref = str(reference or "").strip().upper()
    if not _REFERENCE.fullmatch(ref):
        raise FeedbackNotFound(f"{str(reference)[:40]!r} is not a feedback reference (SB- and six characters)")
    return ref


def _as_filter(filters: FeedbackFilter | Mapping[str, Any] | None, kw: Mapping[str, Any]) -> FeedbackFilter:
    values: dict[str, Any] = {}
    if isinstance(filters, FeedbackFilter):
        base = filters
    else:
        base = FeedbackFilter()
        values.update(filters or {})
    values.update(kw)
    if "district" in values:
        values.setdefault("place", values.pop("district"))
    known = {f.name for f in fields(FeedbackFilter)}
    unknown = set(values) - known
    if unknown:
        raise TypeError(f"unknown feedback filter(s): {', '.join(sorted(unknown))}")
    return replace(base, **values)


def _frame(rows: list, columns: tuple[str, ...]) -> pd.DataFrame:
    """Rows -> DataFrame with the same dtypes whatever the backend, even when
    empty: text columns are pandas ``str`` (missing values are NaN), id is
    text, places holds Python lists, consent/hidden are bool and created_at is
    ``datetime64[us, UTC]``."""
    data = {c: [row[i] for row in rows] for i, c in enumerate(columns)}
    out: dict[str, pd.Series] = {}
    for c, values in data.items():
        if c == "id":
            out[c] = pd.Series([str(v) for v in values], dtype="str")
        elif c == "places":
            out[c] = pd.Series([list(json.loads(v) if isinstance(v, str) else v or []) for v in values],
                               dtype=object)
        elif c == "created_at":
            out[c] = pd.Series([_utc(v) for v in values], dtype="datetime64[us, UTC]")
        elif c in ("consent", "hidden"):
            out[c] = pd.Series([bool(v) for v in values], dtype=bool)
        else:
            out[c] = pd.Series(values, dtype="str")
    return pd.DataFrame(out, columns=list(columns))
