"""Shared fixtures: the same tests run against the embedded SQLite store and PostgreSQL.

PostgreSQL: $LIS_TEST_POSTGRES_URL if set, else a local server on
127.0.0.1:5432 database `test` as user postgres or root. Each test gets a
fresh schema (via search_path in the URL), dropped afterwards, so parallel
runs do not collide. If no server answers, the postgres cases are skipped
with the reason shown.
"""

from __future__ import annotations

import math
import os
import uuid

import psycopg
import pytest

from lis_data.feedback import open_store, validate_submission

PRIORITIES = (
    "innovation", "workforce", "places", "housing", "gateways",
    "energy", "digital", "connections", "exports",
)
PLACES = ("E07000084", "E07000209", "E07000217", "Guildford", "Basingstoke", "Woking", "Farnborough")

_PG_CANDIDATES = (
    "postgresql://127.0.0.1:5432/test?user=postgres",
    "postgresql://127.0.0.1:5432/test?user=root",
)
_pg_probe: tuple[str | None, str] | None = None


def postgres_base_url() -> tuple[str | None, str]:
    """(url, "") for a PostgreSQL server that answers, else (None, reason)."""
    global _pg_probe
    if _pg_probe is None:
        env = os.environ.get("LIS_TEST_POSTGRES_URL")
        candidates = (env,) if env else _PG_CANDIDATES
        reasons = []
        for url in candidates:
            try:
                with psycopg.connect(url, connect_timeout=3) as conn:
                    conn.execute("SELECT 1")
                _pg_probe = (url, "")
                break
            except psycopg.Error as exc:
                reasons.append(f"{url}: {' '.join(str(exc).split())}")
        else:
            _pg_probe = (None, "; ".join(reasons))
    return _pg_probe


def with_search_path(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    """A URL of an empty, not yet opened feedback store."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'feedback.sqlite'}"
        return
    base, reason = postgres_base_url()
    if base is None:
        pytest.skip(f"PostgreSQL not configured: set LIS_TEST_POSTGRES_URL ({reason})")
    schema = f"lis_fb_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    try:
        yield s
    finally:
        s.close()


def raw_submission(i: int = 0, **overrides) -> dict:
    """Valid raw form values, varied by i."""
    raw = {
        "priority": PRIORITIES[i % len(PRIORITIES)],
        "places": [PLACES[i % len(PLACES)]] if i % 3 else [],
        "respondent_type": ("business", "resident", "council")[i % 3],
        "organisation": f"Org {i} <b>&amp;</b>" if i % 2 else "",
        "comment": f"Comment number {i}: 'quotes', \"double\", <script>x</script>; DROP TABLE feedback;-- é 漢字 🙂",
        "evidence_url": f"https://example.org/report/{i}?a=1&b='x'" if i % 4 == 0 else "",
        "name": f"Person {i}" if i % 5 == 0 else "",
        "email": f"person{i}@example.org" if i % 5 == 0 else "",
        "consent": i % 5 == 0,
        "honeypot": "",
        "workshop_code": "guildford-2026-12-03" if i % 2 else "",
        "submission_key": f"key-{i:08d}-{uuid.uuid4().hex[:8]}",
    }
    raw.update(overrides)
    return raw


def submission(i: int = 0, **overrides):
    sub = validate_submission(raw_submission(i, **overrides), priorities=PRIORITIES, places=PLACES)
    assert not isinstance(sub, dict), sub
    return sub


def none_if_missing(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def row_matches(row: dict, sub) -> bool:
    """True when a listed row holds exactly the submission's values."""
    return (
        row["priority"] == sub.priority
        and list(row["places"]) == list(sub.places)
        and row["respondent_type"] == sub.respondent_type
        and none_if_missing(row["organisation"]) == sub.organisation
        and row["comment"] == sub.comment
        and none_if_missing(row["evidence_url"]) == sub.evidence_url
        and none_if_missing(row["name"]) == (sub.name if sub.consent else None)
        and none_if_missing(row["email"]) == (sub.email if sub.consent else None)
        and bool(row["consent"]) == sub.consent
        and none_if_missing(row["workshop_code"]) == sub.workshop_code
        and row["submission_key"] == sub.submission_key
    )
