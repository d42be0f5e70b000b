"""The release log kept with the extract, and the What's new list built from it."""

from __future__ import annotations

import json

import pytest

from lis_data.config import load_catalogue
from lis_data.errors import LisDataError
from lis_data.ingest.extract import build_extract
from lis_data.runtime.release_log import LOG_NAME, parse_date, read_log
from lis_data.runtime.store import Store
from lis_data.views.whats_new import whats_new
from synthetic_source import WOKING, build_changed_release


@pytest.fixture(scope="module")
def changed(tmp_path_factory, area):
    tmp = tmp_path_factory.mktemp("changed-release")
    out, ind, old, new = build_changed_release(tmp, area, load_catalogue())
    store = Store.open(out, tmp / "store.duckdb")
    yield out, ind, old, new, store
    store.close()


def test_log_has_one_entry_per_changing_build_and_survives_the_swap(changed):
    out, ind, old, new, _ = changed
    entries = read_log(out)
    assert [(e.date, e.first_build) for e in entries] == [("2026-09-01", True), ("2026-10-03", False)]
    second = entries[1]
    change = second.change_for(ind.id)
    assert change.periods_added == ("2023",)
    assert [(r.areacd, r.period, r.old, r.new) for r in change.revised] == [(WOKING, "2022-01-01/P1Y", old, new)]
    assert len(second.changes) == len(load_catalogue().indicators)  # every indicator gained 2023
    assert (out / LOG_NAME).stat().st_size < 20_000


def test_unchanged_rebuild_appends_nothing(source_a, tmp_path, area, fixture_catalogue):
    out = tmp_path / "extract"
    build_extract(source_a, out, area, fixture_catalogue, build_date="2026-01-01")
    before = (out / LOG_NAME).read_bytes()
    build_extract(source_a, out, area, fixture_catalogue, build_date="2026-02-01")
    assert (out / LOG_NAME).read_bytes() == before
    assert [e.date for e in read_log(out)] == ["2026-01-01"]
    assert json.loads(before)["builds"][0]["first_build"] is True


def test_whats_new_lists_the_new_period_and_the_revision(changed, area):
    out, ind, old, new, store = changed
    news = whats_new(store, [WOKING], entries=read_log(out), area=area)  # default: the latest build
    assert news.since == "2026-10-03" and news.builds == ("2026-10-03",)
    item = next(i for i in news.items if i.indicator_id == ind.id)
    assert item.periods_added == ("2023",) and item.revisions == 1
    (woking,) = item.areas
    assert woking.name == "Woking" and woking.period == "2023"
    assert [(r.period, r.old, r.new) for r in woking.revised] == [("2022", old, new)]
    assert woking.previous_period == "2022"
    assert woking.change == pytest.approx(woking.value - float(new))
    assert woking.rank is not None and woking.previous_rank is not None


def test_whats_new_since_a_date_and_before_any_change(changed, area):
    out, _, _, _, store = changed
    assert whats_new(store, [WOKING], "2026-09-02", entries=read_log(out), area=area).items
    assert not whats_new(store, [WOKING], "2026-11-01", entries=read_log(out), area=area).items
    # the first build is everything: never listed as news
    assert whats_new(store, [WOKING], "2026-01-01", entries=read_log(out)[:1], area=area).items == ()


@pytest.mark.parametrize("bad", ["", "2026-13-01", "yesterday", "2026-02-30", "<script>"])
def test_since_is_validated(bad):
    with pytest.raises(LisDataError, match="since"):
        parse_date(bad)


HOSTILE_SINCE = ["2026-09-01\u202e", "\u202e2026-09-01", "2026-09-01\n", " 2026-09-01", "\u20282026-09-01",
                 "٢٠٢٦-٠٩-٠١", "2026-09-01\x1b[31m", "2026\u200b-09-01", "evil\u202egnp.exe"]


@pytest.mark.parametrize("raw", HOSTILE_SINCE)
def test_since_param_takes_an_iso_date_only_and_never_quotes_the_input(raw):
    from lis_data.views.whats_new import SINCE_IGNORED, since_param

    with pytest.raises(LisDataError):
        parse_date(raw)
    param = since_param(raw)
    assert param.date is None and param.note == SINCE_IGNORED
    assert not any(c in param.note for c in raw if not c.isascii() or not c.isprintable())
    assert since_param("2026-09-01").date == "2026-09-01" and since_param("2026-09-01").note is None
    assert since_param(None) == since_param(None).__class__(None, None)
