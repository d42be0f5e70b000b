"""A synthetic upstream folder with every dataset the real catalogue reads (the command line and the
app always use the real catalogue), and a changed release of it: one figure revised, one period
added. Used by the data, page and pack tests."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

def _square(x: float, y: float, size: float = 0.01) -> list:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def write_full_source(root: Path, catalogue, area, periods=("2021-01-01/P1Y", "2022-01-01/P1Y")) -> Path:
    """A synthetic upstream folder with every dataset and indicator of `catalogue`:
    each EM3 district, England and the ITL areas of the area config, two periods each."""
    root = Path(root)
    codes = [(d.code, d.name, "Local Authority District") for d in area.districts]
    codes += [("E92000001", "England", "Country")]
    codes += [(a.code, a.name, a.level) for a in area.larger_areas]
    header = ["areacd", "areanm", "geography", "indicator", "period", "observation", "measure", "unit",
              "lci_95", "uci_95", "status", "notes"]
    for dataset in catalogue.datasets:
        folder = root / "ons-els" / dataset
        folder.mkdir(parents=True)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(header)
        meta = {"shared": {"sourceDate": "01/02/2025", "sourceOrg": "Office for National Statistics", "decimalPlaces": 1}}
        for n, ind in enumerate(i for i in catalogue.indicators if i.dataset == dataset):
            meta[ind.indicator] = {"label": ind.indicator}
            for k, (code, name, geo) in enumerate(codes):
                for j, period in enumerate(periods):
                    value = f"{10 + n + k + j / 4:g}"
                    writer.writerow([code, name, geo, ind.indicator, period, value, ind.measure, ind.unit, "", "", "", ""])
        (folder / f"{dataset}.csv").write_text("\ufeff" + buf.getvalue(), encoding="utf-8", newline="")
        (folder / f"{dataset}.json").write_text(json.dumps({"ess-beta-metadata": meta}), encoding="utf-8")
    geo = root / "ons-geography"
    geo.mkdir(parents=True)
    feats = [{"type": "Feature", "properties": {"areacd": d.code, "areanm": d.name},
              "geometry": {"type": "Polygon", "coordinates": [_square(-1.5 + 0.3 * i, 51.0)]}}
             for i, d in enumerate(area.districts)]
    (geo / "ltla.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    others = [f"E07{n:06d}" for n in range(900001, 900021)]
    for kind in ("economic", "demographic", "global"):
        rows = ["AREACD," + ",".join(str(r) for r in range(1, 21))]
        rows += [d.code + "," + ",".join(others) for d in area.districts]
        (geo / f"{kind}-neighbours.csv").write_text("\ufeff" + "\n".join(rows) + "\n", encoding="utf-8")
    return root


WOKING = "E07000217"
FIRST_PERIODS = ("2021-01-01/P1Y", "2022-01-01/P1Y")
CHANGED_PERIODS = (*FIRST_PERIODS, "2023-01-01/P1Y")


def first_district_indicator(catalogue):
    return next(i for i in catalogue.indicators if i.level == "district")


COLUMNS = ("areacd", "areanm", "geography", "indicator", "period", "observation", "measure", "unit",
           "lci_95", "uci_95", "status", "notes")


def edit_row(root: Path, catalogue, code: str = WOKING, at: str = "2022-01-01/P1Y", ind=None, **cells):
    """Set some cells (by column name: observation, lci_95, uci_95, status, period, ...) of one row
    (one indicator, default the first district indicator; one district; the period `at`) in a folder
    written by write_full_source. Returns (indicator, CSV path, line number of the row, old cells)."""
    ind = ind or first_district_indicator(catalogue)
    path = Path(root) / "ons-els" / ind.dataset / f"{ind.dataset}.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    lines = text.split("\r\n")
    for n, line in enumerate(lines):
        row = next(csv.reader([line])) if line else []
        if row and row[0] == code and row[3] == ind.indicator and row[4] == at and row[6] == ind.measure:
            old = dict(zip(COLUMNS, row))
            for name, value in cells.items():
                row[COLUMNS.index(name)] = value
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow(row)
            lines[n] = buf.getvalue()
            path.write_text("\ufeff" + "\r\n".join(lines), encoding="utf-8", newline="")
            return ind, path, n + 1, old
    raise AssertionError(f"no row for {code} {at} in {path}")


def revise(root: Path, catalogue, code: str = WOKING, period: str = "2022-01-01/P1Y", new_value: str = "99.5"):
    """Revise one published figure (the first district indicator, one district, one period) in a
    folder written by write_full_source. Returns (indicator, old value, new value)."""
    ind, _, _, old = edit_row(root, catalogue, code, period, observation=new_value)
    return ind, old["observation"], new_value


def build_changed_release(tmp: Path, area, catalogue, first_date="2026-09-01", second_date="2026-10-03"):
    """Build the synthetic release, then a changed one (a period added everywhere, one figure revised)
    over it. Returns (extract folder, indicator revised, old, new)."""
    from lis_data.ingest.extract import build_extract

    tmp = Path(tmp)
    out = tmp / "extract"
    build_extract(write_full_source(tmp / "release-1", catalogue, area, FIRST_PERIODS), out, area, catalogue,
                  build_date=first_date)
    src2 = write_full_source(tmp / "release-2", catalogue, area, CHANGED_PERIODS)
    ind, old, new = revise(src2, catalogue)
    build_extract(src2, out, area, catalogue, build_date=second_date)
    return out, ind, old, new


def set_metadata(root: Path, catalogue, ind=None, **fields):
    """Set fields (caveats, longDescription, sourceOrg, sourceURL, subtitle, ...) in the metadata of
    one indicator (default the first district indicator) of a folder written by write_full_source;
    None removes a field. Returns the indicator."""
    ind = ind or first_district_indicator(catalogue)
    path = Path(root) / "ons-els" / ind.dataset / f"{ind.dataset}.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    entry = meta["ess-beta-metadata"].setdefault(ind.indicator, {})
    for key, value in fields.items():
        if value is None:
            entry.pop(key, None)
            meta["ess-beta-metadata"].get("shared", {}).pop(key, None)
        else:
            entry[key] = value
    path.write_text(json.dumps(meta), encoding="utf-8")
    return ind
