"""One list of settings (lis_data/config/settings.toml): the README's table is rendered from it, every
setting the code reads is in it, and every setting in it is read somewhere (issue 24)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lis_data.config.settings import Invalid, Setting, current, load_settings, markdown_table, read, require, reset
from lis_data.errors import ConfigError
from scripts.readme_settings import README, current_table

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = load_settings()
#: How lis_data/config/settings.py's reader looks a setting up: r.raw("secret", "LIS_ENV"),
#: r.raw(env="LIS_ENV"), r.path("LIS_ENV", …), r.limit("secret", …), r.seconds("LIS_ENV", …),
#: r.secrets.get("secret").
READER = ROOT / "lis_data" / "config" / "settings.py"
ENV_READ = re.compile(r"[\"'](LIS_[A-Z_]+)[\"']")
SECRET_READ = re.compile(r"r\.(?:raw|limit|secrets\.get)\(\s*[\"']([a-z_]+)[\"']")
#: Read by the tests and the benchmark only, never by the dashboard.
NOT_SETTINGS = {"LIS_TEST_POSTGRES_URL", "LIS_BENCH_DIR", "LIS_CHROMIUM"}
#: Where a setting may be read from the process: the environment in the reader, st.secrets in the pages' accessor.
ENV_ACCESS = re.compile(r"\bos\.(?:environ|getenv)\b|\bgetenv\(")
SECRETS_ACCESS = re.compile(r"\bst\.secrets\b|\bsecrets\.get\(")
ALLOWED = {"os.environ": {"lis_data/config/settings.py"}, "st.secrets": {"ui/app_settings.py"}}


def _code() -> dict[str, str]:
    files = [ROOT / "app.py"] + [p for d in ("lis_data", "ui", "web", "pages") for p in sorted((ROOT / d).rglob("*.py"))]
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in files}


def _code_lines(text: str) -> str:
    """The text without comments and docstrings' prose lines (a rough cut: lines starting with # are dropped)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _read_by_code() -> tuple[set[str], set[str]]:
    text = READER.read_text(encoding="utf-8")
    return set(ENV_READ.findall(text)) - NOT_SETTINGS, set(SECRET_READ.findall(text))


def test_settings_are_read_in_one_place():
    """The environment only in lis_data/config/settings.py, st.secrets only in ui/app_settings.py."""
    offenders = []
    for path, text in _code().items():
        code = _code_lines(text)
        if ENV_ACCESS.search(code) and path not in ALLOWED["os.environ"]:
            offenders.append(f"{path}: os.environ")
        if re.search(r"\bst\.secrets\b", code) and path not in ALLOWED["st.secrets"]:
            if re.search(r"st\.secrets\s*[.\[(]", code):
                offenders.append(f"{path}: st.secrets")
    assert not offenders, f"settings read outside their one reader: {offenders}"


def test_the_readme_table_is_generated_from_the_list():
    assert current_table(README.read_text(encoding="utf-8")) == markdown_table(SETTINGS), \
        "README.md's settings table is out of date: python3 scripts/readme_settings.py --write"


def test_every_setting_the_code_reads_is_listed():
    env, secrets = _read_by_code()
    listed = {n for s in SETTINGS for n in s.names}
    missing = sorted((env | secrets) - listed)
    assert not missing, f"read by the code but not in lis_data/config/settings.toml: {missing}"


def test_every_listed_setting_is_read():
    env, secrets = _read_by_code()
    unread = sorted(n for s in SETTINGS for n in s.names if n not in env | secrets)
    assert not unread, f"listed but never read: {unread}"


def test_the_reader_patterns_find_a_setting():
    assert SECRET_READ.findall('value, name = r.raw("public_url", "LIS_PUBLIC_URL")') == ["public_url"]
    assert ENV_READ.findall('r.raw(env="LIS_WARM_VIEWS")') == ["LIS_WARM_VIEWS"]


def test_a_bad_value_names_the_setting_and_the_reason():
    s = read({"LIS_FEEDBACK_LOCK_TIMEOUT": "soon", "LIS_WARM_VIEWS": "maybe"},
             {"feedback_rate_limit": "many", "previous_board_date": "2024-02-30", "lis_contact_email": "x"})
    assert isinstance(s.feedback_lock_timeout, Invalid) and "LIS_FEEDBACK_LOCK_TIMEOUT" in s.feedback_lock_timeout
    with pytest.raises(ConfigError, match="previous_board_date"):
        require(s.previous_board_date)
    assert s.feedback_rate_limit == 5 and s.warm_views and s.contact_email == "LIS@enterprisem3.org.uk"
    assert any("feedback_rate_limit" in p for p in s.problems) and any("LIS_WARM_VIEWS" in p for p in s.problems)
    assert any("lis_contact_email" in p for p in s.problems)


def test_secrets_come_before_the_environment_and_the_settings_are_frozen():
    s = read({"LIS_MAP_STYLE": "env", "LIS_FEEDBACK_URL": "sqlite:///a.sqlite"}, {"map_style": "secret"})
    assert s.map_style == "secret" and s.feedback_url == "sqlite:///a.sqlite"
    with pytest.raises(AttributeError):
        s.map_style = "other"  # type: ignore[misc]


def test_the_environment_is_read_once_until_reset(monkeypatch):
    monkeypatch.setenv("LIS_MAP_STYLE", "first")
    assert current().map_style == "first"
    import os
    os.environ["LIS_MAP_STYLE"] = "second"  # not through monkeypatch: no reset
    try:
        assert current().map_style == "first"
        reset()
        assert current().map_style == "second"
    finally:
        monkeypatch.delenv("LIS_MAP_STYLE")


def test_a_malformed_list_is_refused_with_its_reason(tmp_path):
    bad = tmp_path / "settings.toml"
    bad.write_text('[[setting]]\nenv = ["WARM"]\nhelp = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="LIS_"):
        load_settings(bad)
    bad.write_text('[[setting]]\nenv = ["LIS_A"]\nhelp = "x"\n[[setting]]\nenv = ["LIS_A"]\nhelp = "y"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="twice"):
        load_settings(bad)


def test_a_pipe_in_help_does_not_break_the_table():
    table = markdown_table([Setting(("a_b",), (), "one | two")])
    assert "one &#124; two" in table and table.count("\n") == 4
