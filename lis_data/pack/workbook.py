"""The officers' spreadsheet: a district's (or EM3's) judged figures as an accessible statistical workbook,
made with gptables (the Government Analysis Function's package): a cover sheet, contents, notes, and one
table per priority with the figures as numbers (exactly as published), units, periods, judgements, ranks
and the source of each row.

`python -m lis_data workbook --area CODE|EM3 --out FILE.xlsx`, and the pages' "Download workbook (Excel)"
button, call `workbook_bytes`. The figures come from lis_data.views.board_figures, as the board pack's do.
No Streamlit.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence

from lis_data.domain import judgement as jm
from lis_data.config import AreaConfig, Catalogue, load_area, load_catalogue
from lis_data.constants import ATTRIBUTION, LICENCE, LICENCE_URL
from lis_data.pack.content import EM3, pack_request
from lis_data.runtime.store import Store
from lis_data.views import judged as jd
from lis_data.views.board_figures import FIFTHS, BoardFigure, answer_sentences, board_figures
from lis_data.views.exports import sources

NOTES = (
    ("note 1", "Judgement: better or worse than the benchmark only where the published 95% confidence interval lies "
                 "wholly on one side of the benchmark's figure for the same period; similar where it contains it; "
                 "not tested where no interval is published; not compared where the benchmark has no figure."),
    ("note 2", "Rank among all English districts with a figure for the period, 1 = best (highest where neither "
                 "direction is better). Fifth: the district's position among them (1 best fifth, 5 worst fifth); "
                 "a position, not a test of significance."),
    ("note 3", "Figures exactly as published by the source; [x] means no figure was published for that period. "
                 "Nothing is estimated or interpolated."),
    ("note 4", "EM3: the median of the fourteen districts' figures for the latest period most of them have; the "
                 "counts say how many districts are judged better, similar or worse, and how many sit in the "
                 "worst and best fifths of English districts."),
)


#: The Government Statistical Service's shorthand for an empty cell (a blank cell must say why).
NOT_AVAILABLE, NOT_APPLICABLE = "[x]", "[z]"
LEGEND = [f"{NOT_AVAILABLE} = no figure published", f"{NOT_APPLICABLE} = not applicable"]
#: Column headings that refer to a note (gptables writes the marker, [note n]).
TABLE_NOTES = {"Judgement": "$$note 1$$", "Rank": "$$note 2$$", "Fifth": "$$note 2$$",
               "Districts better": "$$note 1$$", "In worst fifth": "$$note 2$$",
               "Median of districts": "$$note 4$$"}


def _num(value):
    """A figure as a number cell; [x] where none was published."""
    return NOT_AVAILABLE if value is None else float(value)


def _int(value):
    return NOT_AVAILABLE if value is None else int(value)


def unit_words(unit: str) -> str:
    """A unit as a cell can hold it: gptables refuses a cell of symbols only ("%", "£")."""
    return {"%": "per cent (%)", "£": "pounds (£)"}.get(unit, unit if any(c.isalnum() for c in unit) else
                                                          f"{unit} (unit)")


def _text(value: str, missing: str = NOT_APPLICABLE) -> str:
    return value if value else missing


def _district_frame(figs: Sequence[BoardFigure], orgs: dict[str, str], area_name: str, bname: str):
    import pandas as pd

    return pd.DataFrame({
        "Indicator": [f.label for f in figs],
        "Unit": [unit_words(f.unit) for f in figs],
        "Period": [f.period for f in figs],
        f"{area_name} figure": [_num(f.value) for f in figs],
        "95% CI lower": [_num(f.lci_95) for f in figs],
        "95% CI upper": [_num(f.uci_95) for f in figs],
        f"{bname} figure": [_num(f.benchmark_value) for f in figs],
        "Judgement": [_text(f.judgement) for f in figs],
        "Method": [f.method for f in figs],
        "Rank": [_int(f.rank) for f in figs],
        "Of": [_int(f.of) for f in figs],
        "Fifth": [_text(FIFTHS.get(f.quintile, "")) for f in figs],
        "Direction": [_text(f.direction) for f in figs],
        "Source": [orgs.get(f.indicator, "Office for National Statistics") for f in figs],
    })


def _em3_frame(figs: Sequence[BoardFigure], orgs: dict[str, str], bname: str):
    import pandas as pd

    def count(f, j):
        return dict(f.counts).get(j, 0)

    return pd.DataFrame({
        "Indicator": [f.label for f in figs],
        "Unit": [unit_words(f.unit) for f in figs],
        "Period": [f.period for f in figs],
        "Median of districts": [_num(f.value) for f in figs],
        f"{bname} figure": [_num(f.benchmark_value) for f in figs],
        "Districts better": [count(f, jm.BETTER) for f in figs],
        "Districts similar": [count(f, jm.SIMILAR) for f in figs],
        "Districts worse": [count(f, jm.WORSE) for f in figs],
        "Districts not tested": [count(f, jm.NOT_TESTED) for f in figs],
        "In worst fifth": [f.in_worst_fifth for f in figs],
        "In best fifth": [f.in_best_fifth for f in figs],
        "Method": [f.method for f in figs],
        "Source": [orgs.get(f.indicator, "Office for National Statistics") for f in figs],
    })


def _larger_frame(store: Store, inds, codes: tuple[str, ...], orgs: dict[str, str], area, catalogue):
    """A priority's indicators published only for larger areas (counties, ITL areas, the region): the
    latest figure of each area that covers the districts, not judged."""
    import pandas as pd

    from lis_data.views import indicator as iv
    from lis_data.views.source import StoreSource

    src = StoreSource(store, area, catalogue)
    rows = []
    for ind in inds:
        focus = iv.focus_areas(src, ind, codes)
        latest = src.latest(ind.id, tuple(focus))
        for _, r in latest.iterrows():
            rows.append({"Indicator": ind.label, "Published for": f"{ind.level} level",
                         "Area": focus.get(r["areacd"], r["areanm"]), "Unit": unit_words(ind.unit),
                         "Period": str(r["period_label"]), "Figure": _num(None if pd.isna(r["value"]) else r["value"]),
                         "Source": orgs.get(ind.id, "Office for National Statistics")})
    return pd.DataFrame(rows)


def workbook_bytes(store: Store, area_code: str, benchmark: str = jm.DEFAULT_BENCHMARK,
                   area: AreaConfig | None = None, catalogue: Catalogue | None = None) -> bytes:
    import gptables as gpt

    area, catalogue = area or load_area(), catalogue or load_catalogue()
    req = pack_request(area, catalogue, area_code, (), None, benchmark)
    code = req.area
    codes = tuple(area.district_codes) if req.is_em3 else (code,)
    area_name = area.name if req.is_em3 else area.district(code).name
    bname = jd.benchmark_name(area, codes, benchmark)
    figs = board_figures(store, EM3 if req.is_em3 else code, benchmark, area, catalogue)
    orgs = sources(store)
    sheets = {}
    for p in catalogue.priorities:
        ids = {i.id for i in catalogue.indicators_for(p.id)}
        mine = [f for f in figs if f.indicator in ids]
        if mine:
            frame = _em3_frame(mine, orgs, bname) if req.is_em3 else _district_frame(mine, orgs, area_name, bname)
            sheets[f"Priority {p.number}"] = _table(gpt, p, frame, area_name, bname, True)
        # Indicators published for larger areas only (exports by ITL area): a table of their own.
        larger = [i for i in catalogue.indicators_for(p.id) if i.level != "district"]
        frame = _larger_frame(store, larger, codes, orgs, area, catalogue) if larger else None
        if frame is not None and not frame.empty:
            sheets[f"Priority {p.number} larger areas"] = _table(gpt, p, frame, area_name, bname, False)
    return _write(gpt, sheets, figs, area_name, bname)


def _table(gpt, p, frame, area_name: str, bname: str, judged: bool):
    return gpt.GPTable(
        table=frame, table_name=f"priority_{p.number}_{p.id.replace('-', '_')}{'' if judged else '_larger_areas'}",
        title=(f"{p.number}. {p.title}: {area_name}'s indicators judged against {bname}" if judged else
               f"{p.number}. {p.title}: indicators published only for the larger areas covering {area_name} "
               "(not judged)"),
        subtitles=[p.statement], units=None, legend=LEGEND,
        table_notes={c: n for c, n in TABLE_NOTES.items() if c in frame.columns},
        instructions="This worksheet contains one table. Some column headings refer to notes, which are on the "
                     "Notes worksheet. Each row's unit is in the Unit column; [x] and [z] are explained below.",
        source=f"Source: each row's Source column. {ATTRIBUTION}.", index_columns={})


def _write(gpt, sheets, figs, area_name: str, bname: str) -> bytes:
    import pandas as pd

    cover = gpt.Cover(
        title=f"EM3 Local Industrial Strategy: {area_name}'s indicators",
        intro=[*answer_sentences(figs, area_name, bname)],
        about=["One table per strategic priority; each row is an indicator published for districts, with its latest "
               "figure exactly as published, the benchmark's figure for the same period, the judgement, the rank "
               f"among English districts and the source. Judged against {bname}.",
               f"{ATTRIBUTION}. {LICENCE}: {LICENCE_URL}"],
        contact=["Enterprise M3 LEP dashboard: the Data and sources page lists every source."])
    notes = pd.DataFrame({"Note reference": [n for n, _ in NOTES], "Note text": [t for _, t in NOTES]})
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        gpt.write_workbook(filename=path, sheets=sheets, cover=cover, notes_table=notes,
                           contentsheet_options={"title": "Contents"}, auto_width=True)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)
