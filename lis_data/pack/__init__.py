"""The evidence pack: one area (a district or EM3) against the priorities, as a tagged PDF.

`build_pack(store, "E07000217")` returns the board pack's bytes (lis_data.pack.board: at most twelve
pages); `full=True` the complete evidence pack. `python -m lis_data pack [--full]` and the pages'
"Download evidence pack (PDF)" button call it with the same arguments. The full pack's content
(lis_data.pack.content) comes from the view layer the pages use; the document
(lis_data.pack.document) is HTML and CSS made into a PDF by WeasyPrint. No Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

from lis_data.domain import judgement as jm
from lis_data.config import AreaConfig, Catalogue, load_area, load_catalogue
from lis_data.runtime.store import Store
from lis_data.pack.content import EM3, PackContent, pack_content, pack_request

__all__ = ["EM3", "PackContent", "build_pack", "pack_filename"]


def build_pack(store: Store, area_code: str, priorities: Sequence[str] = (), since: str | None = None,
               benchmark: str = jm.DEFAULT_BENCHMARK, feedback_url: str | None = None,
               area: AreaConfig | None = None, catalogue: Catalogue | None = None, full: bool = False) -> bytes:
    area, catalogue = area or load_area(), catalogue or load_catalogue()
    req = pack_request(area, catalogue, area_code, priorities, since, benchmark)
    if not full:
        from lis_data.pack.board import board_content, board_pdf

        return board_pdf(board_content(store, req, area, catalogue), catalogue)
    from lis_data.pack.document import pack_pdf

    return pack_pdf(pack_content(store, req, area, catalogue, feedback_url))


def pack_filename(area_code: str, priorities: Sequence[str] = (), full: bool = False) -> str:
    safe = "".join(ch for ch in area_code.upper() if ch.isalnum())[:12] or "area"
    return f"em3-{'evidence' if full else 'board'}-pack-{safe}{'-' + '-'.join(priorities)[:60] if priorities else ''}.pdf"
