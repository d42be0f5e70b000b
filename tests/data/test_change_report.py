"""The build's change report on synthetic releases (tests/synthetic_source.py): a changed confidence
interval that flips a judgement, a status code, and metadata wiped were reported as "No change
against the previous extract". Each is now in the build's report, the release log and What's new,
with the judgements it flips (the project's rule, lis_data.domain.judgement, against England)."""

from __future__ import annotations

import pytest

from lis_data.domain import judgement as jm
from lis_data.config import load_catalogue
from lis_data.ingest.extract import build_extract
from lis_data.domain.judgement_flips import judgement_flips
from lis_data.runtime.release_log import read_log
from lis_data.runtime.store import Store
from lis_data.views.whats_new import summary_line, whats_new, worded_rows
from synthetic_source import edit_row, first_district_indicator, set_metadata, write_full_source

BASINGSTOKE, ENGLAND = "E07000084", "E92000001"
PERIOD = "2022-01-01/P1Y"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _release(root, catalogue, area, interval, caveats=True, status=""):
    """Basingstoke's figure 26 with `interval`, England's 25 in the same period; the indicator's
    metadata with a source and caveats, or with both wiped."""
    src = write_full_source(root, catalogue, area)
    edit_row(src, catalogue, code=ENGLAND, observation="25")
    edit_row(src, catalogue, code=BASINGSTOKE, observation="26", lci_95=interval[0], uci_95=interval[1], status=status)
    if caveats:
        set_metadata(src, catalogue, caveats="Survey estimate: see the release.", sourceOrg="Sport England")
    else:
        set_metadata(src, catalogue, caveats=None, sourceOrg=None)
    return src


@pytest.fixture(scope="module")
def changed(tmp_path_factory, area, catalogue):
    """Release 1: interval 21.75–31.12 (similar to England's 25). Release 2: the same figure with
    25.5–27.5 (wholly above 25) and a status code, and the source and caveats wiped."""
    tmp = tmp_path_factory.mktemp("change-report")
    out = tmp / "extract"
    build_extract(_release(tmp / "r1", catalogue, area, ("21.75", "31.12")), out, area, catalogue,
                  build_date="2026-09-01")
    result = build_extract(_release(tmp / "r2", catalogue, area, ("25.5", "27.5"), caveats=False, status="p"),
                           out, area, catalogue, build_date="2026-10-03")
    store = Store.open(out, tmp / "store.duckdb")
    yield result, out, store
    store.close()


def _expected(catalogue):
    ind = first_district_indicator(catalogue)
    before = jm.judge(26, 21.75, 31.12, 25, ind.polarity)
    after = jm.judge(26, 25.5, 27.5, 25, ind.polarity)
    assert (before, after) == (jm.SIMILAR, jm.BETTER if ind.polarity == "higher" else
                               jm.WORSE if ind.polarity == "lower" else jm.HIGHER)
    return ind, before, after


def test_build_report_names_the_interval_status_metadata_and_flip(changed, catalogue):
    result, _, _ = changed
    ind, before, after = _expected(catalogue)
    d = result.diff
    assert not d.unchanged
    text = "\n".join(result.lines())
    assert "No change against the previous extract" not in text
    assert (f"revised: {ind.id} {BASINGSTOKE} {PERIOD}: interval '21.75–31.12' -> '25.5–27.5'; "
            "status (empty) -> 'p'") in text
    assert (f"judgement changed: {ind.id} Basingstoke and Deane ({BASINGSTOKE}) {PERIOD}: "
            f"{before} -> {after} (against England)") in text
    assert f"metadata changed: {ind.id} caveats: 'Survey estimate: see the release.' -> (empty)" in text
    assert f"metadata changed: {ind.id} source_org: 'Sport England' -> (empty)" in text
    assert "intervals revised: 1, status codes changed: 1, judgements changed: 1" in text
    assert [(f["areacd"], f["old"], f["new"]) for f in d.judgements_flipped] == [(BASINGSTOKE, before, after)]


def test_release_log_keeps_them(changed, catalogue):
    _, out, _ = changed
    ind, before, after = _expected(catalogue)
    entries = read_log(out)
    assert [e.date for e in entries] == ["2026-09-01", "2026-10-03"]  # the second build was logged
    change = entries[-1].change_for(ind.id)
    (rev,) = change.revised
    assert (rev.areacd, rev.old, rev.new, rev.old_interval, rev.new_interval, rev.old_status, rev.new_status) == \
        (BASINGSTOKE, "26", "26", "21.75–31.12", "25.5–27.5", "", "p")
    assert [(j.areacd, j.period, j.old, j.new) for j in change.judgements] == [(BASINGSTOKE, PERIOD, before, after)]
    assert {m.field: (m.old, m.new) for m in change.metadata} == {
        "caveats": ("Survey estimate: see the release.", ""), "source_org": ("Sport England", "")}
    assert entries[-1].benchmark == "England"


def test_whats_new_lists_them(changed, catalogue, area):
    _, out, store = changed
    ind, before, after = _expected(catalogue)
    news = whats_new(store, [BASINGSTOKE], "2026-10-01", entries=read_log(out), area=area, catalogue=catalogue)
    item = next(i for i in news.items if i.indicator_id == ind.id)
    line = summary_line(item)
    assert "1 confidence interval revised" in line and "1 status code changed" in line
    assert "1 judgement against England changed by the revisions" in line
    assert "metadata: caveats removed, source removed" in line
    assert "figure revised" not in line  # the value itself did not change
    (row,) = worded_rows(item, news.benchmark_name)
    assert row["Revised"] == (f"2022: interval 21.75–31.12 → 25.5–27.5, status none → p, "
                              f"judgement against England {before} → {after}")


def test_a_benchmark_revision_flips_judgements_without_touching_the_district(catalogue, area):
    """England's figure revised from 25 to 20: Basingstoke's interval 21.75–31.12 no longer contains it."""
    ind = first_district_indicator(catalogue)
    row = (ind.id, BASINGSTOKE, PERIOD, 26.0, 21.75, 31.12)
    flips = judgement_flips([row, (ind.id, ENGLAND, PERIOD, 25.0, None, None)],
                            [row, (ind.id, ENGLAND, PERIOD, 20.0, None, None)],
                            {ind.id: ind.polarity}, {ind.id: ind.polarity}, area)
    assert [(f.areacd, f.old, f.new) for f in flips] == [(BASINGSTOKE, jm.SIMILAR, jm.judge(26, 21.75, 31.12, 20,
                                                                                           ind.polarity))]
    # a polarity turned round flips the same figure's judgement; an unchanged one flips nothing
    assert judgement_flips([row, (ind.id, ENGLAND, PERIOD, 20.0, None, None)],
                           [row, (ind.id, ENGLAND, PERIOD, 20.0, None, None)],
                           {ind.id: "higher"}, {ind.id: "lower"}, area)[0].new == jm.WORSE
    assert judgement_flips([row], [row], {ind.id: "higher"}, {ind.id: "higher"}, area) == []
