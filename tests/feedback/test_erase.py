"""Erasure on request (GDPR), on both backends: gone from the table and every export,
an audit row without the erased data, FeedbackNotFound for an unknown reference."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pandas as pd
import pytest

from lis_data.feedback import ErasureResult, FeedbackNotFound, open_store

from .conftest import submission

NAME, EMAIL, ORG = "Zelda Quinnell", "zelda.quinnell@example.org", "Quinnell Brewing Co"


def _personal(i=0, **kw):
    return submission(i, name=NAME, email=EMAIL, organisation=ORG, consent=True, **kw)


def _all_text(store) -> str:
    parts = [store.export("csv").decode("utf-8-sig"), store.export("csv", include_personal=False).decode("utf-8-sig")]
    pq = pd.read_parquet(io.BytesIO(store.export("parquet")))
    parts.append(pq.to_csv())
    parts.append(store.list(include_hidden=True).to_csv())
    parts.append(store.latest(limit=100).to_csv())
    return "\n".join(parts)


def test_erase_personal_keeps_comment(store):
    mine = store.append(_personal(1))
    other = store.append(submission(2, name="Other Person", email="other@example.org", consent=True))
    store.set_hidden(mine.id, True, note="off topic")
    before = datetime.now(timezone.utc)
    result = store.erase(mine.reference.lower() + " ", scope="personal", actor="Sam Staff", reason="email of 3 Dec")
    assert isinstance(result, ErasureResult)
    assert (result.reference, result.scope, result.rows) == (mine.reference, "personal", 1)
    assert before <= result.erased_at <= datetime.now(timezone.utc)
    rows = store.list(include_hidden=True).set_index("id")
    row = rows.loc[str(mine.id)]
    assert pd.isna(row["name"]) and pd.isna(row["email"]) and pd.isna(row["organisation"])
    assert not row["consent"]
    assert row["comment"] == submission(1).comment and row["hidden"]
    assert rows.loc[str(other.id)]["name"] == "Other Person"
    text = _all_text(store)
    for gone in (NAME, EMAIL, ORG):
        assert gone not in text
    assert submission(1).comment.split(":")[0] in text


def test_erase_all_deletes_row_and_history(store):
    mine = store.append(_personal(3))
    keep = store.append(submission(4))
    store.set_hidden(mine.id, True, note="hidden before erasure")
    result = store.erase(mine.reference, scope="all", actor="Sam Staff")
    assert result.scope == "all"
    assert list(store.list(include_hidden=True)["id"]) == [str(keep.id)]
    assert store.counts_by_priority(include_hidden=True) == {submission(4).priority: 1}
    text = _all_text(store)
    for gone in (NAME, EMAIL, ORG, submission(3).submission_key, "hidden before erasure"):
        assert gone not in text
    # the same submission sent again (same key) is a new row, not a ghost of the old one
    again = store.append(_personal(3))
    assert not again.duplicate


def test_audit_rows_hold_no_erased_data(store):
    a = store.append(_personal(5))
    b = store.append(_personal(6))
    store.erase(a.reference, scope="personal", actor="Sam Staff", reason="asked by phone")
    store.erase(b.reference, scope="all", actor="Alex Admin")
    audit = store.erasures()
    assert list(audit.columns) == ["reference", "scope", "actor", "reason", "rows_erased", "erased_at"]
    assert list(audit["reference"]) == [b.reference, a.reference]
    assert list(audit["scope"]) == ["all", "personal"]
    assert list(audit["actor"]) == ["Alex Admin", "Sam Staff"]
    assert list(audit["reason"]) == ["", "asked by phone"]
    assert list(audit["rows_erased"]) == [1, 1]
    flat = audit.to_csv()
    for gone in (NAME, EMAIL, ORG):
        assert gone not in flat


def test_unknown_or_malformed_reference(store):
    store.append(_personal(7))
    for ref in ("SB-000000", "SB-ZZZZZZ", "nonsense", "", "SB-1234567"):
        with pytest.raises(FeedbackNotFound):
            store.erase(ref, scope="all", actor="Sam Staff")
    assert len(store.list(include_hidden=True)) == 1
    assert store.erasures().empty


def test_bad_scope_or_actor(store):
    r = store.append(_personal(8))
    with pytest.raises(ValueError):
        store.erase(r.reference, scope="everything", actor="Sam Staff")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.erase(r.reference, scope="all", actor="  ")
    assert len(store.list()) == 1 and store.erasures().empty


def test_erasure_seen_by_a_second_store(store_url):
    a, b = open_store(store_url), open_store(store_url)
    try:
        r = a.append(_personal(9))
        b.erase(r.reference, scope="personal", actor="Sam Staff")
        assert EMAIL not in a.export("csv").decode("utf-8-sig")
    finally:
        a.close()
        b.close()


def test_sqlite_file_keeps_no_copy_of_erased_details(tmp_path):
    """secure_delete + checkpoint: the erased bytes are not in the database file nor its log."""
    path = tmp_path / "feedback.sqlite"
    store = open_store(f"sqlite://{path}")
    try:
        refs = [store.append(_personal(i)).reference for i in range(3)]
        store.erase(refs[0], scope="personal", actor="Sam Staff")
        store.erase(refs[1], scope="all", actor="Sam Staff")
        store.erase(refs[2], scope="all", actor="Sam Staff")
        blobs = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("feedback.sqlite"))
        assert EMAIL.encode() not in blobs and NAME.encode() not in blobs and ORG.encode() not in blobs
    finally:
        store.close()


def test_readme_tells_a_postgresql_host_what_erasure_leaves_in_pg_wal():
    """Erased values stay in PostgreSQL's write-ahead log until recycled (issue 18): the README's
    erasure section says so and what the host must do (a checkpoint, WAL retention kept short)."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The feedback store"):readme.index("## Judgements")]
    erasure = section[section.index("`feedback erase REF"):]
    for needed in ("pg_wal", "CHECKPOINT", "pg_switch_wal()", "wal_keep_size", "max_slot_wal_keep_size",
                   "replication slot", "archive"):
        assert needed in erasure, needed
