"""Checking an uploaded research PDF before it is stored, and reading its text (pypdf; no streamlit).

`check_pdf(data, name)` returns a `CheckedPdf` (its text, page count, SHA-256) or raises `PdfRefused`
whose message names the file and the reason, in words a member of staff can act on:

* over the size limit (20 MB), checked before anything is parsed;
* not a PDF: it does not begin with ``%PDF-`` (a text file renamed ``.pdf``, an HTML page);
* a PDF that cannot be read, is encrypted, or has too many pages;
* active or attached content: JavaScript (``/JS``, ``/JavaScript``, an action of type JavaScript),
  a launch action (``/Launch``), embedded files (``/EmbeddedFiles``, ``/EmbeddedFile``, ``/EF``,
  file-attachment annotations), or any additional action (``/AA``) or open action (``/OpenAction``)
  of those types. The check walks every object reachable from the trailer, which is everything a
  viewer can run (pypdf decodes escaped names such as ``/J#61vaScript`` and reads compressed
  object streams). The raw bytes are not searched: compressed data holds ``/JS`` by chance often
  enough to refuse good files.

The text of each page is extracted for full-text search, with control characters removed and at
most `TEXT_LIMIT` characters kept.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 2000
TEXT_LIMIT = 300_000  # characters of text kept for search (PostgreSQL caps a tsvector at 1 MB)
_MAX_OBJECTS = 500_000

#: Dictionary keys that carry script, launch or attached-file content.
_ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/Launch": "a launch action (runs a program)",
    "/EmbeddedFiles": "embedded files",
    "/EmbeddedFile": "embedded files",
    "/EF": "embedded files",
    "/RichMedia": "embedded media",
}
#: Values of /S (action type) or /Subtype that mean the same.
_ACTIVE_VALUES = {
    "/JavaScript": "JavaScript",
    "/Launch": "a launch action (runs a program)",
    "/FileAttachment": "embedded files",
    "/EmbeddedFile": "embedded files",
    "/RichMedia": "embedded media",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PdfRefused(ValueError):
    """The file is not accepted; the message says which file and why."""


@dataclass(frozen=True)
class CheckedPdf:
    text: str
    pages: int
    size: int
    sha256: str


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _walk_active(reader) -> str | None:
    """What active or attached content the document's objects hold, or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                obj = obj.get_object()
            except Exception:  # noqa: BLE001 - a broken reference: nothing to find there
                continue
        visited += 1
        if visited > _MAX_OBJECTS:
            raise PdfRefused(f"has more than {_MAX_OBJECTS:,} objects")
        if isinstance(obj, DictionaryObject):
            for k, v in obj.items():
                if str(k) in _ACTIVE_KEYS:
                    return _ACTIVE_KEYS[str(k)]
                if str(k) in ("/S", "/Subtype", "/Type") and isinstance(v, NameObject) and str(v) in _ACTIVE_VALUES:
                    return _ACTIVE_VALUES[str(v)]
                stack.append(v)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def check_pdf(data: bytes, name: str = "the file") -> CheckedPdf:
    """The checked PDF and its text, or PdfRefused with the file's name and the reason."""
    label = repr(str(name)[:120])
    size = len(data)
    if size > MAX_BYTES:
        raise PdfRefused(f"{label} is {_mb(size)}: the limit is {_mb(MAX_BYTES)}. Link to it instead, or upload "
                         "a smaller version.")
    if size == 0:
        raise PdfRefused(f"{label} is empty.")
    if not data.startswith(b"%PDF-"):
        raise PdfRefused(f"{label} is not a PDF: its content does not begin with %PDF- (a file renamed to .pdf is "
                         "still what it was).")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file's warnings are not ours to log
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfRefused(f"{label} is encrypted: upload a copy without a password.")
        pages = len(reader.pages)
        active = _walk_active(reader)
    except PdfRefused:
        raise
    except (PdfReadError, Exception) as exc:  # noqa: BLE001 - any parse failure refuses the file
        raise PdfRefused(f"{label} could not be read as a PDF ({type(exc).__name__}).") from None
    if active:
        raise PdfRefused(f"{label} carries {active}: documents with scripts or attached files are not accepted. "
                         "Print it to a plain PDF and upload that.")
    if pages > MAX_PAGES:
        raise PdfRefused(f"{label} has {pages:,} pages: the limit is {MAX_PAGES:,}.")
    parts: list[str] = []
    total = 0
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - a page whose text cannot be read adds nothing to the search
            text = ""
        text = _CONTROL.sub(" ", text.replace("\x00", ""))
        parts.append(text)
        total += len(text)
        if total >= TEXT_LIMIT:
            break
    body = "\n".join(parts)[:TEXT_LIMIT]
    # a lone surrogate cannot be stored: replace what does not encode
    body = body.encode("utf-8", "replace").decode("utf-8")
    return CheckedPdf(body, pages, size, hashlib.sha256(data).hexdigest())
