"""The full evidence pack (--full): every profile figure as `lis_data profile` gives it, rounded to the
catalogue's decimals with its unit, the nine
statements word for word, the licence line, no blank chart, the sounding board without names or
emails, and What's new over a changed release."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest
from PIL import Image

from lis_data import feedback
from lis_data.cli import main
from lis_data.config import load_area, load_catalogue
from lis_data.constants import ATTRIBUTION
from lis_data.feedback.validation import Submission
from lis_data.pack import build_pack
from lis_data.runtime.store import Store
from lis_data.views.formatting import with_unit
from synthetic_source import WOKING, build_changed_release

CAT = load_catalogue()


def _text(pdf_path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True,
                         timeout=60).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", out)


@pytest.fixture(scope="module")
def woking_pack(tmp_path_factory, store, poppler):
    tmp = tmp_path_factory.mktemp("pack")
    url = f"sqlite://{tmp / 'feedback.sqlite'}"
    fb = feedback.open_store(url)
    fb.append(Submission(priority="housing", respondent_type="resident", places=(WOKING,),
                         comment="Starter homes near the station are scarce; write to me at jo.bloggs@example.org",
                         submission_key="pack-test-1", name="Jo Bloggs", email="jo.bloggs@example.org", consent=True))
    fb.close()
    path = tmp / "woking.pdf"
    path.write_bytes(build_pack(store, WOKING, feedback_url=url, full=True))
    return path


def test_pack_holds_every_profile_figure_statement_and_the_licence(woking_pack, capsys):
    assert woking_pack.read_bytes().startswith(b"%PDF-")
    text = _text(woking_pack)
    assert main(["profile", "--area", WOKING]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    figures = [r["value"] for r in rows if r["value"]]
    assert len(figures) >= 20

    def shown(r):  # independently of the pack: the catalogue's decimals, thousands separators, the unit once
        ind = CAT.indicator(r["indicator"])
        return with_unit(float(r["value"]), ind.unit, ind.decimals)

    missing = [(r["indicator"], shown(r)) for r in rows if r["value"] and f" {shown(r)} " not in text]
    assert not missing, missing
    for p in CAT.priorities:
        assert re.sub(r"\s+", " ", p.statement) in text, p.id
    assert ATTRIBUTION in text
    # The sounding board: the comment, never the name or the email address.
    assert "Starter homes near the station are scarce" in text
    assert "Jo Bloggs" not in text and "jo.bloggs@example.org" not in text


def test_pack_is_tagged_with_title_and_language(woking_pack):
    from pypdf import PdfReader

    reader = PdfReader(woking_pack)
    assert reader.metadata.title.startswith("Evidence pack: Woking")
    root = reader.trailer["/Root"]
    assert root.get("/Lang") in ("en-GB", "en-gb")
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_no_chart_is_blank(woking_pack, tmp_path):
    from pypdf import PdfReader

    reader = PdfReader(woking_pack)
    charts = [img for page in reader.pages for img in page.images]
    assert len(charts) >= 9 + 9  # headline charts and a map per priority
    for img in charts:
        hist = img.image.convert("L").resize((200, 150)).histogram()
        assert sum(hist[:200]) > 0.02 * 200 * 150, img.name  # not blank: lines, bars or districts drawn
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(woking_pack), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(reader.pages)
    for p in pages:
        im = Image.open(p).convert("L")
        assert im.getextrema()[0] < 200, f"{p.name} is blank"


def test_pack_shows_whats_new_over_a_changed_release(tmp_path, poppler, monkeypatch):
    area = load_area()
    out, ind, old, new = build_changed_release(tmp_path, area, CAT)
    monkeypatch.setenv("LIS_EXTRACT_DIR", str(out))
    store = Store.open(out, tmp_path / "store.duckdb")
    try:
        pdf = build_pack(store, WOKING, [ind.priorities[0]], since="2026-10-01",
                         feedback_url=f"sqlite://{tmp_path / 'fb.sqlite'}", full=True)
    finally:
        store.close()
    (tmp_path / "changed.pdf").write_bytes(pdf)
    text = _text(tmp_path / "changed.pdf")
    assert "What's new since 2026-10-01" in text
    assert f"2022: {old} → {new}" in text
    assert "New period: 2023" in text


@pytest.mark.parametrize("args, message", [
    (["--area", "E99999999"], "not one of the 14"),
    (["--area", WOKING, "--priority", "nonsense"], "--priority 'nonsense': not a priority"),
    (["--area", WOKING, "--since", "31/12/2025"], "--since"),
])
def test_pack_command_refuses_bad_input(args, message, tmp_path, capsys):
    assert main(["pack", *args, "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("command, module, builder, suffix", [
    ("pack", "lis_data.pack", "build_pack", ".pdf"),
    ("workbook", "lis_data.pack.workbook", "workbook_bytes", ".xlsx"),
    ("summary", "lis_data.pack.word_summary", "summary_docx", ".docx"),
])
@pytest.mark.parametrize("where, message", [
    ("missing/sub/out", "does not exist"),
    ("adir", "is a folder"),
    ("afile/out", "is not a folder"),
])
def test_file_commands_check_their_output_before_building(command, module, builder, suffix, where, message,
                                                          tmp_path, capsys, monkeypatch):
    """An output into a missing folder, onto a folder or under a file fails at once with a message
    naming it, before anything is built (issue 18: a traceback after the whole PDF was built); the
    workbook and the Word summary are written by the same check."""
    import importlib

    (tmp_path / f"adir{suffix}").mkdir()
    (tmp_path / "afile").write_text("x")

    def not_built(*args, **kwargs):
        raise AssertionError("the file was built before the output was checked")

    monkeypatch.setattr(importlib.import_module(module), builder, not_built)
    out = tmp_path / f"{where}{suffix}"
    assert main([command, "--area", WOKING, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"--out {out}" in err and message in err, err
    assert "Traceback" not in err
