"""One list of settings (lis_data/config/settings.toml): the README's table is rendered from it, every
setting the code reads is in it, and every setting in it is read somewhere (issue 24)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lis_data.config.settings import Setting, load_settings, markdown_table
from lis_data.errors import ConfigError
from scripts.readme_settings import README, current_table

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = load_settings()
#: How the code reads a setting: an environment variable by name, a secret through one of the
#: readers (ui/feedback_access.py: secret, limit_setting; the sounding board's _setting; st.secrets).
ENV_READ = re.compile(r"[\"'](LIS_[A-Z_]+)[\"']")
SECRET_READ = re.compile(r"(?:\bsecret|limit_setting|_setting|st\.secrets\.get)\(\s*[\"']([a-z_]+)[\"']")
SECRET_CONSTANT = re.compile(r"^[A-Z_]*SETTING\s*=\s*[\"']([a-z_]+)[\"']", re.M)
#: Read by the tests and the benchmark only, never by the dashboard.
NOT_SETTINGS = {"LIS_TEST_POSTGRES_URL", "LIS_BENCH_DIR", "LIS_CHROMIUM"}


def _code() -> dict[str, str]:
    files = [ROOT / "app.py"] + [p for d in ("lis_data", "ui", "web", "pages") for p in sorted((ROOT / d).rglob("*.py"))]
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in files}


def _read_by_code() -> tuple[set[str], set[str]]:
    env, secrets = set(), set()
    for text in _code().values():
        env |= set(ENV_READ.findall(text)) - NOT_SETTINGS
        secrets |= set(SECRET_READ.findall(text)) | set(SECRET_CONSTANT.findall(text))
    return env, secrets


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
    assert SECRET_READ.findall('value = feedback_access.secret("public_url", None)') == ["public_url"]
    assert ENV_READ.findall('os.environ.get("LIS_WARM_VIEWS", "1")') == ["LIS_WARM_VIEWS"]


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
