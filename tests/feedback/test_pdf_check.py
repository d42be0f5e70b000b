"""The research upload check (lis_data/hub/pdf_check.py): a plain PDF is accepted with its text; a PDF
with JavaScript (open action, escaped name, annotation action), with an attached file, a launch
action, a renamed text file, an empty or damaged file, and a 25 MB file are refused with the reason."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from lis_data.hub.pdf_check import MAX_BYTES, PdfRefused, check_pdf


@pytest.fixture(scope="module")
def plain() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<h1>Study</h1><p>The word quokkanomics is in the body.</p>").write_pdf()


def _rewrite(pdf: bytes, change) -> bytes:
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    change(w)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _js_action(name: str = "/JavaScript") -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject(name), NameObject("/JS"): TextStringObject("app.alert(1)")})


def test_plain_pdf_accepted_with_its_text(plain):
    checked = check_pdf(plain, "study.pdf")
    assert "quokkanomics" in checked.text and checked.pages == 1 and checked.size == len(plain)


@pytest.mark.parametrize("how", ["open action", "names tree", "page annotation", "page additional action"])
def test_javascript_refused(plain, how):
    def change(w):
        if how == "open action":
            w._root_object[NameObject("/OpenAction")] = _js_action()
        elif how == "names tree":
            w._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("x"), w._add_object(_js_action())])})})
        elif how == "page annotation":
            annot = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                                      NameObject("/A"): _js_action()})
            w.pages[0][NameObject("/Annots")] = ArrayObject([w._add_object(annot)])
        else:
            w.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js_action()})

    with pytest.raises(PdfRefused, match="carries JavaScript"):
        check_pdf(_rewrite(plain, change), "js.pdf")


def test_escaped_javascript_name_refused(plain):
    bad = _rewrite(plain, lambda w: w._root_object.__setitem__(NameObject("/OpenAction"), _js_action()))
    # the same file with the names written with #xx escapes, as an attacker might
    escaped = bad.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    with pytest.raises(PdfRefused, match="JavaScript"):
        check_pdf(escaped, "escaped.pdf")


def test_embedded_file_and_launch_refused(plain):
    with pytest.raises(PdfRefused, match="embedded files"):
        check_pdf(_rewrite(plain, lambda w: w.add_attachment("payload.exe", b"MZ...")), "att.pdf")
    launch = _rewrite(plain, lambda w: w._root_object.__setitem__(NameObject("/OpenAction"), DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})))
    with pytest.raises(PdfRefused, match="launch action"):
        check_pdf(launch, "launch.pdf")


def test_renamed_text_file_empty_damaged_and_oversized_refused():
    with pytest.raises(PdfRefused, match=r"'notes\.pdf' is not a PDF"):
        check_pdf(b"Just some notes, renamed to .pdf\n", "notes.pdf")
    with pytest.raises(PdfRefused, match="is empty"):
        check_pdf(b"", "empty.pdf")
    with pytest.raises(PdfRefused, match="could not be read as a PDF"):
        check_pdf(b"%PDF-1.7\n1 0 obj << /Type /Catalog", "damaged.pdf")
    with pytest.raises(PdfRefused, match=r"is 25\.0 MB: the limit is 20\.0 MB"):
        check_pdf(b"%PDF-1.7\n" + b"0" * (25 * 1024 * 1024), "big.pdf")
    assert MAX_BYTES == 20 * 1024 * 1024


def test_encrypted_refused(plain):
    with pytest.raises(PdfRefused, match="encrypted"):
        check_pdf(_rewrite(plain, lambda w: w.encrypt("secret")), "locked.pdf")
