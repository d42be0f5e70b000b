"""lis_data.ingest.upstream on hand-made files (tests/fixtures/source-a/): both CSV schema
generations, byte-order marks, column order, status codes, confidence intervals,
gaps and the JSON metadata shapes; and every kind of malformed file, which must
raise a SourceError naming the file, the line and the reason while leaving the
previous extract untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lis_data.errors import SourceError
from lis_data.ingest.extract import build_extract
from lis_data.ingest.upstream import read_dataset, read_metadata

SOURCE_A = Path(__file__).resolve().parents[1] / "fixtures" / "source-a"

GVA = "Gross value added per hour worked"
GDP = "Gross domestic product per head at current market price"
ANX_MEASURE = "Mean (Where 0 is 'not at all anxious' and 10 is 'completely anxious')"


def read(dataset, catalogue, area, source=SOURCE_A):
    wanted = {i.key[1:] for i in catalogue.indicators if i.dataset == dataset}
    records, report = read_dataset(source, dataset, area.keeps, lambda i, m: (i, m) in wanted)
    return {(r.indicator, r.areacd, r.period.text): r for r in records}, report


# --------------------------------------------------------------------------- reading


def test_current_schema_with_bom_and_crlf(fixture_catalogue, area):
    raw = (SOURCE_A / "ons-els/gross-value-added/gross-value-added.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the fixture is what it claims
    recs, report = read("gross-value-added", fixture_catalogue, area)
    r = recs[(GVA, "E07000084", "2022-01-01/P1Y")]
    assert r.areacd == "E07000084"  # not "\ufeffE07000084", nor a BOM in the first column name
    assert (r.observation, r.value, r.unit, r.measure) == ("41.25", 41.25, "£", "Pounds")
    assert r.period.label == "2022" and r.line == 2
    assert recs[(GVA, "E07000085", "2022-01-01/P1Y")].observation == "36.125"
    # quoted field with a comma
    assert recs[(GVA, "E06000023", "2022-01-01/P1Y")].areanm == "Bristol, City of"
    # areas outside the kept geographies, series outside the catalogue and identical duplicates are counted
    assert report.rows == 16
    assert report.kept == len(recs) == 13
    assert dict(report.dropped) == {
        "indicator or measure not in the catalogue": 1,
        "area outside the kept geographies": 1,
        "identical duplicate of an earlier row (area listed under two geographies)": 1,
    }
    assert not any(code.startswith("S") for _, code, _ in recs)


def test_older_schema_gdp_per_head(fixture_catalogue, area):
    header = (SOURCE_A / "ons-els/gdp-per-head/gdp-per-head.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("AREACD,AREANM,Geography,Indicator,Observation")
    recs, report = read("gdp-per-head", fixture_catalogue, area)
    assert set(recs) == {
        (GDP, "E07000084", "2023"), (GDP, "E07000084", "1998"),
        (GDP, "E07000085", "2023"), (GDP, "E07000085", "1998"), (GDP, "TLJ", "2023"),
    }
    r = recs[(GDP, "E07000084", "1998")]
    assert (r.observation, r.value, r.unit, r.measure, r.geography) == ("38012", 38012.0, "£", "Pounds", "Local Authority District")
    assert (r.period.start.isoformat(), r.period.end.isoformat(), r.period.label) == ("1998-01-01", "1998-12-31", "1998")
    assert (r.lci_95, r.uci_95, r.status, r.notes) == ("", "", "", "")
    assert report.dropped == {"indicator or measure not in the catalogue": 1}


def test_measure_before_observation_no_bom(fixture_catalogue, area):
    """personal-wellbeing puts measure before observation: columns are read by name, not position."""
    raw = (SOURCE_A / "ons-els/personal-wellbeing-estimates/personal-wellbeing-estimates.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.splitlines()[0].startswith(b"areacd,areanm,geography,indicator,period,measure,observation")
    recs, _ = read("personal-wellbeing-estimates", fixture_catalogue, area)
    r = recs[("Anxiety", "E07000084", "2021-04-01/P1Y")]
    assert (r.measure, r.observation, r.value) == (ANX_MEASURE, "3.05", 3.05)
    assert (r.lci_95, r.uci_95, r.lci, r.uci) == ("2.71", "3.39", 2.71, 3.39)
    assert r.period.label == "2021/22"


def test_status_codes_confidence_intervals_and_gaps(fixture_catalogue, area):
    recs, report = read("personal-wellbeing-estimates", fixture_catalogue, area)
    get = lambda code, year: recs[("Anxiety", code, f"{year}-04-01/P1Y")]  # noqa: E731
    # a figure with a status (low reliability) keeps both
    u = get("E07000085", 2021)
    assert (u.observation, u.value, u.status, u.lci_95, u.uci_95) == ("3.4", 3.4, "u", "2.9", "3.9")
    # a blank observation is kept as missing, with its status
    x = get("E07000085", 2022)
    assert (x.observation, x.value, x.status, x.lci, x.uci) == ("", None, "x", None, None)
    # a marker explained by its status is kept as published, value missing
    c = get("E07000089", 2021)
    assert (c.observation, c.value, c.status) == ("[c]", None, "c")
    # decimals are kept as published ("2.50", not 2.5)
    assert (get("E07000089", 2022).observation, get("E07000089", 2022).lci_95) == ("2.50", "2.10")
    # a blank observation with no status is kept, missing, and counted in the report
    blank = get("E07000092", 2022)
    assert (blank.observation, blank.value, blank.status) == ("", None, "")
    assert report.notes == {"blank observation with no status (kept as missing)": 1}
    # free-text notes are kept
    assert recs[("Anxiety", "E92000001", "2022-04-01/P1Y")].notes == "Adults aged 16 and over, Great Britain survey"
    # gross-value-added: a blank observation with status x
    g, _ = read("gross-value-added", fixture_catalogue, area)
    hart = g[(GVA, "E07000089", "2022-01-01/P1Y")]
    assert (hart.observation, hart.value, hart.status) == ("", None, "x")


def test_metadata_multi_indicator_with_shared():
    meta = read_metadata(SOURCE_A, "gross-value-added")
    assert set(meta) == {GVA, "Gross value added per filled job"}
    hour = meta[GVA]
    assert hour["label"] == GVA
    assert hour["subtitle"] == "Value added per hour worked"
    assert hour["description"] == "Labour productivity in pounds per hour worked."
    # shared fields are merged under each indicator; the indicator's own fields win
    assert hour["source_org"] == "Office for National Statistics"
    assert hour["release_date"] == "2025-06-19"
    assert hour["official_statistics_in_development"] is True
    assert hour["caveats"] == ""
    job = meta["Gross value added per filled job"]
    assert job["decimal_places"] == 0 and hour["decimal_places"] == 1
    assert job["source_org"] == "Office for National Statistics (jobs)"


def test_metadata_csv_cubed_file_with_ess_section():
    meta = read_metadata(SOURCE_A, "gdp-per-head")
    m = meta[GDP]
    assert m["label"] == "Gross domestic product per head at current market prices"
    assert (m["release_date"], m["caveats"], m["decimal_places"]) == ("2025-04-17", "2023 data are provisional.", 0)
    assert m["official_statistics_in_development"] is False


def test_metadata_single_indicator_at_top_level_with_two_release_dates():
    meta = read_metadata(SOURCE_A, "claimant-count")
    assert list(meta) == [""]
    m = meta[""]
    assert m["label"] == "Claimant Count"
    assert m["subtitle"].startswith("Percentage of people aged 16 to 64")
    assert m["release_date"] == "2025-12-18, 2025-12-20"
    assert m["decimal_places"] == 1
    assert m["caveats"].startswith("The count is based")


def test_release_date_pipe_with_the_same_date_twice(source_a):
    p = source_a / "ons-els/claimant-count/claimant-count.json"
    p.write_text(p.read_text(encoding="utf-8-sig").replace("18/12/2025|20/12/2025", "23/10/2025|23/10/2025"))
    assert read_metadata(source_a, "claimant-count")[""]["release_date"] == "2025-10-23"


def test_extract_indicators_json_carries_metadata(fixture_extract):
    import json

    inds = {i["id"]: i for i in json.loads((fixture_extract / "indicators.json").read_text(encoding="utf-8"))}
    assert inds["claimant-count"]["release_date"] == "2025-12-18, 2025-12-20"
    assert inds["gva-per-hour"]["release_date"] == "2025-06-19"
    assert inds["anxiety"]["caveats"] == "Survey estimates: see the confidence intervals."
    assert inds["gdp-per-head"]["upstream_label"] == "Gross domestic product per head at current market prices"
    assert all(i["licence"] == "Open Government Licence v3.0" for i in inds.values())


# --------------------------------------------------------------------------- malformed files


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text("\ufeff" + text.replace(old, new, count), encoding="utf-8")


def _gva(src: Path) -> Path:
    return src / "ons-els/gross-value-added/gross-value-added.csv"


def _pw(src: Path) -> Path:
    return src / "ons-els/personal-wellbeing-estimates/personal-wellbeing-estimates.csv"


def missing_column(src):
    _edit(_gva(src), ",observation,", ",value,")
    return _gva(src), 1, r"missing column\(s\) observation"


def missing_column_older_schema(src):
    p = src / "ons-els/gdp-per-head/gdp-per-head.csv"
    _edit(p, ",Period,", ",Time period,")
    return p, 1, r"missing column\(s\) period"


def unknown_period_form(src):
    _edit(_gva(src), "2021-01-01/P1Y,35.0", "2021/22,35.0")  # line 4
    return _gva(src), 4, r"period '2021/22' is not an ISO 8601"


def impossible_date(src):
    _edit(_pw(src), "2022-04-01/P1Y,Mean (Where 0 is 'not at all anxious' and 10 is 'completely anxious'),2.98",
          "2022-02-30/P1Y,Mean (Where 0 is 'not at all anxious' and 10 is 'completely anxious'),2.98")  # line 3
    return _pw(src), 3, r"not a real date"


def non_numeric_observation_without_status(src):
    _edit(_gva(src), "45.1,", "n/a,")  # line 6
    return _gva(src), 6, r"observation 'n/a' is not a number and has no status"


def non_numeric_confidence_interval(src):
    _edit(_pw(src), "3.05,Score out of 10,2.71", "3.05,Score out of 10,low")  # line 2
    return _pw(src), 2, r"lci_95 'low' is not a number"


def duplicate_key_with_different_values(src):
    _edit(_gva(src), "E06000023,\"Bristol, City of\",County or Unitary Authority,Gross value added per hour worked,2022-01-01/P1Y,39.9",
          "E06000023,\"Bristol, City of\",County or Unitary Authority,Gross value added per hour worked,2022-01-01/P1Y,39.8")  # line 10
    return _gva(src), 10, r"duplicate of line 9 .*different value: '39\.9' vs '39\.8'"


def missing_json(src):
    p = src / "ons-els/claimant-count/claimant-count.json"
    p.unlink()
    return p, None, r"metadata file not found"


def invalid_json(src):
    p = src / "ons-els/personal-wellbeing-estimates/personal-wellbeing-estimates.json"
    p.write_text('{\n  "ess-beta-metadata": {\n    "shared": {,\n  }\n}\n', encoding="utf-8")
    return p, 3, r"not valid JSON"


def json_without_metadata_section(src):
    p = src / "ons-els/gross-value-added/gross-value-added.json"
    p.write_text('{"title": "no ess-beta-metadata here"}', encoding="utf-8")
    return p, None, r"no 'ess-beta-metadata' section"


def ragged_row(src):
    _edit(_gva(src), "36.125,Pounds,£,,,,", "36.125,Pounds,£,,,")  # line 5, one field short
    return _gva(src), 5, r"has 11 fields, the header has 12"


def ragged_row_outside_the_catalogue(src):
    """A ragged row is an error even on a row the build would leave out."""
    _edit(_gva(src), "30.5,Pounds,£,,,,", "30.5,Pounds,£,,,,,extra")  # line 14 (Aberdeen)
    return _gva(src), 14, r"has 13 fields, the header has 12"


def empty_file(src):
    p = src / "ons-els/gdp-per-head/gdp-per-head.csv"
    p.write_bytes(b"")
    return p, 1, r"file is empty"


def bom_only_file(src):
    p = src / "ons-els/gdp-per-head/gdp-per-head.csv"
    p.write_bytes(b"\xef\xbb\xbf")
    return p, 1, r"file is empty"


def header_only_file(src):
    p = src / "ons-els/claimant-count/claimant-count.csv"
    p.write_text("\ufeffareacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\r\n",
                 encoding="utf-8")
    return p, None, r"'claimant-count' .* has no rows"


def missing_csv(src):
    p = src / "ons-els/claimant-count/claimant-count.csv"
    p.unlink()
    return p, None, r"file not found"


def unclosed_quote(src):
    _edit(_gva(src), "TLJ,South East,", 'TLJ,"South East,')  # line 13; no quote after it
    return _gva(src), 13, r"quoted field opened on this line is never closed"


def stray_quote(src):
    """A quote opening the area name on line 2 is closed by the one before Bristol on line 8:
    the error names the line where the broken record starts."""
    _edit(_gva(src), "E07000084,Basingstoke and Deane,", 'E07000084,"Basingstoke and Deane,')
    return _gva(src), 2, r"not valid CSV: a stray or unescaped quote"


def field_of_200_kb(src):
    _edit(_gva(src), "45.1,Pounds,£,,,,", "45.1,Pounds,£,,,," + "x" * 200_000)  # line 6, notes
    return _gva(src), 6, r"a field is longer than 131072 characters"


def _replace_bytes(path: Path, old: bytes, new: bytes) -> int:
    """Replace bytes in a file; return the line of the replacement."""
    raw = path.read_bytes()
    at = raw.index(old)
    path.write_bytes(raw.replace(old, new, 1))
    return raw.count(b"\n", 0, at) + 1


def latin1_byte_in_csv(src):
    line = _replace_bytes(_gva(src), b"E07000089,Hart,", b"E07000089,H\xe4rt,")
    assert line == 6
    return _gva(src), 6, r"byte 0xe4 at column 12 is not UTF-8"


def latin1_byte_in_json(src):
    p = src / "ons-els/claimant-count/claimant-count.json"
    line = _replace_bytes(p, b"Claimant Count as", b"Claimant Count \xe0 as")
    return p, line, r"byte 0xe0 at column \d+ is not UTF-8"


def source_date_a_number(src):
    p = src / "ons-els/claimant-count/claimant-count.json"
    line = _replace_bytes(p, b'"sourceDate": "18/12/2025|20/12/2025"', b'"sourceDate": 12')
    return p, line, r"'sourceDate' in the metadata is 12 \(a number\); expected text"


def subtitle_a_list_in_an_indicator(src):
    p = src / "ons-els/gross-value-added/gross-value-added.json"
    line = _replace_bytes(p, b'"subtitle": "Value added per hour worked"', b'"subtitle": ["a", "b"]')
    return p, line, r"'subtitle' of indicator 'Gross value added per hour worked' is \[\"a\", \"b\"\] \(a list\)"


def nul_in_area_code(src):
    _edit(_gva(src), "E07000089,Hart,", "E0700\x0089,Hart,")  # line 6
    return _gva(src), 6, r"areacd contains control character\(s\) U\+0000"


BAD = [missing_column, missing_column_older_schema, unknown_period_form, impossible_date,
       non_numeric_observation_without_status, non_numeric_confidence_interval,
       duplicate_key_with_different_values, missing_json, invalid_json, json_without_metadata_section,
       ragged_row, ragged_row_outside_the_catalogue, empty_file, bom_only_file, header_only_file, missing_csv,
       unclosed_quote, stray_quote, field_of_200_kb, latin1_byte_in_csv, latin1_byte_in_json, source_date_a_number,
       subtitle_a_list_in_an_indicator, nul_in_area_code]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("spoil", BAD, ids=[f.__name__ for f in BAD])
def test_bad_file_raises_and_keeps_previous_extract(spoil, source_a, tmp_path, area, fixture_catalogue):
    out = tmp_path / "out" / "extract"
    build_extract(source_a, out, area, fixture_catalogue)  # a good previous extract
    before = _snapshot(out)
    assert {"observations.parquet", "indicators.json", "areas.csv", "manifest.json",
            "boundaries.geojson", "neighbours.csv"} <= set(before)

    path, line, reason = spoil(source_a)
    with pytest.raises(SourceError) as exc:
        build_extract(source_a, out, area, fixture_catalogue)
    err = exc.value
    message = str(err)
    assert Path(err.path) == path
    assert str(path) in message, "the message names the file"
    assert err.line == line
    if line is not None:
        assert f"line {line}" in message, "the message names the line"
    assert re.search(reason, err.reason), err.reason
    assert err.reason in message, "the message gives the reason"
    assert "\n" not in message

    assert _snapshot(out) == before, "the previous extract must be byte-identical"
    leftovers = [p.name for p in out.parent.iterdir() if p.name != "extract"]
    assert leftovers == [], f"temporary folders left behind: {leftovers}"


def test_source_without_ons_els_folder(tmp_path, area, fixture_catalogue):
    with pytest.raises(SourceError, match="no ons-els folder"):
        build_extract(tmp_path / "nowhere", tmp_path / "extract", area, fixture_catalogue)
    assert not (tmp_path / "extract").exists()


def test_missing_geography_keeps_previous_extract(source_a, tmp_path, area, fixture_catalogue):
    """A failure while writing (after the CSVs were read) also leaves the previous extract as it was."""
    out = tmp_path / "extract"
    build_extract(source_a, out, area, fixture_catalogue)
    before = _snapshot(out)
    (source_a / "ons-geography/global-neighbours.csv").unlink()
    with pytest.raises(SourceError, match="global-neighbours.csv"):
        build_extract(source_a, out, area, fixture_catalogue)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extract", "source-a"]


def test_control_characters_in_free_text_are_removed_and_reported(source_a, tmp_path, area, fixture_catalogue):
    """A NUL byte (or another control character) in notes, an area name or the metadata text is removed,
    and the build report says how many rows it touched."""
    import duckdb

    _edit(_pw(source_a), "Adults aged 16 and over", "Adults aged 16\x00 and\x1bover")
    _edit(_gva(source_a), "Basingstoke and Deane", "Basingstoke\x07 and Deane")
    meta = source_a / "ons-els/claimant-count/claimant-count.json"
    meta.write_text(meta.read_text(encoding="utf-8-sig").replace(
        "The count is based", "The count\\u0000 is\\u0007 based"), encoding="utf-8")
    result = build_extract(source_a, tmp_path / "extract", area, fixture_catalogue)
    notes = duckdb.sql(
        "SELECT notes FROM read_parquet(?) WHERE areacd = 'E92000001' AND indicator_id = 'anxiety' AND notes <> ''",
        params=[str(tmp_path / "extract" / "observations.parquet")]).fetchall()
    assert notes == [("Adults aged 16 andover, Great Britain survey",)]
    areas = (tmp_path / "extract" / "areas.csv").read_text(encoding="utf-8")
    assert "E07000084,Basingstoke and Deane," in areas
    import json

    inds = {i["id"]: i for i in json.loads((tmp_path / "extract" / "indicators.json").read_text(encoding="utf-8"))}
    assert inds["claimant-count"]["caveats"].startswith("The count is based")
    report = "\n".join(result.lines())
    assert "kept 1: control character(s) removed from notes" in report
    assert "kept 1: control character(s) removed from areanm" in report
    assert "control character(s) removed from the metadata field caveats" in report


def test_untouched_source_copy_is_identical():
    """Guard: the hand-made fixture is not edited by the tests above (they work on copies)."""
    text = (SOURCE_A / "ons-els/gross-value-added/gross-value-added.csv").read_text(encoding="utf-8-sig")
    assert "n/a" not in text and ",value," not in text
