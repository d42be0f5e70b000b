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


# Workshop engagement (moderation before the projector, polls): numbered from 101 so they never
# collide with the feedback table's own migrations above. Answers are append-only: the latest answer
# of a device in a poll is the one counted; an earlier one stays, superseded.
_WORKSHOP_TABLES = (
    "workshops, comment review state, polls and poll answers",
    """CREATE TABLE workshops (
        code {text} PRIMARY KEY,
        pin_hash {text},
        hold_comments BOOLEAN NOT NULL,
        screen_priority {text},
        screen_indicators {text},
        screen_vintage {text},
        opened_at {ts} NOT NULL,
        updated_at {ts} NOT NULL
    )""",
    "ALTER TABLE feedback_moderation ADD COLUMN state {text}",
    """CREATE TABLE polls (
        id {text} PRIMARY KEY,
        workshop_code {text} NOT NULL,
        kind {text} NOT NULL CHECK (kind IN ('performance', 'importance', 'top3')),
        subject {text} NOT NULL,
        round INTEGER NOT NULL,
        opened_at {ts} NOT NULL,
        revealed_at {ts},
        closed_at {ts},
        UNIQUE (workshop_code, kind, subject, round)
    )""",
    """CREATE TABLE poll_answers (
        seq {serial} PRIMARY KEY,
        answer_key {text} NOT NULL UNIQUE,
        poll_id {text} NOT NULL REFERENCES polls (id),
        workshop_code {text} NOT NULL,
        poll_round INTEGER NOT NULL,
        priority {text} NOT NULL,
        device {text} NOT NULL,
        respondent_type {text},
        rating INTEGER CHECK (rating BETWEEN 1 AND 5),
        choices {text},
        indicators {text} NOT NULL,
        data_vintage {text} NOT NULL,
        answered_at {ts} NOT NULL,
        app_version {text} NOT NULL
    )""",
    "CREATE INDEX polls_workshop_idx ON polls (workshop_code, opened_at)",
    "CREATE INDEX poll_answers_poll_device_idx ON poll_answers (poll_id, device, seq)",
    "CREATE INDEX poll_answers_workshop_idx ON poll_answers (workshop_code)",
)


#: Each backend's column types, filled into the templated migrations below.
_POSTGRES_TYPES = {"text": "TEXT", "ts": "TIMESTAMPTZ", "serial": "BIGSERIAL", "blob": "BYTEA"}
_SQLITE_TYPES = {"text": "TEXT", "ts": "TEXT", "serial": "INTEGER", "blob": "BLOB"}


def _templated(number: int, template: tuple[str, ...], types: dict[str, str]) -> Migration:
    """Migration `number` from a (description, *statements) template, in one backend's `types`."""
    description, *statements = template
    return (number, description, tuple(s.format(**types) for s in statements))


def _for_both(number: int, template: tuple[str, ...]) -> None:
    """Append migration `number`, from `template`, to both backends' lists."""
    global POSTGRES, SQLITE
    POSTGRES = POSTGRES + (_templated(number, template, _POSTGRES_TYPES),)
    SQLITE = SQLITE + (_templated(number, template, _SQLITE_TYPES),)


_for_both(101, _WORKSHOP_TABLES)


# The projector a facilitator drives (workshop set-up off the projected page): numbered from 121 so
# they never collide with other series. Self-contained: only columns added to `workshops`.
#   slide / state_seq: what the projector shows (written by the facilitator, read by the projector's
#   live fragment; state_seq grows on every change so a projector notices any change);
#   public_url: the address the room uses, set by the facilitator for this workshop;
#   projector_key_hash: SHA-256 of the facilitator's projector link key (only that projector records
#   what it shows); projector_origin: the origin that projector was opened on (loopback warning);
#   opened_by: "staff" or "facilitator" (who created the workshop).
_PROJECTOR_COLUMNS = (
    "projector slide, public address, projector key",
    "ALTER TABLE workshops ADD COLUMN slide {text}",
    "ALTER TABLE workshops ADD COLUMN state_seq INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE workshops ADD COLUMN public_url {text}",
    "ALTER TABLE workshops ADD COLUMN projector_key_hash {text}",
    "ALTER TABLE workshops ADD COLUMN projector_origin {text}",
    "ALTER TABLE workshops ADD COLUMN opened_by {text}",
)


_for_both(121, _PROJECTOR_COLUMNS)


# Questions the facilitator types (lis_data/feedback/own_questions.py): numbered from 131. A rating
# (1 to scale), a choice between typed options (JSON), or one word; answers append-only, the latest
# of each device counted; each word of a question moderated before the projector shows it
# (own_word_reviews is append-only too: the latest row of a word is its state).
_OWN_QUESTION_TABLES = (
    "questions the facilitator types: rating, choice, one word (word cloud)",
    """CREATE TABLE own_questions (
        id {text} PRIMARY KEY,
        workshop_code {text} NOT NULL,
        kind {text} NOT NULL CHECK (kind IN ('rating', 'choice', 'words')),
        prompt {text} NOT NULL,
        options {text} NOT NULL,
        scale INTEGER CHECK (scale IS NULL OR scale BETWEEN 3 AND 10),
        opened_at {ts} NOT NULL,
        revealed_at {ts},
        closed_at {ts}
    )""",
    """CREATE TABLE own_answers (
        seq {serial} PRIMARY KEY,
        answer_key {text} NOT NULL UNIQUE,
        question_id {text} NOT NULL REFERENCES own_questions (id),
        workshop_code {text} NOT NULL,
        device {text} NOT NULL,
        rating INTEGER CHECK (rating BETWEEN 1 AND 10),
        choice {text},
        word {text},
        answered_at {ts} NOT NULL
    )""",
    """CREATE TABLE own_word_reviews (
        seq {serial} PRIMARY KEY,
        question_id {text} NOT NULL REFERENCES own_questions (id),
        word {text} NOT NULL,
        state {text} NOT NULL CHECK (state IN ('approved', 'rejected')),
        reviewed_at {ts} NOT NULL
    )""",
    "CREATE INDEX own_questions_workshop_idx ON own_questions (workshop_code, opened_at)",
    "CREATE INDEX own_answers_question_device_idx ON own_answers (question_id, device, seq)",
    "CREATE INDEX own_word_reviews_question_idx ON own_word_reviews (question_id, word, seq)",
)


_for_both(131, _OWN_QUESTION_TABLES)


def pending(applied: set[int], migrations: tuple[Migration, ...]) -> list[Migration]:
    """The migrations not yet applied, in order."""
    return [m for m in migrations if m[0] not in applied]


# The LIS hub (lis_data/feedback/hub_store.py): research library, events, published workshop
# records, ideas with support, comments, moderation and responses, and sounding-board members.
# Numbered from 201 so they never collide with the feedback (1-) and workshop (101-) migrations.
# Research files are kept in the database (research_files), so every replica sees the same
# library. Full-text search: an FTS5 table on SQLite, a generated tsvector with a GIN index on
# PostgreSQL.
_HUB_TABLES = (
    """CREATE TABLE research (
        id {text} PRIMARY KEY,
        title {text} NOT NULL,
        authors {text} NOT NULL,
        published {text} NOT NULL,
        summary {text} NOT NULL,
        priorities {text} NOT NULL,
        indicators {text} NOT NULL,
        licence {text} NOT NULL,
        link {text},
        file_name {text},
        file_size INTEGER,
        file_sha256 {text},
        pages INTEGER,
        body_text {text} NOT NULL,
        added_by {text} NOT NULL,
        added_at {ts} NOT NULL,
        withdrawn_at {ts}
    )""",
    """CREATE TABLE research_files (
        research_id {text} PRIMARY KEY REFERENCES research (id),
        content {blob} NOT NULL
    )""",
    """CREATE TABLE events (
        id {text} PRIMARY KEY,
        title {text} NOT NULL,
        starts_at {ts} NOT NULL,
        ends_at {ts} NOT NULL,
        place {text} NOT NULL,
        priority {text},
        description {text} NOT NULL,
        workshop_code {text},
        created_at {ts} NOT NULL,
        cancelled_at {ts}
    )""",
    "CREATE INDEX events_starts_idx ON events (starts_at)",
    """CREATE TABLE workshop_records (
        code {text} PRIMARY KEY,
        published_at {ts} NOT NULL,
        published_by {text} NOT NULL,
        withdrawn_at {ts}
    )""",
    """CREATE TABLE ideas (
        id {text} PRIMARY KEY,
        reference {text} NOT NULL,
        priority {text} NOT NULL,
        title {text} NOT NULL,
        description {text} NOT NULL,
        indicators {text} NOT NULL,
        device {text},
        submission_key {text} NOT NULL UNIQUE,
        created_at {ts} NOT NULL,
        app_version {text} NOT NULL
    )""",
    "CREATE INDEX ideas_priority_idx ON ideas (priority, created_at)",
    """CREATE TABLE idea_supports (
        idea_id {text} NOT NULL REFERENCES ideas (id),
        device {text} NOT NULL,
        supported_at {ts} NOT NULL,
        PRIMARY KEY (idea_id, device)
    )""",
    """CREATE TABLE idea_comments (
        id {text} PRIMARY KEY,
        idea_id {text} NOT NULL REFERENCES ideas (id),
        comment {text} NOT NULL,
        submission_key {text} NOT NULL UNIQUE,
        created_at {ts} NOT NULL
    )""",
    "CREATE INDEX idea_comments_idea_idx ON idea_comments (idea_id, created_at)",
    """CREATE TABLE hub_moderation (
        seq {serial} PRIMARY KEY,
        target_kind {text} NOT NULL CHECK (target_kind IN ('idea', 'idea_comment')),
        target_id {text} NOT NULL,
        state {text} NOT NULL CHECK (state IN ('approved', 'rejected')),
        note {text} NOT NULL,
        actor {text} NOT NULL,
        moderated_at {ts} NOT NULL
    )""",
    "CREATE INDEX hub_moderation_target_idx ON hub_moderation (target_kind, target_id, seq)",
    """CREATE TABLE idea_responses (
        seq {serial} PRIMARY KEY,
        idea_id {text} NOT NULL REFERENCES ideas (id),
        status {text} NOT NULL,
        response {text} NOT NULL,
        reason {text},
        actor {text} NOT NULL,
        responded_at {ts} NOT NULL
    )""",
    "CREATE INDEX idea_responses_idea_idx ON idea_responses (idea_id, seq)",
    """CREATE TABLE board_members (
        id {text} PRIMARY KEY,
        reference {text} NOT NULL,
        name {text},
        email {text},
        organisation {text},
        priorities {text} NOT NULL,
        consent BOOLEAN NOT NULL,
        submission_key {text} NOT NULL UNIQUE,
        joined_at {ts} NOT NULL
    )""",
    "CREATE INDEX board_members_reference_idx ON board_members (reference)",
)
_HUB_DESCRIPTION = "LIS hub: research library, events, workshop records, ideas, sounding-board members"


def _hub_migration(types: dict[str, str], search: tuple[str, ...]) -> Migration:
    number, description, statements = _templated(201, (_HUB_DESCRIPTION, *_HUB_TABLES), types)
    return (number, description, statements + search)


POSTGRES = POSTGRES + (_hub_migration(_POSTGRES_TYPES, (
    "ALTER TABLE research ADD COLUMN search tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B') || "
    "setweight(to_tsvector('english', authors), 'B') || setweight(to_tsvector('english', body_text), 'C')) STORED",
    "CREATE INDEX research_search_idx ON research USING GIN (search)",
)),)
SQLITE = SQLITE + (_hub_migration(_SQLITE_TYPES, (
    "CREATE VIRTUAL TABLE research_fts USING fts5(research_id UNINDEXED, title, summary, authors, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
)),)
