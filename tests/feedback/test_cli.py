"""`feedback export` / `feedback count` on the command line."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lis_data.cli import feedback as cli_feedback
from lis_data.feedback import open_store

from .conftest import submission

ROOT = Path(__file__).resolve().parents[2]


def _main_wires_feedback() -> bool:
    main = ROOT / "lis_data" / "__main__.py"
    cli = ROOT / "lis_data" / "cli" / "__init__.py"
    return main.exists() and any(
        p.exists() and "cli_feedback" in p.read_text(encoding="utf-8") for p in (main, cli)
    )


def run_cli(argv: list[str]) -> tuple[int, bytes, str]:
    """Run `lis_data <argv>`: via `python -m lis_data` when it wires the
    feedback commands, else through a parser built here."""
    if _main_wires_feedback():
        proc = subprocess.run([sys.executable, "-m", "lis_data", *argv], cwd=ROOT, capture_output=True, timeout=60)
        return proc.returncode, proc.stdout, proc.stderr.decode()
    proc = subprocess.run(
        [sys.executable, "-m", "lis_data.cli.feedback", *argv], cwd=ROOT, capture_output=True, timeout=60
    )
    return proc.returncode, proc.stdout, proc.stderr.decode()


@pytest.fixture
def run_here(capfdbinary):
    """Run `lis_data <argv>` in this process (faster than a subprocess): (code, stdout, stderr)."""

    def run(argv: list[str]) -> tuple[int, bytes, str]:
        code = cli_feedback.main(argv)
        out, err = capfdbinary.readouterr()
        return code, out, err.decode()

    return run


@pytest.fixture
def filled_url(store_url):
    store = open_store(store_url)
    subs = [submission(i) for i in range(4)]
    for s in subs:
        store.append(s)
    store.close()
    return store_url, subs


def test_export_csv_to_stdout(filled_url):
    url, subs = filled_url
    code, out, err = run_cli(["feedback", "export", "--url", url])
    assert code == 0, err
    df = pd.read_csv(io.BytesIO(out), dtype=str, keep_default_na=False)
    assert list(df["submission_key"]) == [s.submission_key for s in subs]
    assert list(df["comment"]) == [s.comment for s in subs]


def test_export_one_workshop(filled_url):
    url, subs = filled_url  # odd-numbered submissions carry the workshop code GUILDFORD-2026-12-03
    code, out, err = run_cli(["feedback", "export", "--url", url, "--workshop", "guildford-2026-12-03"])
    assert code == 0, err
    df = pd.read_csv(io.BytesIO(out), dtype=str, keep_default_na=False)
    expected = [s.submission_key for s in subs if s.workshop_code == "GUILDFORD-2026-12-03"]
    assert expected and list(df["submission_key"]) == expected


def test_export_parquet_to_file(filled_url, tmp_path):
    url, subs = filled_url
    out = tmp_path / "feedback.parquet"
    code, _, err = run_cli(["feedback", "export", "--format", "parquet", "--url", url, "--output", str(out)])
    assert code == 0, err
    assert len(pd.read_parquet(out)) == len(subs)


def test_count(filled_url):
    url, subs = filled_url
    code, out, err = run_cli(["feedback", "count", "--url", url])
    assert code == 0, err
    assert out.decode().strip().splitlines()[-1].split() == ["total", str(len(subs))]


def test_bad_since_exits_2_naming_argument(capsys):
    parser = argparse.ArgumentParser(prog="lis_data")
    cli_feedback.register(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit) as info:
        parser.parse_args(["feedback", "export", "--since", "2024-13-45"])
    assert info.value.code == 2
    assert "--since" in capsys.readouterr().err


def test_register_sets_func():
    parser = argparse.ArgumentParser(prog="lis_data")
    cli_feedback.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["feedback", "export", "--since", "2025-01-31", "--format", "parquet"])
    assert args.func is cli_feedback.cmd_export
    assert str(args.since) == "2025-01-31"
    assert parser.parse_args(["feedback", "count"]).func is cli_feedback.cmd_count


def test_unavailable_store_exit_1():
    code, _, err = run_cli(["feedback", "count", "--url", "postgresql://127.0.0.1:1/none"])
    assert code == 1 and "unavailable" in err


def test_export_csv_has_bom_unless_no_bom(filled_url, run_here):
    url, subs = filled_url
    code, out, err = run_here(["feedback", "export", "--url", url])
    assert code == 0 and out.startswith(b"\xef\xbb\xbfid,"), err
    code, out, err = run_here(["feedback", "export", "--url", url, "--no-bom"])
    assert code == 0 and out.startswith(b"id,"), err


def test_export_into_missing_folder_is_a_clear_error(filled_url, tmp_path, run_here):
    url, _ = filled_url
    target = tmp_path / "no-such-folder" / "out.csv"
    code, out, err = run_here(["feedback", "export", "--url", url, "--output", str(target)])
    assert code != 0 and out == b""
    assert str(target) in err and "does not exist" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, _, err = run_here(["feedback", "export", "--url", url, "--output", str(tmp_path)])
    assert code != 0 and "folder" in err and "Traceback" not in err


def test_erase_from_the_command_line(store_url, run_here):
    with open_store(store_url) as store:
        receipt = store.append(submission(0, name="Ann Example", email="ann@example.org", consent=True))
        other = store.append(submission(1))
    code, out, err = run_here(["feedback", "erase", receipt.reference, "--scope", "personal", "--actor", "Sam Staff",
                              "--reason", "asked by email", "--url", store_url])
    assert code == 0, err
    assert receipt.reference in out.decode()
    code, out, err = run_here(["feedback", "export", "--url", store_url])
    assert b"ann@example.org" not in out and b"Ann Example" not in out
    code, _, err = run_here(["feedback", "erase", other.reference, "--scope", "all", "--actor", "Sam Staff",
                            "--url", store_url])
    assert code == 0, err
    code, _, err = run_here(["feedback", "erase", other.reference, "--scope", "all", "--actor", "Sam Staff",
                            "--url", store_url])
    assert code == 1 and other.reference in err and "Traceback" not in err
    with open_store(store_url) as store:
        assert list(store.erasures()["scope"]) == ["all", "personal"]
        assert len(store.list(include_hidden=True)) == 1


def test_erase_needs_scope_and_actor(capsys):
    parser = argparse.ArgumentParser(prog="lis_data")
    cli_feedback.register(parser.add_subparsers(dest="command"))
    for argv in (["feedback", "erase", "SB-000000", "--actor", "x"], ["feedback", "erase", "SB-000000", "--scope", "all"],
                 ["feedback", "erase", "SB-000000", "--scope", "some", "--actor", "x"]):
        with pytest.raises(SystemExit) as info:
            parser.parse_args(argv)
        assert info.value.code == 2


def test_unavailable_store_message_is_redacted(run_here):
    code, _, err = run_here(["feedback", "export", "--url",
                            "postgresql://u:s3cret@127.0.0.1:1/none?sslpassword=s3cret&passfile=/s3cret"])
    assert code == 1 and "s3cret" not in err and "Traceback" not in err


def _stored(url: str) -> pd.DataFrame:
    store = open_store(url)
    try:
        return pd.read_csv(io.BytesIO(store.export("csv")), dtype=str, keep_default_na=False)
    finally:
        store.close()


def test_submit_records_a_paper_comment_once_per_key(store_url, run_here):
    """`feedback submit` goes through the submission service: checked, stored once per key, the
    reference printed; places in any case are stored in the area's spelling."""
    open_store(store_url).close()
    argv = ["feedback", "submit", "--url", store_url, "--priority", "workforce", "--respondent-type", "business",
            "--comment", "Apprenticeship levy underspent in Rushmoor", "--place", "rushmoor",
            "--place", "Farnborough", "--workshop", "guildford-2026-12-03", "--key", "paper-form-0001"]
    code, out, err = run_here(argv)
    assert code == 0, err
    reference = out.decode().strip().rsplit(" ", 1)[-1]
    assert reference.startswith("SB-")
    code, out, err = run_here(argv)
    assert code == 0, err
    assert f"stored before under this key, as {reference}" in out.decode()
    rows = _stored(store_url)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["reference"], row["priority"], row["respondent_type"]) == (reference, "workforce", "business")
    assert '"Rushmoor"' in row["places"] and '"Farnborough"' in row["places"]
    assert row["workshop_code"] == "GUILDFORD-2026-12-03"


def test_submit_reads_the_comment_from_standard_input(store_url, run_here, monkeypatch):
    open_store(store_url).close()
    monkeypatch.setattr("sys.stdin", io.StringIO("Typed from an emailed response, over two lines.\nSecond line."))
    code, out, err = run_here(["feedback", "submit", "--url", store_url, "--priority", "housing",
                               "--respondent-type", "resident", "--comment", "-"])
    assert code == 0, err
    assert list(_stored(store_url)["comment"]) == ["Typed from an emailed response, over two lines.\nSecond line."]


def test_submit_names_every_bad_option_and_stores_nothing(store_url, run_here):
    open_store(store_url).close()
    code, out, err = run_here(["feedback", "submit", "--url", store_url, "--priority", "tourism",
                               "--respondent-type", "other", "--comment", "too short", "--place", "Atlantis",
                               "--name", "Ann", "--key", "k"])
    assert code == 2 and not out
    lines = err.strip().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == ["--priority", "--place", "--comment", "--key",
                                                               "--consent"], err
    assert "'Atlantis'" in err and "'tourism'" in err
    assert len(_stored(store_url)) == 0


def test_submit_to_a_missing_store_is_exit_1_and_creates_nothing(tmp_path, run_here):
    missing = tmp_path / "none.sqlite"
    code, out, err = run_here(["feedback", "submit", "--url", f"sqlite:///{missing}", "--priority", "housing",
                               "--respondent-type", "resident", "--comment", "A comment long enough to keep."])
    assert code == 1 and "feedback init" in err
    assert not missing.exists()
