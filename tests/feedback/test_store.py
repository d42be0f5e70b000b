"""Store behaviour, run against both backends."""

from __future__ import annotations

import io
import re
import uuid
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from lis_data import __version__
from lis_data.feedback import (
    FeedbackFilter,
    FeedbackNotFound,
    FeedbackStore,
    LIST_COLUMNS,
    PUBLIC_COLUMNS,
    open_store,
    reference_for,
)

from .conftest import none_if_missing, row_matches, submission


def only_row(df: pd.DataFrame) -> dict:
    assert len(df) == 1, df
    return df.iloc[0].to_dict()


def test_append_and_read_back_exactly(store):
    assert isinstance(store, FeedbackStore)
    sub = submission(0, organisation="  ACME <b>Ltd</b> '; --  ", places=["Woking", "E07000084"])
    before = datetime.now(timezone.utc)
    receipt = store.append(sub)
    assert not receipt.duplicate
    assert re.fullmatch(r"SB-[0-9A-HJKMNP-TV-Z]{6}", receipt.reference)
    assert receipt.reference == reference_for(receipt.id)
    assert receipt.created_at.tzinfo is not None
    assert before - timedelta(seconds=1) <= receipt.created_at <= datetime.now(timezone.utc)
    row = only_row(store.list())
    assert row_matches(row, sub)
    assert row["id"] == str(receipt.id)
    assert row["reference"] == receipt.reference
    assert row["created_at"].to_pydatetime() == receipt.created_at
    assert row["app_version"] == __version__
    assert row["hidden"] is False or row["hidden"] == False  # noqa: E712
    assert list(store.list().columns) == list(LIST_COLUMNS)


def test_name_and_email_kept_only_with_consent(store):
    store.append(submission(0, name="Ann", email="ann@example.org", consent=True))
    row = only_row(store.list())
    assert (row["name"], row["email"], row["consent"]) == ("Ann", "ann@example.org", True)


def test_duplicate_submission_key_one_row(store):
    sub = submission(3)
    first = store.append(sub)
    second = store.append(sub)
    assert second.duplicate and not first.duplicate
    assert (second.id, second.reference, second.created_at) == (first.id, first.reference, first.created_at)
    assert len(store.list(include_hidden=True)) == 1


def test_hide_keeps_row_and_can_unhide(store):
    a = store.append(submission(1))
    b = store.append(submission(2))
    store.set_hidden(a.id, True, note="off topic")
    assert list(store.list()["id"]) == [str(b.id)]
    everything = store.list(include_hidden=True)
    assert len(everything) == 2
    hidden = everything.set_index("id").loc[str(a.id)]
    assert hidden["hidden"] and hidden["moderation_note"] == "off topic"
    assert hidden["comment"] == submission(1).comment
    store.set_hidden(str(a.id), False)
    assert len(store.list()) == 2
    with pytest.raises(FeedbackNotFound):
        store.set_hidden(uuid.uuid4(), True)
    with pytest.raises(FeedbackNotFound):
        store.set_hidden("not-a-uuid", True)


def test_filters(store):
    subs = [submission(i) for i in range(12)]
    receipts = [store.append(s) for s in subs]
    everything = store.list()
    assert len(everything) == 12
    # newest first
    assert list(everything["created_at"]) == sorted(everything["created_at"], reverse=True)

    def keys(df):
        return set(df["submission_key"])

    assert keys(store.list(priority="workforce")) == {s.submission_key for s in subs if s.priority == "workforce"}
    assert keys(store.list(respondent_type="resident")) == {
        s.submission_key for s in subs if s.respondent_type == "resident"
    }
    assert keys(store.list(place="Guildford")) == {s.submission_key for s in subs if "Guildford" in s.places}
    both = {"Guildford", "E07000084"}
    assert keys(store.list(district=sorted(both))) == {
        s.submission_key for s in subs if both & set(s.places)
    }
    assert keys(store.list({"workshop_code": "guildford-2026-12-03"})) == {
        s.submission_key for s in subs if s.workshop_code == "GUILDFORD-2026-12-03"
    }
    today = receipts[0].created_at.date()
    assert len(store.list(FeedbackFilter(since=today, until=today))) == 12
    assert len(store.list(since=today + timedelta(days=1))) == 0
    assert len(store.list(until=today - timedelta(days=1))) == 0
    store.set_hidden(receipts[1].id, True)
    same = sum(1 for s in subs if s.priority == subs[1].priority)
    assert len(store.list(priority=subs[1].priority)) == same - 1
    assert len(store.list(priority=subs[1].priority, include_hidden=True)) == same
    assert str(receipts[1].id) not in set(store.list()["id"])
    with pytest.raises(TypeError):
        store.list(colour="red")


def test_counts_by_priority(store):
    receipts = [store.append(submission(i)) for i in range(20)]
    counts = store.counts_by_priority()
    assert sum(counts.values()) == 20
    assert counts["innovation"] == 3  # i = 0, 9, 18
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    store.set_hidden(receipts[0].id, True)
    assert store.counts_by_priority()["innovation"] == 2
    assert store.counts_by_priority(include_hidden=True)["innovation"] == 3
    workshop = store.counts_by_priority(workshop_code="GUILDFORD-2026-12-03")
    assert sum(workshop.values()) == 10  # odd i
    assert store.counts_by_priority(workshop_code="NOBODY-CAME") == {}


def test_latest_excludes_hidden_newest_first(store):
    receipts = [store.append(submission(i)) for i in range(6)]
    store.set_hidden(receipts[5].id, True)
    latest = store.latest(limit=3)
    assert list(latest.columns) == list(PUBLIC_COLUMNS)
    assert list(latest["id"]) == [str(r.id) for r in receipts[4:1:-1]]
    assert "email" not in latest.columns and "name" not in latest.columns
    assert list(store.latest(workshop_code="GUILDFORD-2026-12-03", limit=10)["id"]) == [
        str(receipts[3].id), str(receipts[1].id)
    ]
    assert len(store.latest(limit=0)) == 0


def test_empty_store_frames_have_columns(store):
    assert list(store.list().columns) == list(LIST_COLUMNS)
    assert store.list().empty and store.latest().empty
    assert store.counts_by_priority() == {}
    assert store.ping() is True


def test_export_csv_and_parquet(store):
    subs = [submission(i) for i in range(5)]
    receipts = [store.append(s) for s in subs]
    store.set_hidden(receipts[2].id, True)
    csv = pd.read_csv(io.BytesIO(store.export("csv")), dtype=str, keep_default_na=False)
    assert len(csv) == 5 and list(csv.columns) == list(LIST_COLUMNS)
    assert list(csv["submission_key"]) == [s.submission_key for s in subs]
    assert list(csv["comment"]) == [s.comment for s in subs]
    assert list(csv["hidden"]) == ["False", "False", "True", "False", "False"]
    pq = pd.read_parquet(io.BytesIO(store.export("parquet")))
    assert len(pq) == 5
    assert [list(p) for p in pq["places"]] == [list(s.places) for s in subs]
    assert [none_if_missing(v) for v in pq["organisation"]] == [s.organisation for s in subs]
    assert str(pq["created_at"].dtype).startswith("datetime64") and "UTC" in str(pq["created_at"].dtype)
    tomorrow = receipts[0].created_at.date() + timedelta(days=1)
    assert len(pd.read_csv(io.BytesIO(store.export("csv", since=tomorrow)))) == 0

    assert len(pd.read_parquet(io.BytesIO(store.export("parquet", since=tomorrow)))) == 0
    no_personal = pd.read_csv(io.BytesIO(store.export("csv", include_personal=False)))
    assert "email" not in no_personal.columns
    with pytest.raises(ValueError):
        store.export("xlsx")


def test_export_one_workshops_input(store):
    """After a workshop, staff export that workshop's input only (hidden comments flagged, kept)."""
    ours = [store.append(submission(i, workshop_code="ALTON-2026-12-03")) for i in range(3)]
    store.append(submission(10, workshop_code="WOKING-2026-12-04"))
    store.append(submission(11))
    store.set_hidden(ours[1].id, True)
    from lis_data.feedback import FeedbackFilter

    chosen = FeedbackFilter(workshop_code="ALTON-2026-12-03", include_hidden=True)
    csv = pd.read_csv(io.BytesIO(store.export("csv", filters=chosen)), dtype=str, keep_default_na=False)
    assert sorted(csv["id"]) == sorted(str(r.id) for r in ours)
    assert set(csv["workshop_code"]) == {"ALTON-2026-12-03"}
    assert list(csv["hidden"]).count("True") == 1

def test_migrations_idempotent(store_url):
    first = open_store(store_url)
    receipt = first.append(submission(1))
    version = first.schema_version()
    first.close()
    for _ in range(2):
        again = open_store(store_url)
        assert again.schema_version() == version >= 1
        assert list(again.list()["id"]) == [str(receipt.id)]
        again.close()


def test_two_stores_in_one_process_share(store_url):
    a = open_store(store_url)
    b = open_store(store_url)
    a.append(submission(1))
    assert len(b.list()) == 1
    a.close()
    b.append(submission(2))  # b still works after a closed
    assert len(b.list()) == 2
    b.close()


def test_closed_store_raises(store_url):
    from lis_data.feedback import FeedbackStoreUnavailable

    s = open_store(store_url)
    s.close()
    with pytest.raises(FeedbackStoreUnavailable):
        s.append(submission(1))
