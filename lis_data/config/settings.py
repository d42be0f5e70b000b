"""The one list of the dashboard's settings (settings.toml beside this file): each setting's names
in .streamlit/secrets.toml and in the environment, and what it does. The README's settings table is
rendered from it (`markdown_table`, scripts/readme_settings.py) and tests/test_settings_registry.py
checks that the table is current and that every setting the code reads is listed."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

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
