"""redact(): every credential form in a URL, a connection string or a message is masked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lis_data.feedback import redact, redact_text

SECRET = "Zq9-s3cret"


@pytest.mark.parametrize(
    "text, keeps",
    [
        (f"postgresql://alice:{SECRET}@db.example:5432/lis", "postgresql://alice:***@db.example:5432/lis"),
        (f"postgresql://alice:p@ss{SECRET}@db.example/lis", "db.example/lis"),
        (f"postgresql://db.example/lis?user=alice&password={SECRET}", "user=alice&password=***"),
        (f"postgresql://db.example/lis?password={SECRET}&sslmode=require", "sslmode=require"),
        (f"postgresql://db/lis?sslpassword={SECRET}", "sslpassword=***"),
        (f"postgresql://db/lis?passfile=/home/{SECRET}/.pgpass", "passfile=***"),
        (f"postgresql://db/lis?sslkey=/k/{SECRET}.key&sslcert=/k/{SECRET}.crt", "sslcert=***"),
        (f"postgresql://db/lis?api_token={SECRET}&client_secret={SECRET}&apikey={SECRET}", "apikey=***"),
        (f"host=db port=5432 dbname=lis user=alice password={SECRET}", "user=alice password=***"),
        (f"host=db password='{SECRET} with spaces' user=alice", "user=alice"),
        (f'host=db password = "{SECRET}" user=alice', "user=alice"),
        (f"options=-c%20x password%3D{SECRET}", "password%3D***"),
        (f"could not connect (url postgresql://u:{SECRET}@h/db?PASSWORD={SECRET}): refused", "refused"),
        (f"x\nPassword={SECRET}\n", "Password=***"),
    ],
)
def test_masks_every_form(text, keeps):
    out = redact(text)
    assert SECRET not in out
    assert "with spaces" not in out
    assert keeps in out
    assert redact_text(text) == out
    assert redact(out) == out  # idempotent


def test_leaves_plain_text_alone():
    for text in ("postgresql://alice@db:5432/lis?sslmode=require", "Feedback store unavailable: refused",
                 "sqlite:///srv/data/feedback.sqlite", ""):
        assert redact(text) == text
    assert redact(None) == ""


@settings(max_examples=200, deadline=None)
@given(secret=st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="&#/?@'\"=;,<>)]}%"),
                      min_size=6, max_size=30),
       name=st.sampled_from(["password", "sslpassword", "passfile", "sslkey", "sslcert", "token", "secret"]))
def test_any_secret_value_is_masked(secret, name):
    url = f"postgresql://u:{secret}@h:5432/db?{name}={secret}&sslmode=require"
    assert redact(url) == f"postgresql://u:***@h:5432/db?{name}=***&sslmode=require"


def test_store_errors_are_redacted_when_made():
    """Whoever raises or logs a store error, the text it carries has no credential."""
    import logging

    from lis_data.feedback import FeedbackNotFound, FeedbackStoreUnavailable

    for cls in (FeedbackStoreUnavailable, FeedbackNotFound):
        exc = cls(f"cannot reach postgresql://u:{SECRET}@h/db?sslpassword={SECRET} (password={SECRET})")
        assert SECRET not in str(exc) and SECRET not in repr(exc) and SECRET not in str(exc.args)
        record = logging.LogRecord("x", logging.WARNING, __file__, 1, "store: %s", (exc,), None)
        assert SECRET not in record.getMessage()
