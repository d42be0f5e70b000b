"""The real catalogue (lis_data/config/catalogue.toml) against the mission text and the committed extract."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from lis_data.config import LEVELS, POLARITIES, load_catalogue, parse_catalogue
from lis_data.errors import ConfigError
from lis_data.paths import PROJECT_ROOT

CAT = load_catalogue()
MISSION = PROJECT_ROOT.parent / "shared" / "mission" / "em3-local-industrial-strategy.txt"


def test_at_least_35_indicators():
    assert len(CAT.indicators) >= 35


def test_nine_priorities():
    assert [p.number for p in CAT.priorities] == list(range(1, 10))


@pytest.mark.parametrize("priority", CAT.priorities, ids=lambda p: p.id)
def test_every_priority_has_three_district_indicators(priority):
    district = [i.id for i in CAT.indicators_for(priority.id) if i.level == "district"]
    assert len(district) >= 3, f"{priority.id}: only {district}"
    assert len(CAT.headlines_for(priority.id)) >= 1


#: SHA-256 of each priority's statement (white space made single), taken when the statements were
#: checked word for word against the mission text: on a machine without ../shared the check runs
#: against these, so an edited statement fails on a fresh clone too.
CHECKSUMS = json.loads((PROJECT_ROOT / "tests" / "data" / "statement_checksums.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("priority", CAT.priorities, ids=lambda p: p.id)
def test_priority_statement_word_for_word(priority):
    """Against the mission text where ../shared is beside the project (a developer's or CI machine),
    and always against the checksum taken from it."""
    if MISSION.is_file():
        assert _norm(priority.statement) in _norm(MISSION.read_text(encoding="utf-8"))
    assert hashlib.sha256(_norm(priority.statement).encode()).hexdigest() == CHECKSUMS[priority.id], \
        f"{priority.id}: the statement is not the one checked against the mission text"


def test_indicator_fields_valid():
    for i in CAT.indicators:
        assert i.polarity in POLARITIES and i.level in LEVELS, i.id
        assert i.decimals >= 0 and i.label and i.unit is not None


def test_every_catalogue_indicator_has_rows_in_the_extract(store):
    counts = dict(store.rows("SELECT indicator_id, count(value) FROM observations GROUP BY indicator_id"))
    missing = [i.id for i in CAT.indicators if not counts.get(i.id)]
    assert missing == [], f"no figures in the committed extract for {missing}: rebuild it"
    extract_ids = {i["id"] for i in json.loads((PROJECT_ROOT / "data/extract/indicators.json").read_text(encoding="utf-8"))}
    assert extract_ids == {i.id for i in CAT.indicators}


def test_district_indicators_have_figures_for_most_em3_districts(store):
    """Level "district" means published for districts; a few districts may have every figure
    suppressed (no-qualifications: survey estimates too unreliable to publish for two)."""
    from lis_data.config import load_area

    codes = list(load_area().district_codes)
    rows = store.rows(
        f"SELECT indicator_id, count(DISTINCT areacd) FROM observations WHERE value IS NOT NULL "
        f"AND areacd IN ({', '.join('?' * len(codes))}) GROUP BY indicator_id", codes)
    n = dict(rows)
    short = {i.id: n.get(i.id, 0) for i in CAT.indicators if i.level == "district" and n.get(i.id, 0) < 10}
    assert short == {}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda r: r["indicators"][0].update(polarity="up"), "polarity"),
        (lambda r: r["indicators"][0].update(level="ward"), "level"),
        (lambda r: r["indicators"][0].update(priorities=["nope"]), "unknown or no priorities"),
        (lambda r: r["indicators"].append(dict(r["indicators"][0])), "indicator id used twice"),
        (lambda r: r["indicators"][0].pop("dataset"), "missing"),
    ],
)
def test_parse_catalogue_rejects_bad_entries(change, message):
    raw = {
        "priorities": [{"number": 1, "id": "p", "title": "P", "statement": "S"}],
        "indicators": [{"id": "a", "label": "A", "dataset": "d", "indicator": "i", "measure": "m", "unit": "u",
                        "decimals": 1, "polarity": "higher", "priorities": ["p"], "level": "district",
                        "method": "quintiles", "kind": "rate"}],
    }
    change(raw)
    with pytest.raises(ConfigError, match=message):
        parse_catalogue(raw)


# --- How each indicator is compared (issue 19) ---------------------------------------------------

def test_every_indicator_has_a_method_and_a_kind():
    from lis_data.config import KINDS, METHODS

    unclassified = [i.id for i in CAT.indicators if i.method not in METHODS or i.kind not in KINDS]
    assert unclassified == []
    raw = (PROJECT_ROOT / "lis_data" / "config" / "catalogue.toml").read_text(encoding="utf-8")
    blocks = raw.split("[[indicators]]")[1:]
    assert len(blocks) == len(CAT.indicators)
    for b in blocks:  # written in the file, not left to a default
        assert re.search(r'^method = "', b, re.M) and re.search(r'^kind = "', b, re.M), b[:60]


def test_methods_follow_the_published_intervals(store):
    """ci95 exactly where the extract publishes intervals for the indicator's subject areas;
    quintiles only for district rates; counts never judged."""
    with_ci = {r[0] for r in store.rows("SELECT DISTINCT indicator_id FROM observations WHERE lci IS NOT NULL")}
    for i in CAT.indicators:
        if i.method == "ci95":
            assert i.id in with_ci, i.id
        if i.method == "quintiles":
            assert i.id not in with_ci and i.level == "district" and i.kind == "rate", i.id
        if i.kind == "count":
            assert i.method == "none", i.id
    kinds = {i.id: i.kind for i in CAT.indicators}
    for count in ("active-businesses", "exports", "short-let-guest-nights", "air-pollution-regulating"):
        assert kinds[count] == "count"
    assert CAT.indicator("affordability-ratio").method == "quintiles"


@pytest.mark.parametrize("field,value,message", [
    ("method", "ci99", "method 'ci99' is not one of"),
    ("kind", "total", "kind 'total' is not one of"),
])
def test_a_bad_method_or_kind_is_refused(field, value, message):
    raw = {"priorities": [{"number": 1, "id": "p", "title": "P", "statement": "S"}],
           "indicators": [{"id": "x", "label": "X", "dataset": "d", "indicator": "i", "measure": "m", "unit": "%",
                           "decimals": 1, "polarity": "higher", "priorities": ["p"], "level": "district",
                           "method": "quintiles", "kind": "rate", field: value}]}
    with pytest.raises(ConfigError, match=message):
        parse_catalogue(raw)
    del raw["indicators"][0][field]
    with pytest.raises(ConfigError, match=f"missing '{field}'"):
        parse_catalogue(raw)


def test_a_count_cannot_be_judged():
    raw = {"priorities": [{"number": 1, "id": "p", "title": "P", "statement": "S"}],
           "indicators": [{"id": "x", "label": "X", "dataset": "d", "indicator": "i", "measure": "m", "unit": "n",
                           "decimals": 0, "polarity": "higher", "priorities": ["p"], "level": "district",
                           "method": "quintiles", "kind": "count"}]}
    with pytest.raises(ConfigError, match="a count is never judged"):
        parse_catalogue(raw)
