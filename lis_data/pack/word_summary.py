"""The Word summary: the board pack's cover sentences and one-page profile as an editable .docx
(python-docx), for officers who paste into their board paper's own template.

`python -m lis_data summary --area CODE|EM3 --out FILE.docx`, and the pages' "Download summary (Word)"
button, call `summary_docx`. Figures, judgements and ranks come from lis_data.views.board_figures (as the
board pack's and the workbook's do); figures are rounded to the catalogue's decimals for reading.
No Streamlit.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

from lis_data.domain import judgement as jm
from lis_data.config import AreaConfig, Catalogue, load_area, load_catalogue
from lis_data.constants import ATTRIBUTION, LICENCE_URL
from lis_data.pack.content import EM3, pack_request
from lis_data.runtime.store import Store
from lis_data.views import judged as jd
from lis_data.views.board_figures import FIFTHS, answer_sentences, board_figures

PROFILE_HEADINGS = ("Indicator", "Period", "Figure", "Benchmark", "Rank", "Judgement", "Fifth")
EM3_HEADINGS = ("Indicator", "Period", "Median of districts", "Benchmark", "Districts judged", "Worst fifth",
                "Best fifth")


def summary_docx(store: Store, area_code: str, benchmark: str = jm.DEFAULT_BENCHMARK,
                 area: AreaConfig | None = None, catalogue: Catalogue | None = None) -> bytes:
    from docx import Document
    from docx.shared import Pt

    area, catalogue = area or load_area(), catalogue or load_catalogue()
    req = pack_request(area, catalogue, area_code, (), None, benchmark)
    codes = tuple(area.district_codes) if req.is_em3 else (req.area,)
    area_name = area.name if req.is_em3 else area.district(req.area).name
    bname = jd.benchmark_name(area, codes, benchmark)
    figs = board_figures(store, EM3 if req.is_em3 else req.area, benchmark, area, catalogue)

    doc = Document()
    doc.core_properties.title = f"{area_name} and the Local Industrial Strategy: summary"
    doc.core_properties.language = "en-GB"
    doc.add_heading(f"{area_name} and the EM3 Local Industrial Strategy", level=1)
    doc.add_paragraph(f"Summary of {datetime.now(timezone.utc).date().isoformat()}, judged against {bname} by the "
                      "published 95% confidence interval.")
    for sentence in answer_sentences(figs, area_name, bname):
        doc.add_paragraph(sentence)
    doc.add_heading("Profile: every indicator published for districts", level=2)
    headings = EM3_HEADINGS if req.is_em3 else PROFILE_HEADINGS
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings):
        cell.text = text.replace("Benchmark", bname) if text == "Benchmark" else text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for f in figs:
        label = f.label + (f" ({f.unit})" if f.unit_label else "")  # a long unit once, beside the name
        if req.is_em3:
            values = (label, f.period, f.cell(f.value), f.cell(f.benchmark_value), f.judgement_text,
                      str(f.in_worst_fifth), str(f.in_best_fifth))
        else:
            values = (label, f.period, f.cell(f.value) or "no figure", f.cell(f.benchmark_value), f.rank_text,
                      f.judgement, FIFTHS.get(f.quintile, ""))
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8.5)
    doc.add_paragraph("Judgement: better or worse only where the published 95% confidence interval lies wholly on one "
                      "side of the benchmark's figure; not tested where no interval is published. Rank among English "
                      "districts, 1st best; fifth: the position among them, not a test of significance.")
    doc.add_paragraph(f"{ATTRIBUTION}. {LICENCE_URL}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
