"""Timestamps of the feedback store: every one is timezone-aware UTC, whatever the backend returns
(SQLite keeps them as ISO 8601 text, PostgreSQL as timestamptz)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


def utc(value: Any) -> datetime | None:
    """`value` (a datetime or ISO 8601 text; naive means UTC) in UTC; None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def now() -> datetime:
    return datetime.now(timezone.utc)
