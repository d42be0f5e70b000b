"""Timeouts and durability of the feedback store: an argument if given, else the setting
(lis_data.config.settings: LIS_FEEDBACK_STATEMENT_TIMEOUT, LIS_FEEDBACK_LOCK_TIMEOUT,
LIS_FEEDBACK_SQLITE_SYNCHRONOUS, read once with the others and parsed there).

* statement timeout (seconds, default 5): the longest a PostgreSQL statement may run, and the
  longest SQLite waits for another process's write to finish (busy timeout).
* lock timeout (seconds, default 3): the longest a PostgreSQL statement waits for a lock (a table
  locked by someone else makes a submit fail after this, not hang).
* SQLite synchronous (``full``, the default, or ``normal``): when the embedded SQLite store fsyncs.
  ``full``: at every commit, so an acknowledged comment survives SIGKILL, a kernel crash and a
  power cut. ``normal``: at checkpoints only; only for disks whose fsync is slow.

A value that is not a number of seconds between 0.1 and 600 is refused with a message naming
the setting.
"""

from __future__ import annotations

import math

from lis_data.config import settings as config
from lis_data.feedback.errors import FeedbackStoreUnavailable

SQLITE_SYNCHRONOUS_CHOICES = config.SQLITE_SYNCHRONOUS_CHOICES
_MIN, _MAX = config.TIMEOUT_RANGE


def _given(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def seconds(name: str, value: object) -> float:
    """An explicit number of seconds, checked."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not (_MIN <= number <= _MAX):
        raise FeedbackStoreUnavailable(
            f"Feedback store setting {name} must be a number of seconds between {_MIN:g} and {_MAX:g}, "
            f"not {str(value)[:40]!r}"
        )
    return number


def statement_timeout(value: object = None) -> float:
    if _given(value):
        return seconds("statement_timeout", value)
    return config.require(config.current().feedback_statement_timeout, FeedbackStoreUnavailable)


def lock_timeout(value: object = None) -> float:
    if _given(value):
        return seconds("lock_timeout", value)
    return config.require(config.current().feedback_lock_timeout, FeedbackStoreUnavailable)


def sqlite_synchronous(value: object = None) -> str:
    """``full`` (default) or ``normal``, from `value` or the setting."""
    if value is None or not str(value).strip():
        return config.require(config.current().feedback_sqlite_synchronous, FeedbackStoreUnavailable)
    text = str(value).strip().lower()
    if text not in SQLITE_SYNCHRONOUS_CHOICES:
        raise FeedbackStoreUnavailable(
            f"Feedback store setting sqlite_synchronous must be 'full' or 'normal', not {str(value)[:40]!r}"
        )
    return text
