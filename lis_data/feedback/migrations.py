"""Numbered schema migrations for the feedback store, one list per dialect.

Each migration is (version, description, statements). They run in order, in
one transaction, at start-up; the versions applied are recorded in
``schema_version``. Never edit a released migration: add a new one.
"""

from __future__ import annotations

Migration = tuple[int, str, tuple[str, ...]]

SCHEMA_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY,"
    " description VARCHAR NOT NULL,"
    " applied_at TIMESTAMP NOT NULL)"
)

# The old embedded store (kept so the schema of files being moved to SQLite is on record and
# tests can make such files; nothing opens a DuckDB feedback file for writing any more).
DUCKDB: tuple[Migration, ...] = (
    (
        1,
        "feedback and feedback_moderation tables",
        (
            # created_at holds UTC (DuckDB TIMESTAMP has no zone; the code converts).
            """CREATE TABLE feedback (
                id UUID PRIMARY KEY,
                reference VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                priority VARCHAR NOT NULL,
                places VARCHAR[] NOT NULL,
                respondent_type VARCHAR NOT NULL,
                organisation VARCHAR,
                comment VARCHAR NOT NULL,
                evidence_url VARCHAR,
                name VARCHAR,
                email VARCHAR,
                consent BOOLEAN NOT NULL,
                workshop_code VARCHAR,
                app_version VARCHAR NOT NULL,
                submission_key VARCHAR NOT NULL UNIQUE
            )""",
            "CREATE SEQUENCE feedback_moderation_seq",
            """CREATE TABLE feedback_moderation (
                seq BIGINT PRIMARY KEY DEFAULT nextval('feedback_moderation_seq'),
                feedback_id UUID NOT NULL,
                hidden BOOLEAN NOT NULL,
                moderated_at TIMESTAMP NOT NULL,
                note VARCHAR NOT NULL DEFAULT ''
            )""",
        ),
    ),
    (
        2,
        "indexes for workshop and date filters",
        (
            "CREATE INDEX feedback_workshop_idx ON feedback (workshop_code)",
            "CREATE INDEX feedback_moderation_feedback_idx ON feedback_moderation (feedback_id)",
        ),
    ),
)

POSTGRES: tuple[Migration, ...] = (
    (
        1,
        "feedback and feedback_moderation tables",
        (
            """CREATE TABLE feedback (
                id UUID PRIMARY KEY,
                reference TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                priority TEXT NOT NULL,
                places TEXT[] NOT NULL,
                respondent_type TEXT NOT NULL,
                organisation TEXT,
                comment TEXT NOT NULL,
                evidence_url TEXT,
                name TEXT,
                email TEXT,
                consent BOOLEAN NOT NULL,
                workshop_code TEXT,
                app_version TEXT NOT NULL,
                submission_key TEXT NOT NULL UNIQUE
            )""",
            """CREATE TABLE feedback_moderation (
                seq BIGSERIAL PRIMARY KEY,
                feedback_id UUID NOT NULL REFERENCES feedback (id),
                hidden BOOLEAN NOT NULL,
                moderated_at TIMESTAMPTZ NOT NULL,
                note TEXT NOT NULL DEFAULT ''
            )""",
        ),
    ),
    (
        2,
        "indexes for workshop and date filters",
        (
            "CREATE INDEX feedback_workshop_idx ON feedback (workshop_code)",
            "CREATE INDEX feedback_created_idx ON feedback (created_at)",
            "CREATE INDEX feedback_moderation_feedback_idx ON feedback_moderation (feedback_id)",
        ),
    ),
    (
        3,
        "erasure audit and reference index",
        (
            """CREATE TABLE feedback_erasures (
                seq BIGSERIAL PRIMARY KEY,
                reference TEXT NOT NULL,
                scope TEXT NOT NULL CHECK (scope IN ('personal', 'all')),
                actor TEXT NOT NULL,
                reason TEXT NOT NULL DEFAULT '',
                rows_erased INTEGER NOT NULL,
                erased_at TIMESTAMPTZ NOT NULL
            )""",
            "CREATE INDEX feedback_reference_idx ON feedback (reference)",
        ),
    ),
)

# SQLite: timestamps are ISO 8601 text in UTC with microseconds ("2026-12-03T10:15:00.123456+00:00",
# fixed width, so text order is time order); places is a JSON array; booleans are 0/1.
SQLITE: tuple[Migration, ...] = (
    (
        1,
        "feedback, moderation, erasure audit and legacy import tables",
        (
            """CREATE TABLE feedback (
                id TEXT PRIMARY KEY,
                reference TEXT NOT NULL,
                created_at TEXT NOT NULL,
                priority TEXT NOT NULL,
                places TEXT NOT NULL,
                respondent_type TEXT NOT NULL,
                organisation TEXT,
                comment TEXT NOT NULL,
                evidence_url TEXT,
                name TEXT,
                email TEXT,
                consent INTEGER NOT NULL,
                workshop_code TEXT,
                app_version TEXT NOT NULL,
                submission_key TEXT NOT NULL UNIQUE
            )""",
            """CREATE TABLE feedback_moderation (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                feedback_id TEXT NOT NULL REFERENCES feedback (id),
                hidden INTEGER NOT NULL,
                moderated_at TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT ''
            )""",
            """CREATE TABLE feedback_erasures (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                reference TEXT NOT NULL,
                scope TEXT NOT NULL CHECK (scope IN ('personal', 'all')),
                actor TEXT NOT NULL,
                reason TEXT NOT NULL DEFAULT '',
                rows_erased INTEGER NOT NULL,
                erased_at TEXT NOT NULL
            )""",
            """CREATE TABLE legacy_imports (
                source TEXT PRIMARY KEY,
                feedback_rows INTEGER NOT NULL,
                moderation_rows INTEGER NOT NULL,
                imported_at TEXT NOT NULL
            )""",
            "CREATE INDEX feedback_workshop_idx ON feedback (workshop_code)",
            "CREATE INDEX feedback_created_idx ON feedback (created_at)",
            "CREATE INDEX feedback_reference_idx ON feedback (reference)",
            "CREATE INDEX feedback_moderation_feedback_idx ON feedback_moderation (feedback_id)",
        ),
    ),
)


def pending(applied: set[int], migrations: tuple[Migration, ...]) -> list[Migration]:
    """The migrations not yet applied, in order."""
    return [m for m in migrations if m[0] not in applied]
