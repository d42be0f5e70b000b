"""The one CSV writer: every CSV the project hands out (a page's download, `python -m lis_data export`
and `profile`, the HTTP API) is written here, in one form.

- UTF-8, a header row, one row per figure, "\\n" line ends; no comment line (every line is CSV).
- Figures exactly as published: a float is written as Python's repr (66152.0, 6.122448979591836); an
  empty cell is no figure. Rounding is for what people read (pages, packs), never for a file.
- The last two columns say where each row comes from: `source` (the organisation that published
  it) and `licence` (the Open Government Licence v3.0).
- Periods: `period` is ISO 8601 as published (a start date and a duration: 2022-04-01/P1Y), with
  `period_label` (2022/23) beside it where the caller has it.
- Text that a spreadsheet would run as a formula (starting =, +, @, a tab or a carriage return, or a
  minus sign not followed by a digit) is prefixed with an apostrophe: the names come from upstream files.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from lis_data.constants import LICENCE

SOURCE_COLUMNS = ("source", "licence")
DEFAULT_SOURCE = "Office for National Statistics"
_FORMULA_START = ("=", "+", "@", "\t", "\r")


def cell(value) -> str:
    """One value as the file holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "item") and not isinstance(value, str):  # a numpy scalar
        return cell(value.item())
    if hasattr(value, "isoformat"):  # a date or a timestamp
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    text = str(value)
    if text.startswith(_FORMULA_START) or (text.startswith("-") and not text[1:2].isdigit()):
        return "'" + text
    return text


def csv_chunks(batches: Iterable[Iterable[Mapping]], columns: Sequence[str],
               source: str | Callable[[Mapping], str | None] = DEFAULT_SOURCE) -> Iterator[str]:
    """The CSV of `csv_text` as text chunks: the header, then one chunk per batch of rows, so that a
    long answer is streamed and never held whole."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*columns, *SOURCE_COLUMNS])
    for rows in batches:
        for row in rows:
            origin = source(row) if callable(source) else source
            writer.writerow([*(cell(row.get(c)) for c in columns), origin or DEFAULT_SOURCE, LICENCE])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def csv_text(rows: Iterable[Mapping], columns: Sequence[str],
             source: str | Callable[[Mapping], str | None] = DEFAULT_SOURCE) -> str:
    """`rows` (mappings holding at least `columns`) as CSV, with the source and licence columns."""
    return "".join(csv_chunks([rows], columns, source))


def frame_csv(df, columns: Sequence[str], source: str | Callable[[Mapping], str | None] = DEFAULT_SOURCE) -> str:
    """A pandas DataFrame's `columns` as CSV (csv_text)."""
    cols = list(columns)
    return csv_text((dict(zip(cols, values)) for values in df[cols].itertuples(index=False, name=None)), cols, source)
