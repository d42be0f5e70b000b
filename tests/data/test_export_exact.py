"""The acceptance test of the issue: for every upstream row of the 14 EM3 districts in
every dataset (and indicator/measure) the catalogue reads, `export` returns exactly the
upstream observation, lci_95, uci_95, status and period strings. All rows, not a sample.

The upstream files are read here independently of lis_data.ingest.upstream (plain csv module,
the older schema's column names mapped by hand)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

from lis_data.runtime import queries as q
from lis_data.config import load_area, load_catalogue
from lis_data.paths import PROJECT_ROOT

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
EM3 = set(load_area().district_codes)
OLDER = {"AREACD": "areacd", "Indicator": "indicator", "Measure": "measure", "Period": "period",
         "Observation": "observation", "Lower Confidence Interval (95%)": "lci_95",
         "Upper Confidence Interval (95%)": "uci_95", "Observation Status": "status"}


def _upstream_rows(dataset: str, wanted: set[tuple[str, str]]) -> set[tuple]:
    path = SHARED_DATA / "ons-els" / dataset / f"{dataset}.csv"
    out = set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            row = {OLDER.get(k, k): v for k, v in row.items()}
            if row["areacd"] in EM3 and (row["indicator"], row["measure"]) in wanted:
                out.add((row["areacd"], dataset, row["indicator"], row["measure"], row["period"],
                         row["observation"], row.get("lci_95", ""), row.get("uci_95", ""), row.get("status", "")))
    return out


@pytest.fixture(scope="module")
def upstream() -> dict[str, set[tuple]]:
    if not (SHARED_DATA / "ons-els").is_dir():
        pytest.skip(f"{SHARED_DATA} is absent: the upstream ONS files are only beside the project on a developer or CI machine")
    cat = load_catalogue()
    return {ds: _upstream_rows(ds, {(i.indicator, i.measure) for i in cat.indicators if i.dataset == ds})
            for ds in cat.datasets}


def _export_rows(df) -> set[tuple]:
    df = df.fillna("")
    return {tuple(r) for r in df[q.EXPORT_COLUMNS].itertuples(index=False)}


def test_export_returns_every_em3_upstream_row_exactly(store, upstream):
    got = _export_rows(q.export(store, sorted(EM3)))
    want = set().union(*upstream.values())
    assert len(want) > 5_000
    missing, extra = want - got, got - want
    assert not missing, f"{len(missing)} upstream rows missing or altered in the export, e.g. {sorted(missing)[:3]}"
    assert not extra, f"{len(extra)} exported rows not in upstream, e.g. {sorted(extra)[:3]}"


@pytest.mark.parametrize("dataset", load_catalogue().datasets)
def test_export_per_dataset(store, upstream, dataset):
    """The same comparison through the --dataset filter, one dataset at a time."""
    got = _export_rows(q.export(store, sorted(EM3), [dataset]))
    assert got == upstream[dataset]
    if any(i.level == "district" for i in load_catalogue().indicators if i.dataset == dataset):
        assert upstream[dataset], f"{dataset}: a district-level indicator with no EM3 rows upstream"


def test_export_command_line(store, upstream):
    """`python -m lis_data export --area E07000084 --dataset gdp-per-head`, once, in a subprocess."""
    env = {**os.environ, "LIS_STORE_PATH": str(store.path)}
    res = subprocess.run([sys.executable, "-m", "lis_data", "export", "--area", "E07000084", "--dataset", "gdp-per-head"],
                         cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    lines = res.stdout.splitlines()
    header = lines[0].split(",")
    assert header == ["areacd", "dataset", "indicator", "measure", "period", "period_label", "observation", "lci_95",
                      "uci_95", "status", "source", "licence"]
    # The upstream identity and the figure exactly as published (period_label, source and licence beside them).
    keep = [header.index(c) for c in ("areacd", "dataset", "indicator", "measure", "period", "observation",
                                       "lci_95", "uci_95", "status")]
    rows = {tuple(r[i] for i in keep) for r in csv.reader(io.StringIO("\n".join(lines[1:])))}
    want = {r for r in upstream["gdp-per-head"] if r[0] == "E07000084"}
    assert len(rows) == len(lines) - 1 == len(want) > 20
    assert rows == want
