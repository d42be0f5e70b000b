"""What the LIS hub's store returns: plain frozen records (no streamlit, no SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Research:
    id: str
    title: str
    authors: str
    published: date
    summary: str
    priorities: tuple[str, ...]
    indicators: tuple[str, ...]
    licence: str
    link: str | None
    file_name: str | None
    file_size: int | None
    pages: int | None
    added_by: str
    added_at: datetime
    withdrawn: bool = False

    @property
    def has_file(self) -> bool:
        return self.file_name is not None


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    place: str
    priority: str | None
    description: str
    workshop_code: str | None
    record_published: bool  # the workshop's record is public (/workshops/CODE)

    def is_past(self, now: datetime) -> bool:
        return self.ends_at <= now


@dataclass(frozen=True)
class Idea:
    id: str
    reference: str
    priority: str
    title: str
    description: str
    indicators: tuple[str, ...]
    created_at: datetime
    supports: int
    state: str  # "shown" (not moderated), "approved" or "rejected"
    status: str  # "new" or one of validation.STATUSES
    response: str | None
    reason: str | None
    responded_at: datetime | None

    @property
    def public(self) -> bool:
        return self.state != "rejected"


@dataclass(frozen=True)
class IdeaCommentRow:
    id: str
    idea_id: str
    comment: str
    created_at: datetime
    state: str  # "shown", "approved" or "rejected"


@dataclass(frozen=True)
class SupportReceipt:
    count: int
    added: bool  # False: this device had already supported the idea


@dataclass(frozen=True)
class IdeaReceipt:
    id: str
    reference: str
    duplicate: bool = False
