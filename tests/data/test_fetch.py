"""`python -m lis_data fetch` against a local HTTP server serving the hand-made upstream files
(tests/fixtures/source-a) in the data repository's layout, `<dataset>/<dataset>.csv|.json`.

Every failure (a 500, a stalled connection, a truncated body, a changed schema, ...) must leave the
extract and the kept source folder byte-identical and name the file and the reason; a good fetch
builds the extract and prints the diff. The server binds 127.0.0.1 on a free port and is stopped by
each test; timeouts and pauses are kept small so that the whole file runs in seconds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from lis_data.cli import fetch as cli_fetch
from lis_data.cli import main
from lis_data.ingest.extract import build_extract
from lis_data.ingest.fetch import FetchError, check_base_url, load_settings, refresh
from lis_data.errors import ConfigError

SOURCE_A = Path(__file__).resolve().parents[1] / "fixtures" / "source-a"
CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json"}
STALL_LIMIT = 10.0  # seconds a stalled handler waits at most (the test releases it sooner)


class Upstream:
    """A threaded HTTP server on 127.0.0.1 serving the files under `root`, with faults by path:
    "500" (always), "500-once" (first request only), "stall" (accept, read the request, send
    nothing), "trickle" (a byte now and then, never done), "truncate" (Content-Length 100 bytes more than the body, then close), "html"
    (a text/html page), "no-type" (no Content-Type header)."""

    def __init__(self, root: Path):
        self.root = root
        self.faults: dict[str, str] = {}
        self.hits: Counter = Counter()
        self.release = threading.Event()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                path = unquote(self.path.split("?", 1)[0]).lstrip("/")
                upstream.hits[path] += 1
                fault = upstream.faults.get(path) if not self.path.endswith("?followed") else None
                if fault in ("trickle-status", "trickle-headers"):  # the answer's head, a byte every 50 ms
                    head = b"HTTP/1.1 200 OK\r\n" if fault == "trickle-status" else b""
                    if fault == "trickle-headers":
                        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n")
                    try:
                        for n in range(10 ** 9):
                            if upstream.release.wait(0.05):
                                break
                            self.wfile.write(head[n:n + 1] if n < len(head) else b"X-Slow: a\r\n"[n % 11:n % 11 + 1])
                    except OSError:
                        pass
                    self.close_connection = True
                    return
                if fault and fault.startswith("redirect-"):
                    host = self.server.server_address
                    target = {"redirect-ftp": f"ftp://{host[0]}:{host[1]}/{path}",
                              "redirect-https": f"https://{host[0]}:{host[1]}/{path}",
                              "redirect-same": f"/{path}?followed"}[fault]
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    self.close_connection = True
                    return
                if fault == "500" or (fault == "500-once" and upstream.hits[path] == 1):
                    self.send_error(500, "Internal Server Error")
                    return
                if fault == "trickle":  # a byte every 50 ms, for ever (until the client or the test leaves)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    self.send_header("Content-Length", "1000000")
                    self.end_headers()
                    try:
                        while not upstream.release.wait(0.05):
                            self.wfile.write(b"a")
                    except OSError:
                        pass
                    self.close_connection = True
                    return
                if fault == "stall":
                    upstream.release.wait(STALL_LIMIT)
                    self.close_connection = True
                    return
                file = (upstream.root / path).resolve()
                if upstream.root.resolve() not in file.parents or not file.is_file():
                    self.send_error(404, "Not Found")
                    return
                body = file.read_bytes()
                if fault == "html":
                    body = b"<!doctype html><title>Sign in</title><p>Sign in to continue.</p>"
                self.send_response(200)
                if fault == "html":
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                elif fault != "no-type":
                    self.send_header("Content-Type", CONTENT_TYPES[file.suffix])
                self.send_header("Content-Length", str(len(body) + (100 if fault == "truncate" else 0)))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root with its checksum: equal digests mean byte-identical folders."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(root).rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def world(tmp_path, source_a, area, fixture_catalogue):
    """The served upstream (a copy of source-a's ons-els), the current source folder (source-a,
    which also gives the geography), an extract built from it, and a kept source folder."""
    served = tmp_path / "served"
    shutil.copytree(SOURCE_A / "ons-els", served)
    extract = tmp_path / "extract"
    build_extract(source_a, extract, area, fixture_catalogue)
    kept = tmp_path / "kept-source"
    shutil.copytree(SOURCE_A, kept)
    with Upstream(served) as upstream:
        yield {"served": served, "source": source_a, "extract": extract, "kept": kept, "upstream": upstream,
               "catalogue": fixture_catalogue, "before": (tree_digest(extract), tree_digest(kept))}


def run_cli(world, monkeypatch, capsys, *extra: str, timeout: str = "3") -> tuple[int, str, str]:
    """`python -m lis_data fetch` in-process, with two attempts and a short pause, on the fixture
    catalogue (the command line reads the real one, whose 41 datasets source-a does not have).
    The timeout is short only where a test waits for it, so that a loaded machine stays green."""
    monkeypatch.setattr(cli_fetch, "load_catalogue", lambda: world["catalogue"])
    code = main(["fetch", "--base-url", world["upstream"].url, "--source", str(world["source"]),
                 "--output", str(world["extract"]), "--source-out", str(world["kept"]),
                 "--timeout", timeout, "--attempts", "2", "--backoff", "0.01", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_untouched(world):
    assert (tree_digest(world["extract"]), tree_digest(world["kept"])) == world["before"]
    leftovers = [p.name for p in world["kept"].parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [], "the staging folder was not removed"


@pytest.mark.parametrize(("fault", "timeout", "reason"), [
    ("500", "3", "HTTP 500 Internal Server Error (after 2 attempts)"),
    ("stall", "0.3", "no answer within 0.3 s (connection stalled) (after 2 attempts)"),
    ("truncate", "3", "truncated: received 597 of the 697 bytes its Content-Length declares (after 2 attempts)"),
])
def test_failed_download_changes_nothing_and_names_the_file(world, monkeypatch, capsys, fault, timeout, reason):
    world["upstream"].faults["claimant-count/claimant-count.csv"] = fault
    code, out, err = run_cli(world, monkeypatch, capsys, timeout=timeout)
    url = world["upstream"].url + "claimant-count/claimant-count.csv"
    assert code == 1
    assert f"error: claimant-count/claimant-count.csv ({url}): {reason}" in err
    assert "Nothing was changed" in err
    assert "Traceback" not in err + out
    assert world["upstream"].hits["claimant-count/claimant-count.csv"] == 2  # bounded retries
    assert_untouched(world)


def test_changed_schema_is_refused_without_retry(world, monkeypatch, capsys):
    csv_path = world["served"] / "claimant-count" / "claimant-count.csv"
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    # Drop the observation column (the 6th) from every line.
    csv_path.write_text("\ufeff" + "\n".join(",".join(v for i, v in enumerate(line.split(",")) if i != 5)
                                             for line in lines) + "\n", encoding="utf-8")
    code, out, err = run_cli(world, monkeypatch, capsys)
    assert code == 1
    assert "error: claimant-count/claimant-count.csv (" in err
    assert "schema changed: CSV header lacks the expected column(s) observation" in err
    assert "Traceback" not in err + out
    assert world["upstream"].hits["claimant-count/claimant-count.csv"] == 1  # a refusal is not retried
    assert_untouched(world)


def test_successful_fetch_builds_the_extract_and_prints_the_diff(world, monkeypatch, capsys):
    csv_path = world["served"] / "claimant-count" / "claimant-count.csv"
    text = csv_path.read_text(encoding="utf-8")
    assert text.count("2024-01-01/P1M,2.1,") == 1
    csv_path.write_text(text.replace("2024-01-01/P1M,2.1,", "2024-01-01/P1M,2.4,"), encoding="utf-8")
    old_manifest = json.loads((world["extract"] / "manifest.json").read_text(encoding="utf-8"))

    code, out, err = run_cli(world, monkeypatch, capsys)

    assert code == 0, err
    assert "Fetched 8 files" in out
    assert "Rows added: 0, rows gone: 0, values revised: 1" in out
    assert "revised: claimant-count E07000084 2024-01-01/P1M: figure '2.1' -> '2.4'" in out
    assert "Taken from the current source folder: 4 geography files." in out
    new_manifest = json.loads((world["extract"] / "manifest.json").read_text(encoding="utf-8"))
    sha = {d["dataset"]: d["csv_sha256"] for d in new_manifest["datasets"]}
    assert sha["claimant-count"] == hashlib.sha256(csv_path.read_bytes()).hexdigest()
    assert sha != {d["dataset"]: d["csv_sha256"] for d in old_manifest["datasets"]}
    # The kept source folder is now the fetched one, complete enough to build from again.
    kept = world["kept"]
    assert (kept / "ons-els" / "claimant-count" / "claimant-count.csv").read_bytes() == csv_path.read_bytes()
    assert (kept / "ons-geography" / "ltla.geojson").is_file()
    record = json.loads((kept / "fetch.json").read_text(encoding="utf-8"))
    assert {f["file"] for f in record["fetched"]} == {
        f"ons-els/{p.relative_to(world['served']).as_posix()}" for p in world["served"].rglob("*.*")}
    assert [p.name for p in kept.parent.iterdir() if p.name.startswith(".")] == []


def test_a_passing_failure_is_retried(world, monkeypatch, capsys):
    world["upstream"].faults["gdp-per-head/gdp-per-head.json"] = "500-once"
    code, out, err = run_cli(world, monkeypatch, capsys)
    assert code == 0, err
    assert "gdp-per-head/gdp-per-head.json: HTTP 500 Internal Server Error; trying again in 0.01 s" in out
    assert "gdp-per-head/gdp-per-head.json: 1226 bytes (2 attempts)" in out
    assert "No change against the previous extract." in out


@pytest.mark.parametrize(("path", "fault", "edit", "reason"), [
    ("claimant-count/claimant-count.csv", "html", None, "content type text/html is not one of"),
    ("claimant-count/claimant-count.csv", "no-type", None, "no Content-Type header"),
    ("claimant-count/claimant-count.json", None, lambda t: t[: len(t) // 2], "not valid JSON"),
    ("claimant-count/claimant-count.json", None, lambda t: t.replace('"ess-beta-metadata"', '"metadata"'),
     "no 'ess-beta-metadata' object"),
    ("gdp-per-head/gdp-per-head.json", None, lambda t: t.replace('"label"', '"name"'),
     "'ess-beta-metadata' entry 'Gross domestic product per head at current market price' lacks label"),
    ("claimant-count/claimant-count.csv", None, lambda t: t.splitlines()[0] + "\n", "no data rows"),
    ("claimant-count/claimant-count.csv", None, lambda t: t.replace("East Hampshire", "x" * 200_000, 1),
     "line 4: not readable as CSV: field larger than field limit"),
    ("claimant-count/claimant-count.json", None, lambda t: "[" * 100_000 + "]" * 100_000,
     "not usable JSON: nested too deeply"),
    ("personal-wellbeing-estimates/personal-wellbeing-estimates.csv", "404", None, "HTTP 404 Not Found"),
])
def test_refusals_name_the_file_and_reason(world, area, fixture_catalogue, path, fault, edit, reason):
    served = world["served"] / path
    if fault == "404":
        served.unlink()
    elif fault:
        world["upstream"].faults[path] = fault
    if edit:
        served.write_text(edit(served.read_text(encoding="utf-8-sig")), encoding="utf-8")
    settings = load_settings().with_overrides(base_url=world["upstream"].url, timeout_seconds=3,
                                              attempts=3, backoff_seconds=0)
    with pytest.raises(FetchError) as caught:
        refresh(settings=settings, source_dir=world["source"], out_dir=world["extract"], area=area,
                catalogue=fixture_catalogue, source_out=world["kept"], log=lambda line: None)
    assert caught.value.file == path
    assert caught.value.url == world["upstream"].url + path
    assert reason in caught.value.reason
    assert world["upstream"].hits[path] == 1
    assert_untouched(world)


def test_file_over_the_size_limit_is_refused(world, area, fixture_catalogue):
    settings = load_settings().with_overrides(base_url=world["upstream"].url, max_csv_bytes=500, backoff_seconds=0)
    with pytest.raises(FetchError, match=r"claimant-count/claimant-count.csv .*: is 597 bytes, more than the limit of 500"):
        refresh(settings=settings, source_dir=world["source"], out_dir=world["extract"], area=area,
                catalogue=fixture_catalogue, source_out=world["kept"], log=lambda line: None)
    assert_untouched(world)


def test_file_the_build_refuses_changes_nothing(world, area, fixture_catalogue):
    """A file that passes the download checks but fails the build's validation (a second row for the
    same area and period with another value) is named with its address, and nothing changes."""
    csv_path = world["served"] / "claimant-count" / "claimant-count.csv"
    text = csv_path.read_text(encoding="utf-8")
    csv_path.write_text(text + "E07000084,Basingstoke and Deane,Local Authority District,Claimant Count,"
                               "2024-01-01/P1M,9.9,Percentage,%,,,,\n", encoding="utf-8")
    settings = load_settings().with_overrides(base_url=world["upstream"].url, backoff_seconds=0)
    with pytest.raises(FetchError) as caught:
        refresh(settings=settings, source_dir=world["source"], out_dir=world["extract"], area=area,
                catalogue=fixture_catalogue, source_out=world["kept"], log=lambda line: None)
    assert caught.value.file == "claimant-count/claimant-count.csv"
    assert caught.value.url == world["upstream"].url + "claimant-count/claimant-count.csv"
    assert caught.value.reason.startswith("the build refused it: line 7: duplicate of line 2")
    assert_untouched(world)


def test_only_some_datasets_fetched_the_rest_from_the_source(world, area, fixture_catalogue):
    settings = load_settings().with_overrides(base_url=world["upstream"].url, backoff_seconds=0)
    result = refresh(settings=settings, source_dir=world["source"], out_dir=world["extract"], area=area,
                     catalogue=fixture_catalogue, datasets=["claimant-count"], log=lambda line: None)
    assert set(world["upstream"].hits) == {"claimant-count/claimant-count.csv", "claimant-count/claimant-count.json"}
    assert [f.file for f in result.fetched] == ["ons-els/claimant-count/claimant-count.csv",
                                               "ons-els/claimant-count/claimant-count.json"]
    assert "ons-els/gdp-per-head/gdp-per-head.csv" in result.copied
    assert result.build.diff.unchanged
    assert "The downloaded files were discarded" in "\n".join(result.lines())


def test_inputs_checked_before_any_download(world, area, fixture_catalogue, tmp_path):
    settings = load_settings().with_overrides(base_url=world["upstream"].url)
    common = dict(settings=settings, out_dir=world["extract"], area=area, catalogue=fixture_catalogue,
                  log=lambda line: None)
    with pytest.raises(FetchError, match="--dataset 'no-such-thing': not a dataset the catalogue reads"):
        refresh(source_dir=world["source"], datasets=["no-such-thing"], **common)
    with pytest.raises(FetchError, match="ONS data repository does not publish"):
        refresh(source_dir=tmp_path / "empty", **common)
    with pytest.raises(ConfigError, match="upstream files are not kept inside the repository"):
        refresh(source_dir=world["source"], source_out=Path(__file__).parent / "fetched", **common)
    assert not world["upstream"].hits
    for bad in ("ftp://example.org/", "https://user:pw@example.org/", "example.org/data", "https://x.org/?a=1"):
        with pytest.raises(ConfigError):
            check_base_url(bad)
    assert "pw" not in str(pytest.raises(ConfigError, check_base_url, "https://user:pw@example.org/").value)
    assert_untouched(world)


def test_default_base_url_is_the_ons_data_repository():
    assert load_settings().base_url == "https://raw.githubusercontent.com/ONSdigital/explore-local-statistics-data/main/"


def documented_fetch_commands() -> list[list[str]]:
    """Every `python -m lis_data fetch ...` command in README.md and deploy/refresh.yml (not the
    usage synopsis), as arguments, continuation lines joined and shell plumbing cut off."""
    import re
    import shlex

    from lis_data.paths import PROJECT_ROOT

    found = []
    for doc in (PROJECT_ROOT / "README.md", PROJECT_ROOT / "deploy" / "refresh.yml"):
        text = re.sub(r"\\\n\s*", " ", doc.read_text(encoding="utf-8"))
        for match in re.finditer(r"python3? -m lis_data (fetch[^\n`]*)", text):
            command = re.split(r"\s(?:&&|\||#)\s?", match.group(1))[0]
            if "[" not in command:
                found.append(shlex.split(command))
    return found


def test_documented_commands_parse():
    from lis_data.cli import build_parser

    commands = documented_fetch_commands()
    assert len(commands) >= 3  # by hand, the cron line, the workflow
    for args in commands:
        parsed = build_parser().parse_args(args)
        assert parsed.func is cli_fetch.cmd_fetch


def test_bad_settings_are_named(tmp_path, world, monkeypatch, capsys):
    broken = tmp_path / "fetch.toml"
    broken.write_text('base_url = "https://example.org/"\nattempt = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"fetch.toml: unknown setting\(s\) attempt"):
        load_settings(broken)
    broken.write_text('base_url = "https://example.org/"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"fetch.toml: missing setting\(s\) attempts, backoff_seconds"):
        load_settings(broken)
    world["upstream"].url = "file:///etc/"
    code, out, err = run_cli(world, monkeypatch, capsys)
    assert code == 1
    assert "error: base URL 'file:///etc/': must start with https:// (or http://)" in err
    assert "Traceback" not in err + out
    assert_untouched(world)


def test_a_file_that_never_ends_is_cut_off_at_the_deadline(world, area, fixture_catalogue):
    """Bytes that keep coming, each within the timeout, do not hold the fetch for ever."""
    world["upstream"].faults["claimant-count/claimant-count.csv"] = "trickle"
    settings = load_settings().with_overrides(base_url=world["upstream"].url, timeout_seconds=3,
                                              deadline_seconds=0.4, attempts=1)
    with pytest.raises(FetchError, match=r"claimant-count/claimant-count.csv .*: took longer than 0.4 s$"):
        refresh(settings=settings, source_dir=world["source"], out_dir=world["extract"], area=area,
                catalogue=fixture_catalogue, source_out=world["kept"], log=lambda line: None)
    assert_untouched(world)


@pytest.mark.parametrize("fault", ["trickle-status", "trickle-headers"])
def test_a_trickled_status_line_or_header_is_cut_off_at_the_deadline(world, area, fixture_catalogue, fault):
    """The deadline holds the whole exchange: a server that sends its status line or headers a byte
    at a time, each within the timeout, is cut off (it held the fetch until it was killed)."""
    world["upstream"].faults["claimant-count/claimant-count.csv"] = fault
    settings = load_settings().with_overrides(base_url=world["upstream"].url, timeout_seconds=3,
                                              deadline_seconds=0.5, attempts=1)
    outcome: dict = {}

    def run():
        try:
            refresh(settings=settings, source_dir=world["source"], out_dir=world["extract"], area=area,
                    catalogue=fixture_catalogue, source_out=world["kept"], log=lambda line: None)
        except Exception as exc:  # noqa: BLE001 -- inspected below
            outcome["error"] = exc
    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(15)
    elapsed = time.monotonic() - started
    assert not worker.is_alive(), "the fetch ignored its deadline"
    error = outcome.get("error")
    assert isinstance(error, FetchError), error
    assert error.file == "claimant-count/claimant-count.csv"
    assert error.reason == "took longer than 0.5 s"
    assert elapsed < 8
    assert_untouched(world)


@pytest.mark.parametrize(("fault", "scheme"), [("redirect-ftp", "ftp"), ("redirect-https", "https")])
def test_a_redirect_to_another_scheme_is_refused(world, area, fixture_catalogue, fault, scheme):
    world["upstream"].faults["claimant-count/claimant-count.csv"] = fault
    settings = load_settings().with_overrides(base_url=world["upstream"].url, timeout_seconds=3, attempts=2,
                                              backoff_seconds=0)
    with pytest.raises(FetchError) as caught:
        refresh(settings=settings, source_dir=world["source"], out_dir=world["extract"], area=area,
                catalogue=fixture_catalogue, source_out=world["kept"], log=lambda line: None)
    assert caught.value.file == "claimant-count/claimant-count.csv"
    assert f"from http:// to {scheme}://; only redirects to http:// are followed" in caught.value.reason
    assert world["upstream"].hits["claimant-count/claimant-count.csv"] == 1  # refused, not retried
    assert_untouched(world)


def test_a_redirect_to_the_same_scheme_is_followed(world, area, fixture_catalogue):
    world["upstream"].faults["claimant-count/claimant-count.csv"] = "redirect-same"
    settings = load_settings().with_overrides(base_url=world["upstream"].url, timeout_seconds=3, backoff_seconds=0)
    refresh(settings=settings, source_dir=world["source"], out_dir=world["extract"], area=area,
            catalogue=fixture_catalogue, source_out=world["kept"], log=lambda line: None)
    assert world["upstream"].hits["claimant-count/claimant-count.csv"] == 2


def test_the_opener_has_no_ftp_file_or_data_handler():
    from lis_data.ingest.fetch import make_opener

    assert set(make_opener().handle_open) == {"http", "https", "unknown"}
