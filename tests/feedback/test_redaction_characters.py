"""A database password is masked whatever characters it holds: in the store's errors (so in the
log and on the staff page), in the readiness log and in the command line's output. Each character
class that once slipped through (#, ?, a space, a quote) and its neighbours, in the URL's userinfo
and in its query. The URL is parsed, not matched by pattern (lis_data/feedback/redaction.py)."""

from __future__ import annotations

import logging

import pytest

from lis_data.feedback import FeedbackStoreUnavailable, open_store, redact
from lis_data.feedback import redaction

# A port where nothing listens: the store cannot be opened, and says so.
HOST = "127.0.0.1:1"
CHARACTERS = {"hash": "#", "question": "?", "space": " ", "single-quote": "'", "double-quote": '"',
              "at": "@", "percent": "%", "colon": ":", "ampersand": "&", "equals": "=", "backslash": "\\",
              "semicolon": ";", "comma": ",", "bracket": ")"}


def _password(char: str) -> str:
    return f"Zq9{char}s3cr{char}et"


@pytest.fixture(autouse=True)
def _forget():
    """Each test starts with no remembered secret, so none passes on another's."""
    with redaction._known_lock:
        saved = set(redaction._known)
        redaction._known.clear()
    yield
    with redaction._known_lock:
        redaction._known.clear()
        redaction._known.update(saved)


def _urls(char: str) -> list[str]:
    pw = _password(char)
    userinfo = [] if char in "@" else [f"postgresql://lis:{pw}@{HOST}/test"]  # '@' ends a userinfo
    return userinfo + [f"postgresql://{HOST}/test?user=lis&password={pw}",
                       f"postgresql://{HOST}/test?password={pw}&sslmode=disable"]


def _leaks(text: str, char: str) -> bool:
    pw = _password(char)
    return pw in text or pw.split(char)[1] in text  # the whole password, or what follows the character


@pytest.mark.parametrize("name", CHARACTERS)
def test_the_url_itself_is_masked(name):
    char = CHARACTERS[name]
    for url in _urls(char):
        redaction.remember_secrets(url)
        out = redact(url)
        assert not _leaks(out, char), out
        assert "127.0.0.1" in out and redact(out) == out
    if char != "@":  # parsed, with nothing remembered: the userinfo's password, any character
        redaction._known.clear()
        out = redact(f"could not open postgresql://lis:{_password(char)}@{HOST}/test: refused")
        assert not _leaks(out, char) and out.endswith(f"@{HOST}/test: refused"), out


@pytest.mark.parametrize("name", CHARACTERS)
def test_the_store_error_and_its_log_line_mask_it(name, caplog):
    char = CHARACTERS[name]
    for url in _urls(char):
        with caplog.at_level(logging.DEBUG):
            with pytest.raises(FeedbackStoreUnavailable) as info:
                open_store(url, statement_timeout=2)
            logging.getLogger("test").warning("store: %s", info.value)
        for text in (str(info.value), repr(info.value), caplog.text):
            assert not _leaks(text, char), text


@pytest.fixture(scope="module")
def indicators_db(tmp_path_factory):
    """One indicator store for the module: built by the first probe, opened as built by the others."""
    return tmp_path_factory.mktemp("readiness") / "i.duckdb"


@pytest.mark.parametrize("name", CHARACTERS)
def test_the_readiness_log_masks_it(name, caplog, indicators_db):
    from web.readiness import ReadinessProbe
    from lis_data.runtime.store import Store

    char = CHARACTERS[name]
    for url in _urls(char):
        probe = ReadinessProbe(lambda: url, open_indicators=lambda: Store.open(db=indicators_db))
        with caplog.at_level(logging.WARNING, logger="web.readiness"):
            result = probe.check()
        probe.close()
        assert not result.ready
        assert "feedback store" in caplog.text and not _leaks(caplog.text, char), caplog.text
        caplog.clear()


@pytest.mark.parametrize("name", CHARACTERS)
def test_the_command_line_masks_it(name, capsys, monkeypatch):
    from lis_data.cli import main

    char = CHARACTERS[name]
    for url in _urls(char):
        for args in (["feedback", "export", "--url", url], ["feedback", "count", "--url", url]):
            redaction._known.clear()
            assert main(args) != 0
            out = capsys.readouterr()
            assert "127.0.0.1" in out.err or "unavailable" in out.err.lower(), out.err
            assert not _leaks(out.out + out.err, char), out.err
        monkeypatch.setenv("LIS_FEEDBACK_URL", url)
        redaction._known.clear()
        assert main(["feedback", "export"]) != 0
        out = capsys.readouterr()
        assert not _leaks(out.out + out.err, char), out.err
