"""The officers' spreadsheet (gptables) and Word summary (python-docx), read back with openpyxl and
python-docx: a cover, contents and notes sheet; a table per priority with every figure a number cell equal
to the judged rows (exactly as published); the cover sentences and the profile table in the .docx."""

from __future__ import annotations

import io
import time
import warnings

import pytest

from lis_data.cli import main
from lis_data.config import load_area, load_catalogue
from lis_data.pack import EM3
from lis_data.views.board_figures import answer_sentences, board_figures
from lis_data.pack.workbook import NOT_AVAILABLE, workbook_bytes
from lis_data.pack.word_summary import summary_docx

WOKING = "E07000217"
AREA, CAT = load_area(), load_catalogue()


def _book(data: bytes):
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data))


def _table(ws):
    """The sheet's table: its header row (the first with "Indicator" in column A) and the rows under it."""
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "Indicator")
    head = [str(h).split("\n")[0] for h in rows[at]]
    return head, [dict(zip(head, r)) for r in rows[at + 1:] if r[0] is not None]


@pytest.mark.parametrize("code", [WOKING, EM3])
def test_workbook_sheets_and_numbers_equal_the_judged_rows(store, code):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        started = time.perf_counter()
        data = workbook_bytes(store, code)
        took = time.perf_counter() - started
    print(f"workbook {code}: {took:.2f} s (a shared machine: provisional)")
    wb = _book(data)
    assert wb.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    judged = [n for n in wb.sheetnames if n.startswith("Priority ") and "larger" not in n]
    assert len(judged) == sum(1 for p in CAT.priorities if any(i.level == "district" for i in CAT.indicators_for(p.id)))
    figs = {f.label: f for f in board_figures(store, code)}
    column = "Median of districts" if code == EM3 else "Woking figure"
    seen = 0
    for name in judged:
        head, rows = _table(wb[name])
        assert "Unit" in head and "Period" in head and "Source" in head
        assert ("Judgement" in head and "Rank" in head) if code != EM3 else "Districts better" in head
        for r in rows:
            f = figs[r["Indicator"]]
            assert r["Period"] == f.period
            if f.value is None:
                assert r[column] == NOT_AVAILABLE
            else:
                assert isinstance(r[column], (int, float)) and r[column] == pytest.approx(f.value, rel=1e-12)  # Excel keeps 15 significant digits
                seen += 1
            if code != EM3:
                assert r["Judgement"] == f.judgement and (r["Rank"] == f.rank or f.rank is None)
    assert seen >= 30
    cover = " ".join(str(c) for r in wb["Cover"].iter_rows(values_only=True) for c in r if c)
    area_name = AREA.name if code == EM3 else "Woking"
    assert answer_sentences(tuple(figs.values()), area_name, "England")[0] in cover


def test_word_summary_holds_the_sentences_and_the_profile(store, tmp_path, capsys):
    import docx

    doc = docx.Document(io.BytesIO(summary_docx(store, WOKING)))
    text = "\n".join(p.text for p in doc.paragraphs)
    figs = board_figures(store, WOKING)
    for sentence in answer_sentences(figs, "Woking", "England"):
        assert sentence in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["Indicator", "Period", "Figure"]
    assert len(table.rows) == len(figs) + 1
    by_label = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    f = next(f for f in figs if f.indicator == "affordability-ratio")
    assert by_label[f.label][2] == f.cell(f.value) and by_label[f.label][5] == f.judgement
    # The command line writes the same files, refusing a wrong suffix.
    assert main(["summary", "--area", EM3, "--out", str(tmp_path / "s.docx")]) == 0
    assert main(["workbook", "--area", WOKING, "--out", str(tmp_path / "w.docx")]) == 1
    assert "must end in .xlsx" in capsys.readouterr().err
