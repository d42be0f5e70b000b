"""The dashboard's settings: the one list (settings.toml beside this file: each setting's names in
.streamlit/secrets.toml and in the environment, and what it does) and the one reader of their values.

`read(environ, secrets)` parses and defaults every setting, in this module only, into a frozen
`Settings`; a bad value becomes a message naming the setting and the reason (`Invalid`: the
consumer refuses to go on, e.g. the feedback store's timeouts, the board pack's date) or falls back
to the default with that message in `Settings.problems` (logged once). `current()` is the process's
settings from the environment, read once; the pages' `ui/app_settings.current()` merges
.streamlit/secrets.toml over it (the one place that touches st.secrets). Nothing else reads
os.environ or st.secrets for a setting (tests/test_settings_registry.py). Tests that change the
environment reset the accessor (`reset()`; tests/conftest.py does it around every monkeypatch).

The README's settings table is rendered from the list (`markdown_table`, scripts/readme_settings.py)
and tests/test_settings_registry.py checks that the table is current and that every listed name is
read here."""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lis_data.errors import ConfigError

SETTINGS_FILE = Path(__file__).resolve().parent / "settings.toml"
#: Where the README's generated table starts and ends.
BEGIN, END = "<!-- settings table: generated from lis_data/config/settings.toml -->", "<!-- end of settings table -->"


@dataclass(frozen=True)
class Setting:
    secrets: tuple[str, ...]  # keys of .streamlit/secrets.toml
    env: tuple[str, ...]  # environment variables
    help: str

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.secrets, *self.env)


def load_settings(path: Path = SETTINGS_FILE) -> list[Setting]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path.name}: {exc}") from exc
    out = []
    for n, item in enumerate(raw.get("setting", []), 1):
        secrets, env, text = tuple(item.get("secrets", ())), tuple(item.get("env", ())), item.get("help", "")
        if not (secrets or env) or not text.strip():
            raise ConfigError(f"{path.name}: setting {n} needs a name (secrets or env) and help")
        if any(not s.islower() for s in secrets) or any(not e.startswith("LIS_") or not e.isupper() for e in env):
            raise ConfigError(f"{path.name}: setting {n}: secrets are lower case, environment variables LIS_…")
        out.append(Setting(secrets, env, " ".join(text.split())))
    names = [name for s in out for name in s.names]
    if len(names) != len(set(names)):
        raise ConfigError(f"{path.name}: a name is listed twice")
    return out


def _where(s: Setting) -> str:
    return " and ".join(w for w, on in (("secrets", s.secrets), ("environment", s.env)) if on)


def markdown_table(settings: list[Setting]) -> str:
    """The README's table: the setting's names, where it may be set, and what it does."""
    lines = [BEGIN, "| setting | set in | what it does |", "| --- | --- | --- |"]
    for s in settings:
        names = " / ".join(", ".join(f"`{n}`" for n in group) for group in (s.secrets, s.env) if group)
        lines.append(f"| {names} | {_where(s)} | {s.help.replace('|', '&#124;')} |")
    return "\n".join([*lines, END])


# ---------------------------------------------------------------------------
# The values: parsed and defaulted here, once per process.

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_CONTACT = "LIS@enterprisem3.org.uk"
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
                    re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_ON, _OFF = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
TIMEOUT_RANGE = (0.1, 600.0)
SQLITE_SYNCHRONOUS_CHOICES = ("full", "normal")
RATE_WINDOW_MINUTES = 10
#: Comments per session, per client address and per process in the window; poll answers likewise.
RATE_LIMIT, RATE_LIMIT_PER_ADDRESS, RATE_LIMIT_PER_PROCESS = 5, 600, 3000
MAX_PROXY_HOPS = 10


class Invalid(str):
    """A setting's value that was refused: the message names the setting and the reason, never
    more than 40 characters of the value. Consumers that cannot go on without it raise it
    (`require`)."""


def require(value: Any, error: type[Exception] = ConfigError) -> Any:
    """`value`, or `error(message)` when the setting was refused."""
    if isinstance(value, Invalid):
        raise error(str(value))
    return value


@dataclass(frozen=True)
class Settings:
    # where things live (environment only)
    config_dir: Path
    data_dir: Path
    extract_dir: Path
    store_path: Path
    source_dir: Path
    # the feedback store
    feedback_url: str | None  # None: the default SQLite file under data_dir
    feedback_statement_timeout: float | Invalid
    feedback_lock_timeout: float | Invalid
    feedback_sqlite_synchronous: str | Invalid
    # limits (a bad value: the default, with a problem logged)
    feedback_rate_limit: int
    feedback_rate_window_seconds: float
    feedback_rate_limit_per_address: int
    feedback_rate_limit_per_process: int
    poll_rate_limit_per_address: int
    poll_rate_limit_per_process: int
    trusted_proxy_hops: int
    # staff sign-in: the raw password is judged by the staff page (it says why it is not in force)
    staff_password: Any
    staff_emails: frozenset[str]
    auth: Mapping[str, Any] | None  # Streamlit's own [auth] section, when it has entries
    # pages
    warm_views: bool
    map_style: str | None
    public_url: str | None  # checked by ui/room_address.py (normalise_public_url)
    contact_email: str
    previous_board_date: str | None | Invalid
    problems: tuple[str, ...] = field(default=(), compare=False)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


class _Reader:
    """Looks a setting up (secret first, then environment) and collects the problems."""

    def __init__(self, environ: Mapping[str, str], secrets: Mapping[str, Any]):
        self.environ, self.secrets, self.problems = environ, secrets, []

    def raw(self, secret: str | None = None, env: str | None = None) -> tuple[Any, str]:
        if secret is not None:
            value = self.secrets.get(secret)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                return value, secret
        if env is not None:
            value = self.environ.get(env, "")
            if value.strip():
                return value.strip(), env
        return None, secret or env or ""

    def path(self, env: str, default: Path) -> Path:
        value, _ = self.raw(env=env)
        return Path(value) if value else default

    def limit(self, secret: str, default: int) -> int:
        value, name = self.raw(secret)
        if value is None:
            return default
        try:
            if isinstance(value, bool):
                raise ValueError
            return max(int(value), 1)
        except (TypeError, ValueError):
            self.problems.append(f"setting {name} is not a whole number ({str(value)[:40]!r}): using {default}")
            return default

    def seconds(self, env: str, default: float) -> float | Invalid:
        value, name = self.raw(env=env)
        if value is None:
            return default
        low, high = TIMEOUT_RANGE
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not (low <= number <= high):
            return Invalid(f"Feedback store setting {name} must be a number of seconds between {low:g} and "
                           f"{high:g}, not {str(value)[:40]!r}")
        return number


def read(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> Settings:
    """Every setting from an environment and (for the pages) the secrets, parsed and defaulted."""
    r = _Reader(environ, secrets or {})
    data_dir = r.path("LIS_DATA_DIR", PROJECT_ROOT / "data")

    synchronous, name = r.raw(env="LIS_FEEDBACK_SQLITE_SYNCHRONOUS")
    synchronous = str(synchronous or "full").lower()
    if synchronous not in SQLITE_SYNCHRONOUS_CHOICES:
        synchronous = Invalid(f"Feedback store setting {name} must be 'full' or 'normal', not {synchronous[:40]!r}")

    minutes, name = r.raw("feedback_rate_window_minutes")
    try:
        minutes = RATE_WINDOW_MINUTES if minutes is None or isinstance(minutes, bool) else float(minutes)
    except (TypeError, ValueError):
        minutes = math.nan
    if not math.isfinite(minutes) or minutes <= 0:
        r.problems.append(f"setting {name} is not a positive number of minutes: using {RATE_WINDOW_MINUTES}")
        minutes = RATE_WINDOW_MINUTES

    hops, name = r.raw("trusted_proxy_hops")
    try:
        hops = 0 if hops is None or isinstance(hops, bool) else int(hops)
    except (TypeError, ValueError):
        hops = -1
    if not 0 <= hops <= MAX_PROXY_HOPS:
        r.problems.append(f"setting {name} is not a count from 0 to {MAX_PROXY_HOPS}: using 0 "
                          "(X-Forwarded-For is ignored)")
        hops = 0

    emails, _ = r.raw("staff_emails")
    emails = emails.split(",") if isinstance(emails, str) else (emails or [])
    auth, _ = r.raw("auth")

    warm = environ.get("LIS_WARM_VIEWS", "1").strip().lower()  # set but empty is reported
    if warm not in _ON + _OFF:
        r.problems.append(f"LIS_WARM_VIEWS={warm[:40]!r} is not one of {'/'.join(_ON + _OFF)}: "
                          "the views are warmed (the default)")

    contact, name = r.raw("lis_contact_email", "LIS_CONTACT_EMAIL")
    contact = _text(contact)
    if contact is not None and not _EMAIL.fullmatch(contact):
        r.problems.append(f"setting {name} is not a plain email address; using {DEFAULT_CONTACT}")
        contact = None

    board, name = r.raw("previous_board_date", "LIS_PREVIOUS_BOARD_DATE")
    board = _text(board)
    if board is not None:
        try:
            if not _DATE.fullmatch(board):
                raise ValueError
            board = date.fromisoformat(board).isoformat()
        except ValueError:
            board = Invalid(f"{name}: {board[:40]!r} is not a date of the form YYYY-MM-DD")

    return Settings(
        config_dir=r.path("LIS_CONFIG_DIR", CONFIG_DIR),
        data_dir=data_dir,
        extract_dir=r.path("LIS_EXTRACT_DIR", data_dir / "extract"),
        store_path=r.path("LIS_STORE_PATH", data_dir / "indicators.duckdb"),
        source_dir=r.path("LIS_SOURCE_DIR", PROJECT_ROOT.parent / "shared" / "data"),
        feedback_url=_text(r.raw("feedback_url", "LIS_FEEDBACK_URL")[0]),
        feedback_statement_timeout=r.seconds("LIS_FEEDBACK_STATEMENT_TIMEOUT", 5.0),
        feedback_lock_timeout=r.seconds("LIS_FEEDBACK_LOCK_TIMEOUT", 3.0),
        feedback_sqlite_synchronous=synchronous,
        feedback_rate_limit=r.limit("feedback_rate_limit", RATE_LIMIT),
        feedback_rate_window_seconds=minutes * 60,
        feedback_rate_limit_per_address=r.limit("feedback_rate_limit_per_address", RATE_LIMIT_PER_ADDRESS),
        feedback_rate_limit_per_process=r.limit("feedback_rate_limit_per_process", RATE_LIMIT_PER_PROCESS),
        poll_rate_limit_per_address=r.limit("poll_rate_limit_per_address", RATE_LIMIT_PER_ADDRESS),
        poll_rate_limit_per_process=r.limit("poll_rate_limit_per_process", RATE_LIMIT_PER_PROCESS),
        trusted_proxy_hops=hops,
        staff_password=r.secrets.get("staff_password"),  # "" is reported as too short
        staff_emails=frozenset(str(e).strip().casefold() for e in emails if str(e).strip()),
        auth=auth if isinstance(auth, Mapping) and auth else None,
        warm_views=warm not in _OFF,
        map_style=_text(r.raw("map_style", "LIS_MAP_STYLE")[0]),
        public_url=_text(r.raw("public_url", "LIS_PUBLIC_URL")[0]),
        contact_email=contact or DEFAULT_CONTACT,
        previous_board_date=board,
        problems=tuple(r.problems),
    )


_lock = threading.Lock()
_environment: dict[str, str] | None = None
_current: Settings | None = None


def environment() -> Mapping[str, str]:
    """The process's LIS_* environment variables, read once (until `reset`)."""
    global _environment
    with _lock:
        if _environment is None:
            _environment = {k: v for k, v in os.environ.items() if k.startswith("LIS_")}
        return _environment


def current() -> Settings:
    """This process's settings from the environment (the command line, the store, the build):
    read and parsed once; problems logged once."""
    global _current
    env = environment()
    with _lock:
        if _current is None:
            _current = read(env)
            for problem in _current.problems:
                log.warning("%s", problem)
        return _current


def reset() -> None:
    """Forget the settings read so far (tests that change the environment; ui/app_settings too)."""
    global _environment, _current
    with _lock:
        _environment = _current = None
