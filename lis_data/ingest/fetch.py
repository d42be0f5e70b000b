"""Refresh from the ONS: `python -m lis_data fetch`.

Downloads the datasets the catalogue reads (`<dataset>/<dataset>.csv` and `.json`) from the ONS
"Explore local statistics" data repository into a staging folder, checking every answer on the
way (status, content type, declared length against the bytes received, a size limit, a CSV header
with the expected columns, JSON that parses and holds the metadata the build reads). Failures that
may pass (timeouts, dropped connections, HTTP 429 and 5xx, truncated bodies) are retried a bounded
number of times with a growing pause; the others stop the fetch at once.

The staging folder is then completed from the current upstream folder (its `ons-geography/`, which
the data repository does not publish, and any dataset not fetched) and handed to the ordinary
build (`lis_data.ingest.extract.build_extract`), with its validation and its diff against the previous
extract. Only a build that succeeds replaces the extract, and only then does the staging folder
replace `--source-out` (when given). Anything that fails leaves the extract and the source folder
as they were and raises FetchError naming the file and the reason.

Settings (base address, timeouts, limits, accepted content types) are data: config/fetch.toml.
"""

from __future__ import annotations

import contextvars
import csv
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib import error, parse, request

from lis_data import __version__
from lis_data.config import AreaConfig, Catalogue
from lis_data.errors import ConfigError, LisDataError, SourceError
from lis_data.paths import CONFIG_DIR, PROJECT_ROOT
from lis_data.ingest.upstream import OLDER_COLUMNS, REQUIRED

SETTINGS_FILE = CONFIG_DIR / "fetch.toml"
FETCH_RECORD = "fetch.json"  # written into a kept source folder: what came from where
DATASET_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
CHUNK = 1 << 16

if TYPE_CHECKING:
    from lis_data.ingest.extract import BuildResult


class FetchError(LisDataError):
    """A file could not be fetched, or failed its checks. Names the file and the reason.

    ``extract_replaced`` is true only for the one failure that can follow a successful build
    (the downloaded files could not be moved to --source-out).
    """

    def __init__(self, file: str, reason: str, url: str | None = None, extract_replaced: bool = False):
        self.file, self.reason, self.url = file, reason, url
        self.extract_replaced = extract_replaced
        where = f"{file} ({url})" if url else file
        super().__init__(f"{where}: {reason}")


class _Retry(Exception):
    """A failure that may pass: try again."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Refuse(Exception):
    """A failure that another attempt will not mend."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FetchSettings:
    """The values of config/fetch.toml (every one is documented there)."""

    base_url: str
    timeout_seconds: float
    deadline_seconds: float
    attempts: int
    backoff_seconds: float
    max_csv_bytes: int
    max_json_bytes: int
    csv_content_types: tuple[str, ...]
    json_content_types: tuple[str, ...]
    json_metadata_key: str
    json_metadata_fields: tuple[str, ...]

    def with_overrides(self, **values) -> "FetchSettings":
        """A copy with every value that is not None replaced, checked."""
        out = replace(self, **{k: v for k, v in values.items() if v is not None})
        out.check()
        return out

    def check(self) -> None:
        check_base_url(self.base_url)
        for name in ("timeout_seconds", "deadline_seconds"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"fetch setting {name}: must be more than 0")
        if self.backoff_seconds < 0:
            raise ConfigError("fetch setting backoff_seconds: must not be negative")
        if not 1 <= self.attempts <= 10:
            raise ConfigError("fetch setting attempts: must be between 1 and 10")
        if self.max_csv_bytes < 1 or self.max_json_bytes < 1:
            raise ConfigError("fetch setting max_csv_bytes / max_json_bytes: must be positive")


def load_settings(path: Path | None = None) -> FetchSettings:
    path = Path(path or SETTINGS_FILE)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    known = set(FetchSettings.__dataclass_fields__)
    unknown, missing = sorted(set(raw) - known), sorted(known - set(raw))
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    if missing:
        raise ConfigError(f"{path}: missing setting(s) {', '.join(missing)}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
    try:
        settings = FetchSettings(**values)
    except TypeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    settings.check()
    return settings


def check_base_url(url: str) -> str:
    """The base address with a trailing slash, or ConfigError saying what is wrong with it."""
    if not isinstance(url, str) or not url:
        raise ConfigError("base URL: empty")
    parts = parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"base URL {url!r}: must start with https:// (or http://)")
    if not parts.hostname:
        raise ConfigError(f"base URL {url!r}: no host")
    if parts.username or parts.password:
        raise ConfigError("base URL: credentials in the address are not supported")
    if parts.query or parts.fragment:
        raise ConfigError(f"base URL {url!r}: must not have a query or a fragment")
    return url if url.endswith("/") else url + "/"


def dataset_files(dataset: str) -> tuple[str, str]:
    """The data repository's paths of a dataset's CSV and JSON, the layout of ons-els/."""
    if not DATASET_NAME.match(dataset):
        raise ConfigError(f"dataset name {dataset!r}: only lower-case letters, digits and hyphens")
    return f"{dataset}/{dataset}.csv", f"{dataset}/{dataset}.json"


# --------------------------------------------------------------------------
# One file over HTTP
# --------------------------------------------------------------------------

class _SameSchemeRedirect(request.HTTPRedirectHandler):
    """Follow redirects only to http(s) addresses of the scheme asked for: never from https to plain
    http, and never to ftp:// or any other scheme (urllib's own handler follows ftp://)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old_scheme = parse.urlsplit(req.full_url).scheme.lower()
        new_scheme = parse.urlsplit(newurl).scheme.lower()
        if new_scheme != old_scheme or new_scheme not in ("http", "https"):
            shown = new_scheme + "://" if new_scheme else "a relative address without a scheme"
            raise _Refuse(f"redirected ({code}) from {old_scheme}:// to {shown}; only redirects to "
                          f"{old_scheme}:// are followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# The deadline of the exchange under way in this thread (one file, one attempt): connections opened
# for it, the redirects' included, are registered with it and shut down when it passes.
_DEADLINE: contextvars.ContextVar["_Deadline | None"] = contextvars.ContextVar("fetch_deadline", default=None)


class _Deadline:
    """A time limit on a whole HTTP exchange: connecting, the status line, the headers and the body.

    The socket's own timeout only bounds each wait for bytes, so a server that sends one byte of
    its status line or headers every few seconds would hold the fetch for ever. A timer shuts
    down every socket of the exchange when the deadline passes; the read under way then fails,
    and the caller reports the deadline (`expired`) rather than the broken connection."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Deadline":
        self._token = _DEADLINE.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _DEADLINE.reset(self._token)

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if not self.expired:
                return
        self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _connect(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):  # noqa: SLF001
    """socket.create_connection within the current deadline, the socket registered with it."""
    deadline = _DEADLINE.get()
    if deadline is not None:
        left = deadline.remaining()
        if left <= 0:
            raise TimeoutError("deadline passed before connecting")
        if not isinstance(timeout, (int, float)) or timeout > left:
            timeout = left
    sock = socket.create_connection(address, timeout, source_address, **kwargs)
    if deadline is not None:
        deadline.track(sock)
    return sock


class _DeadlineHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _DeadlineHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect  # the raw socket under TLS: shutting it ends TLS reads too


class _DeadlineHTTPHandler(request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_DeadlineHTTPConnection, req)


class _DeadlineHTTPSHandler(request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_DeadlineHTTPSConnection, req, context=self._context,
                            check_hostname=self._check_hostname)


def make_opener() -> request.OpenerDirector:
    """http and https only (no ftp:, file: or data: handlers), redirects to the same scheme only, and
    every connection held to the deadline of the exchange (_Deadline)."""
    opener = request.OpenerDirector()
    for handler in (request.ProxyHandler(), request.UnknownHandler(), _DeadlineHTTPHandler(),
                    _DeadlineHTTPSHandler(), request.HTTPDefaultErrorHandler(), _SameSchemeRedirect(),
                    request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _get(url: str, kind: str, settings: FetchSettings, opener: request.OpenerDirector) -> tuple[bytes, dict]:
    """One attempt, held to the deadline from connecting to the last byte (_Deadline): the body and
    the headers worth recording, or _Retry / _Refuse."""
    late = f"took longer than {settings.deadline_seconds:g} s"
    with _Deadline(settings.deadline_seconds) as deadline:
        try:
            return _exchange(url, kind, settings, opener)
        except _Refuse:
            if deadline.expired:  # a broken read of a connection the deadline shut down
                raise _Retry(late) from None
            raise
        except _Retry as exc:
            raise _Retry(late if deadline.expired else exc.reason) from None
        except Exception:
            if deadline.expired:
                raise _Retry(late) from None
            raise


def _exchange(url: str, kind: str, settings: FetchSettings, opener: request.OpenerDirector) -> tuple[bytes, dict]:
    limit = settings.max_csv_bytes if kind == "csv" else settings.max_json_bytes
    accepted = settings.csv_content_types if kind == "csv" else settings.json_content_types
    timeout = settings.timeout_seconds
    req = request.Request(url, headers={
        "User-Agent": f"lis_data/{__version__} (EM3 LIS dashboard refresh)",
        "Accept": ", ".join(accepted),
        "Accept-Encoding": "identity",
    })
    started = time.monotonic()
    try:
        resp = opener.open(req, timeout=timeout)
    except error.HTTPError as exc:
        code, reason = exc.code, exc.reason
        exc.close()
        if code == 429 or code >= 500:
            raise _Retry(f"HTTP {code} {reason}") from None
        raise _Refuse(f"HTTP {code} {reason}") from None
    except error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _Retry(f"no connection within {timeout:g} s") from None
        raise _Retry(f"could not connect: {exc.reason}") from None
    except TimeoutError:
        raise _Retry(f"no answer within {timeout:g} s (connection stalled)") from None
    except (http.client.HTTPException, OSError) as exc:
        raise _Retry(f"connection failed: {exc.__class__.__name__} {exc}".strip()) from None
    with resp:
        if resp.status != 200:
            raise _Refuse(f"HTTP {resp.status} {resp.reason}: expected 200")
        headers = resp.headers
        media = _media_type(headers.get("Content-Type"))
        if not media:
            raise _Refuse("no Content-Type header")
        if media not in accepted:
            raise _Refuse(f"content type {media} is not one of {', '.join(accepted)}")
        encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding != "identity":
            raise _Refuse(f"content encoding {encoding} was not asked for")
        declared = headers.get("Content-Length")
        expected = None
        if declared is not None:
            if not declared.strip().isdigit():
                raise _Refuse(f"Content-Length {declared!r} is not a number")
            expected = int(declared)
            if expected > limit:
                raise _Refuse(f"is {expected} bytes, more than the limit of {limit}")
        buf = bytearray()
        while True:
            if time.monotonic() - started > settings.deadline_seconds:
                raise _Retry(f"took longer than {settings.deadline_seconds:g} s")
            try:
                chunk = resp.read1(CHUNK)  # what one receive brings: the deadline is checked between
            except TimeoutError:
                raise _Retry(f"stalled: no bytes for {timeout:g} s after {len(buf)} bytes") from None
            except (http.client.HTTPException, OSError) as exc:
                raise _Retry(f"connection dropped after {len(buf)} bytes: {exc.__class__.__name__}") from None
            if not chunk:
                break
            buf += chunk
            if len(buf) > limit:
                raise _Refuse(f"more than the limit of {limit} bytes")
        if expected is not None and len(buf) != expected:
            raise _Retry(f"truncated: received {len(buf)} of the {expected} bytes its Content-Length declares")
        if not buf:
            raise _Refuse("empty answer")
        record = {k: headers.get(v) for k, v in (("last_modified", "Last-Modified"), ("etag", "ETag"))
                  if headers.get(v)}
        return bytes(buf), record


def check_csv(data: bytes) -> None:
    """The body is UTF-8 CSV whose header names every column the build reads (either schema generation)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Refuse(f"not UTF-8 text (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise _Refuse("empty file: no header row") from None
    except csv.Error as exc:
        raise _Refuse(f"CSV header cannot be read: {exc}") from None
    names = [OLDER_COLUMNS.get(h.strip(), h.strip()) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        shown = ", ".join(h.strip() for h in header)[:300]
        raise _Refuse(f"schema changed: CSV header lacks the expected column(s) {', '.join(missing)} "
                      f"(header: {shown})")
    if len(set(names)) != len(names):
        raise _Refuse("schema changed: a column name appears twice in the CSV header")
    rows = 0
    try:  # the whole file parses as CSV (the build then checks every row's fields and values)
        for row in reader:
            rows += 1 if row else 0
    except csv.Error as exc:
        raise _Refuse(f"line {reader.line_num}: not readable as CSV: {exc}") from None
    if not rows:
        raise _Refuse("no data rows after the CSV header")


def check_json(data: bytes, settings: FetchSettings) -> None:
    """The body is a JSON object holding the metadata section and fields the build reads."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _Refuse(f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise _Refuse(f"not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except RecursionError:
        raise _Refuse("not usable JSON: nested too deeply") from None
    key = settings.json_metadata_key
    if not isinstance(raw, dict):
        raise _Refuse("not a JSON object")
    meta = raw.get(key)
    if not isinstance(meta, dict):
        raise _Refuse(f"no {key!r} object")
    shared = meta.get("shared") if isinstance(meta.get("shared"), dict) else {}
    entries = {k: v for k, v in meta.items() if k != "shared" and isinstance(v, dict)}
    if not entries:  # a single-indicator file keeps its fields at the top level
        entries = {"": {k: v for k, v in meta.items() if not isinstance(v, dict)}}
    for name, fields in entries.items():
        merged = {**shared, **fields}
        lacking = [f for f in settings.json_metadata_fields if merged.get(f) in (None, "")]
        if lacking:
            where = f"{key!r} entry {name!r}" if name else repr(key)
            raise _Refuse(f"{where} lacks {', '.join(lacking)}")


@dataclass
class FetchedFile:
    file: str  # relative to the source folder: ons-els/<dataset>/<dataset>.csv
    url: str
    size: int
    sha256: str
    attempts: int
    headers: dict = field(default_factory=dict)


def fetch_file(url: str, rel: str, kind: str, dest: Path, settings: FetchSettings,
               opener: request.OpenerDirector, log: Callable[[str], None] = print,
               sleep: Callable[[float], None] = time.sleep) -> FetchedFile:
    """Download one file with bounded retries, check it and write it to dest."""
    name = rel.removeprefix("ons-els/")
    delay = settings.backoff_seconds
    last = ""
    for attempt in range(1, settings.attempts + 1):
        try:
            data, headers = _get(url, kind, settings, opener)
            if kind == "csv":
                check_csv(data)
            else:
                check_json(data, settings)
        except _Refuse as exc:
            raise FetchError(name, exc.reason, url) from None
        except _Retry as exc:
            last = exc.reason
            if attempt < settings.attempts:
                log(f"  {name}: {last}; trying again in {delay:g} s")
                sleep(delay)
                delay *= 2
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        return FetchedFile(rel, url, len(data), hashlib.sha256(data).hexdigest(), attempt, headers)
    tries = f" (after {settings.attempts} attempts)" if settings.attempts > 1 else ""
    raise FetchError(name, last + tries, url)


# --------------------------------------------------------------------------
# The refresh: fetch, complete, build, swap
# --------------------------------------------------------------------------

@dataclass
class RefreshResult:
    fetched: list[FetchedFile]
    copied: list[str]  # files taken from the current source folder
    build: BuildResult
    source_out: Path | None
    base_url: str

    def lines(self) -> list[str]:
        total = sum(f.size for f in self.fetched)
        retried = sum(1 for f in self.fetched if f.attempts > 1)
        out = [f"Fetched {len(self.fetched)} files ({total / 1e6:.1f} MB) from {self.base_url}"
               + (f"; {retried} needed more than one attempt." if retried else ".")]
        if self.copied:
            datasets = sorted({c.split("/")[1] for c in self.copied if c.startswith("ons-els/")})
            geo = sum(1 for c in self.copied if c.startswith("ons-geography/"))
            out.append(f"Taken from the current source folder: {geo} geography files"
                       + (f" and {len(datasets)} datasets not fetched ({', '.join(datasets)})" if datasets else "")
                       + ".")
        out.extend(self.build.lines())
        if self.source_out is not None:
            out.append(f"The fetched upstream folder is now {self.source_out} ({FETCH_RECORD} says what came from where).")
        else:
            out.append("The downloaded files were discarded (give --source-out DIR to keep them).")
        out.append("Review the changes above (and `git diff --stat data/extract`) before committing the extract.")
        return out


def _copy_tree(src: Path, dst: Path, rel_root: Path, copied: list[str]) -> None:
    """Copy the files of src under dst as plain writable files (the source may be read-only)."""
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(target.relative_to(rel_root).as_posix())


def _check_source_out(source_out: Path) -> Path:
    source_out = Path(source_out).resolve()
    if source_out == PROJECT_ROOT or PROJECT_ROOT in source_out.parents:
        raise ConfigError(f"--source-out {source_out}: upstream files are not kept inside the repository; "
                          "choose a folder outside it")
    if source_out.exists() and not source_out.is_dir():
        raise ConfigError(f"--source-out {source_out}: exists and is not a folder")
    return source_out


def _swap_in(staging: Path, dest: Path) -> None:
    """Put staging where dest is, keeping the old dest until the rename succeeded."""
    backup = None
    if dest.exists():
        backup = dest.with_name(f".{dest.name}.previous-{os.getpid()}")
        shutil.rmtree(backup, ignore_errors=True)
        dest.rename(backup)
    try:
        staging.rename(dest)
    except BaseException:
        if backup is not None:
            backup.rename(dest)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def refresh(*, settings: FetchSettings, source_dir: Path, out_dir: Path, area: AreaConfig,
            catalogue: Catalogue, datasets: list[str] | None = None, source_out: Path | None = None,
            log: Callable[[str], None] = print, opener: request.OpenerDirector | None = None,
            sleep: Callable[[float], None] = time.sleep) -> RefreshResult:
    """Fetch `datasets` (default: every dataset the catalogue reads), build, and only then replace
    the extract in out_dir (and source_out, when given). Raises FetchError or another
    LisDataError, leaving both untouched, when anything fails."""
    from lis_data.ingest.extract import build_extract

    base_url = check_base_url(settings.base_url)
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    wanted = list(catalogue.datasets)
    chosen = list(dict.fromkeys(datasets)) if datasets else wanted
    for name in chosen:
        if name not in wanted:
            raise FetchError(f"--dataset {name!r}", "not a dataset the catalogue reads "
                             "(lis_data/config/catalogue.toml)")
    for name in wanted:
        dataset_files(name)
    if source_out is not None:
        source_out = _check_source_out(source_out)
    not_fetched = [d for d in wanted if d not in chosen]
    # What the build needs that the fetch does not bring: checked before any download.
    needed = [source_dir / "ons-els" / d / f for d in not_fetched for f in (f"{d}.csv", f"{d}.json")]
    for path in needed:
        if not path.is_file():
            raise FetchError(str(path), "not found in the current source folder, and not fetched "
                             "(fetch every dataset, or give --source DIR)")
    if not (source_dir / "ons-geography" / "ltla.geojson").is_file():
        raise FetchError(str(source_dir / "ons-geography"),
                         "the build needs the boundaries and similar areas (ons-geography/), which the "
                         "ONS data repository does not publish; give the current upstream folder with --source DIR")

    parent = source_out.parent if source_out is not None else None
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lis-fetch-", dir=parent))
    staging.chmod(0o755)
    kept = False
    try:
        opener = opener or make_opener()
        fetched: list[FetchedFile] = []
        log(f"Fetching {len(chosen)} datasets from {base_url}")
        for name in chosen:
            for kind, path in zip(("csv", "json"), dataset_files(name)):
                rel = f"ons-els/{path}"
                got = fetch_file(parse.urljoin(base_url, parse.quote(path)), rel, kind, staging / rel,
                                 settings, opener, log, sleep)
                log(f"  {path}: {got.size} bytes" + (f" ({got.attempts} attempts)" if got.attempts > 1 else ""))
                fetched.append(got)
        copied: list[str] = []
        for name in not_fetched:
            _copy_tree(source_dir / "ons-els" / name, staging / "ons-els" / name, staging, copied)
        _copy_tree(source_dir / "ons-geography", staging / "ons-geography", staging, copied)

        urls = {f.file: f.url for f in fetched}
        try:
            build = build_extract(staging, out_dir, area, catalogue)
        except SourceError as exc:
            try:
                rel = Path(exc.path).resolve().relative_to(staging.resolve()).as_posix()
            except ValueError:
                raise exc from None
            where = f"line {exc.line}: " if exc.line is not None else ""
            origin = urls.get(rel)
            name = rel.removeprefix("ons-els/")
            if origin is None:
                name = f"{rel} (from {source_dir})"
            raise FetchError(name, f"the build refused it: {where}{exc.reason}", origin) from None

        if source_out is not None:
            record = {
                "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "base_url": base_url,
                "fetched": [vars(f) for f in fetched],
                "copied_from": str(source_dir),
                "copied": copied,
            }
            (staging / FETCH_RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
            try:
                _swap_in(staging, source_out)
            except OSError as exc:
                raise FetchError(str(source_out), f"the extract was replaced, but the fetched files could not "
                                 f"be put here: {exc.strerror or exc}", extract_replaced=True) from None
            kept = True
        return RefreshResult(fetched, copied, build, source_out, base_url)
    finally:
        if not kept:
            shutil.rmtree(staging, ignore_errors=True)
