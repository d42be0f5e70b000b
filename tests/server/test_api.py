"""The data API (/api/v1/figures.csv, /api/v1/profile.csv) against a running `streamlit run app.py`,
with a real HTTP client: the same CSV as the command line, and 400 with a reason for bad input."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from lis_data.cli import main
from scripts.serving import ROOT, app_server

WOKING = "E07000217"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """`streamlit run app.py` on a free loopback port with its own stores (scripts/serving.py)."""
    tmp = tmp_path_factory.mktemp("api")
    with app_server(store_dir=tmp, env={"LIS_FEEDBACK_URL": f"sqlite:///{tmp / 'feedback.sqlite'}"},
                    ready_path=None) as server:
        yield server["url"]


def _get(url: str, method: str = "GET"):
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8")


def _cli(args, capsys) -> str:
    assert main(args) == 0
    return capsys.readouterr().out


def test_figures_are_what_export_prints(api, capsys):
    status, headers, body = _get(f"{api}/api/v1/figures.csv?area={WOKING},E92000001&dataset=claimant-count")
    assert status == 200, body
    assert headers["Content-Type"].startswith("text/csv")
    assert body == _cli(["export", "--area", WOKING, "E92000001", "--dataset", "claimant-count"], capsys)
    assert body.count("\n") > 10


def test_profile_is_what_the_profile_command_prints(api, capsys):
    status, _, body = _get(f"{api}/api/v1/profile.csv?area={WOKING}&benchmark=region")
    assert status == 200, body
    assert body == _cli(["profile", "--area", WOKING, "--benchmark", "region"], capsys)


@pytest.mark.parametrize("query, reason", [
    ("figures.csv?area=nonsense", "area 'NONSENSE': not a GSS code"),
    ("figures.csv?area=E07999999", "area E07999999: no figures for this area code"),
    ("figures.csv?dataset=../../etc/passwd", "not a dataset name"),
    ("figures.csv?dataset=no-such-thing", "dataset no-such-thing: no such dataset"),
    ("figures.csv?table=feedback", "unknown parameter 'table'"),
    ("figures.csv", "more than the limit of 50000"),
    ("figures.csv?area=" + ",".join([WOKING] * 51), "more than 50 values"),
    ("profile.csv", "area: give exactly one district code"),
    ("profile.csv?area=E92000001", "not an English district code"),
    ("profile.csv?area=" + WOKING + "&benchmark=world", "benchmark: choose one of"),
    ("profile.csv?area=%3Cscript%3E", "not a GSS code"),
])
def test_bad_parameters_are_400_with_a_reason(api, query, reason):
    status, headers, body = _get(f"{api}/api/v1/{query}")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert reason in body and "Traceback" not in body and str(ROOT) not in body


def test_read_only_and_no_feedback(api):
    status, _, _ = _get(f"{api}/api/v1/figures.csv?area={WOKING}", method="POST")
    assert status == 405
    status, _, body = _get(f"{api}/api/v1/feedback.csv")
    assert status == 404 and "comment" not in body


def test_index_names_every_endpoint_and_its_parameters(api):
    import json

    for path in ("/api/v1/", "/api/v1"):
        status, headers, body = _get(f"{api}{path}")
        assert status == 200 and headers["Content-Type"].startswith("application/json"), (path, status)
        index = json.loads(body)
        by_path = {e["path"]: e for e in index["endpoints"]}
        assert set(by_path["/api/v1/figures.csv"]["parameters"]) == {"area", "dataset"}
        assert set(by_path["/api/v1/profile.csv"]["parameters"]) == {"area", "benchmark"}
        # Each example in the index answers.
        for e in index["endpoints"]:
            if "example" in e:
                assert _get(f"{api}{e['example']}")[0] == 200, e["example"]


@pytest.mark.parametrize("path", ["/api/v1/nothing.csv", "/api/v2/figures.csv", "/api/", "/api",
                                  "/api/v1/figures.csv/extra"])
def test_unknown_api_paths_are_404_not_the_app(api, path):
    status, headers, body = _get(f"{api}{path}")
    assert status == 404, (path, status)
    assert "<html" not in body.lower() and headers["Content-Type"].startswith("text/plain")


def test_csv_has_no_comment_line_and_says_source_licence_and_iso_period(api):
    import csv
    import io
    import re

    for query in (f"figures.csv?area={WOKING}&dataset=claimant-count", f"profile.csv?area={WOKING}"):
        status, _, body = _get(f"{api}/api/v1/{query}")
        assert status == 200
        assert not any(line.startswith("#") for line in body.splitlines())
        rows = list(csv.DictReader(io.StringIO(body)))
        assert rows and list(rows[0])[-2:] == ["source", "licence"]
        assert all(r["licence"] == "Open Government Licence v3.0" and r["source"] for r in rows)
    figures = list(csv.DictReader(io.StringIO(_get(f"{api}/api/v1/figures.csv?area={WOKING}&dataset=claimant-count")[2])))
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}/P\w+", r["period"]) and r["period_label"] for r in figures)
